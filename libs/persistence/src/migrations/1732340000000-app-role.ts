import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The group role the API and the worker log in through; see app-role.ts. */
const ROLE = 'lifecycle_app';

/** Tables whose rows are history: the app may add and read them, never change or remove them. */
const APPEND_ONLY = ['events', 'audit_checkpoints', 'audit_reads', 'review_reports', 'region_target_changes'];

/**
 * The application's own role, so that the credentials the API and the worker hold cannot rewrite
 * history: no ownership (no ALTER TABLE … DISABLE TRIGGER), no TRUNCATE, and on the append-only
 * tables only SELECT and INSERT. Migrations keep running as the owner. Tables later migrations
 * create get full row access by default; an append-only one must REVOKE UPDATE, DELETE itself.
 */
export class AppRole1732340000000 implements MigrationInterface {
  name = 'AppRole1732340000000';

  async up(q: QueryRunner): Promise<void> {
    // Roles belong to the cluster, not the database: another database may have made it already,
    // possibly at this very moment.
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') THEN
          CREATE ROLE ${ROLE} NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${ROLE}`);
    await q.query(`REVOKE UPDATE, DELETE ON ${APPEND_ONLY.join(', ')} FROM ${ROLE}`);
    await q.query(`REVOKE ALL ON migrations FROM ${ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${ROLE}`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${ROLE}`,
    );
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${ROLE}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${ROLE}`);
    // The role stays: other databases of the cluster may still grant to it.
  }
}
