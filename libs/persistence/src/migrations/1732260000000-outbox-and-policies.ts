import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox that alerts and escalations are written to in the same transaction as their events
 * (delivered to people by a separate process), and the versioned deadline policy.
 */
export class OutboxAndPolicies1732260000000 implements MigrationInterface {
  name = 'OutboxAndPolicies1732260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id               bigserial    PRIMARY KEY,
        event_id         uuid         NOT NULL UNIQUE REFERENCES events (event_id),
        project_id       text         NOT NULL,
        kind             text         NOT NULL CHECK (kind IN ('alert', 'escalation')),
        deadline_id      text         NOT NULL,
        rung             integer      NOT NULL,
        addressee        jsonb        NOT NULL,
        payload          jsonb        NOT NULL,
        created_at       timestamptz  NOT NULL,
        status           text         NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts         integer      NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz  NOT NULL,
        delivered_at     timestamptz,
        last_error       text
      )`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX outbox_project ON outbox (project_id)`);

    await q.query(`
      CREATE TABLE policies (
        version     integer      PRIMARY KEY CHECK (version >= 1),
        policy      jsonb        NOT NULL,
        created_at  timestamptz  NOT NULL DEFAULT now(),
        created_by  text         NOT NULL,
        reason      text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE policies`);
    await q.query(`DROP TABLE outbox`);
  }
}
