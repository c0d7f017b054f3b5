import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The morning digest goes out as per-person channel deliveries too, on the same terms (retries,
 * dead letters, resend). A digest is no outbox row: it has no outbox id, its kind is `digest`, and
 * it carries what it lists (rendered when sent, like the alerts).
 */
export class DigestDeliveries1732420000000 implements MigrationInterface {
  name = 'DigestDeliveries1732420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channel_deliveries ALTER COLUMN outbox_id DROP NOT NULL`);
    await q.query(`ALTER TABLE channel_deliveries ADD COLUMN digest jsonb`);
    await q.query(`ALTER TABLE channel_deliveries DROP CONSTRAINT channel_deliveries_kind_check`);
    await q.query(`
      ALTER TABLE channel_deliveries ADD CONSTRAINT channel_deliveries_kind_check
        CHECK (kind IN ('alert', 'escalation', 'digest'))`);
    await q.query(`
      ALTER TABLE channel_deliveries ADD CONSTRAINT channel_deliveries_digest_check
        CHECK ((kind = 'digest') = (outbox_id IS NULL) AND (kind = 'digest') = (digest IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM channel_deliveries WHERE kind = 'digest'`);
    await q.query(`ALTER TABLE channel_deliveries DROP CONSTRAINT channel_deliveries_digest_check`);
    await q.query(`ALTER TABLE channel_deliveries DROP CONSTRAINT channel_deliveries_kind_check`);
    await q.query(`
      ALTER TABLE channel_deliveries ADD CONSTRAINT channel_deliveries_kind_check
        CHECK (kind IN ('alert', 'escalation'))`);
    await q.query(`ALTER TABLE channel_deliveries DROP COLUMN digest`);
    await q.query(`ALTER TABLE channel_deliveries ALTER COLUMN outbox_id SET NOT NULL`);
  }
}
