import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook delivery of the outbox: which endpoints have already answered 2xx for a row (so a retry
 * goes only to the others), when it was last tried, and an index for listing rows by status.
 */
export class WebhookDelivery1732310000000 implements MigrationInterface {
  name = 'WebhookDelivery1732310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN delivered_to     text[]       NOT NULL DEFAULT '{}',
        ADD COLUMN last_attempt_at  timestamptz`);
    await q.query(`CREATE INDEX outbox_status ON outbox (status, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_status`);
    await q.query(`ALTER TABLE outbox DROP COLUMN last_attempt_at, DROP COLUMN delivered_to`);
  }
}
