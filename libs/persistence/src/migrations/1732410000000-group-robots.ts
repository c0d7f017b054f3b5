import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Group robots (DingTalk, WeCom) as data an admin keeps, and the outbox's per-person deliveries: one
 * row per alert or escalation, person and channel, under a delivery id derived from the three, so
 * that queueing it again or a second pass never sends it twice. The rows take their ids from the
 * outbox's sequence, so the deliveries list pages over both tables by one id.
 */
export class GroupRobots1732410000000 implements MigrationInterface {
  name = 'GroupRobots1732410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE group_robots (
        robot_id    uuid         PRIMARY KEY,
        kind        text         NOT NULL CHECK (kind IN ('dingtalk', 'wecom')),
        name        text         NOT NULL,
        region      text         NOT NULL,
        department  text,
        token       text         NOT NULL,
        secret      text,
        enabled     boolean      NOT NULL DEFAULT true,
        version     integer      NOT NULL DEFAULT 1,
        created_at  timestamptz  NOT NULL DEFAULT now(),
        updated_at  timestamptz  NOT NULL DEFAULT now(),
        updated_by  text         NOT NULL
      )`);
    await q.query(`CREATE INDEX group_robots_region ON group_robots (region) WHERE enabled`);
    await q.query(`
      CREATE TABLE channel_deliveries (
        id               bigint       PRIMARY KEY DEFAULT nextval('outbox_id_seq'),
        delivery_id      uuid         NOT NULL UNIQUE,
        outbox_id        bigint       NOT NULL REFERENCES outbox (id),
        event_id         uuid         NOT NULL,
        project_id       text         NOT NULL,
        kind             text         NOT NULL CHECK (kind IN ('alert', 'escalation')),
        deadline_id      text         NOT NULL,
        rung             integer      NOT NULL,
        addressee        jsonb        NOT NULL,
        person_id        text         NOT NULL,
        channel          text         NOT NULL CHECK (channel IN ('email', 'dingtalk', 'wecom')),
        robot_id         uuid         REFERENCES group_robots (robot_id),
        address          text,
        created_at       timestamptz  NOT NULL,
        status           text         NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts         integer      NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz  NOT NULL,
        last_attempt_at  timestamptz,
        delivered_at     timestamptz,
        last_error       text
      )`);
    await q.query(
      `CREATE INDEX channel_deliveries_pending ON channel_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX channel_deliveries_status ON channel_deliveries (status, id)`);
    await q.query(`CREATE INDEX channel_deliveries_person ON channel_deliveries (person_id, id)`);
    await q.query(`CREATE INDEX channel_deliveries_outbox ON channel_deliveries (outbox_id)`);
    await q.query(`CREATE INDEX channel_deliveries_project ON channel_deliveries (project_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE channel_deliveries`);
    await q.query(`DROP TABLE group_robots`);
  }
}
