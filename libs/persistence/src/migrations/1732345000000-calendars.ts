import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The versioned working-day calendar (see libs/domain/src/calendar.ts). A version is what open
 * workflows were told and what their histories replay under, so its data never changes: a trigger
 * refuses DELETE and any UPDATE but the one recording that the version reached the open workflows
 * (`rolled_out_at`, so a worker that crashed while signalling them signals again at its next start).
 */
export class Calendars1732345000000 implements MigrationInterface {
  name = 'Calendars1732345000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendars (
        version     integer      PRIMARY KEY CHECK (version >= 1),
        data        jsonb        NOT NULL,
        created_at     timestamptz  NOT NULL DEFAULT now(),
        rolled_out_at  timestamptz
      )`);
    await q.query(`
      CREATE FUNCTION calendars_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.version = OLD.version AND NEW.data = OLD.data
           AND NEW.created_at = OLD.created_at AND OLD.rolled_out_at IS NULL THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'calendar versions never change: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await q.query(
      `CREATE TRIGGER calendars_no_update_delete BEFORE UPDATE OR DELETE ON calendars FOR EACH ROW EXECUTE FUNCTION calendars_refuse_change()`,
    );
    // The app role, where a migration has made it, gets row access to new tables by default.
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lifecycle_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON calendars FROM lifecycle_app;
          GRANT UPDATE (rolled_out_at) ON calendars TO lifecycle_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendars`);
    await q.query(`DROP FUNCTION calendars_refuse_change()`);
  }
}
