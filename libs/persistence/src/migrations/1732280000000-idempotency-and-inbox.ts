import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first response to each idempotency key, so a repeated write returns it unchanged; and who has
 * acknowledged which alert in their inbox.
 */
export class IdempotencyAndInbox1732280000000 implements MigrationInterface {
  name = 'IdempotencyAndInbox1732280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotent_responses (
        actor_id      text         NOT NULL,
        key           text         NOT NULL,
        request_hash  text         NOT NULL,
        status        integer      NOT NULL,
        headers       jsonb        NOT NULL,
        body          jsonb,
        created_at    timestamptz  NOT NULL DEFAULT now(),
        PRIMARY KEY (actor_id, key)
      )`);
    await q.query(`
      CREATE TABLE alert_acknowledgements (
        outbox_id        bigint       NOT NULL REFERENCES outbox (id),
        user_id          text         NOT NULL,
        role             text         NOT NULL,
        acknowledged_at  timestamptz  NOT NULL DEFAULT now(),
        note             text,
        PRIMARY KEY (outbox_id, user_id)
      )`);
    // The inbox looks alerts up by the person they name, and by region for leaders.
    await q.query(`CREATE INDEX outbox_addressee_id ON outbox ((addressee->>'id'))`);
    await q.query(
      `CREATE INDEX outbox_addressee_region ON outbox ((addressee->>'role'), (addressee->>'region'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_addressee_region`);
    await q.query(`DROP INDEX outbox_addressee_id`);
    await q.query(`DROP TABLE alert_acknowledgements`);
    await q.query(`DROP TABLE idempotent_responses`);
  }
}
