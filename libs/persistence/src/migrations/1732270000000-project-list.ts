import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the project list: the default sort (most recently updated first, read backwards) with
 * its project-id tie-break, and trigram indexes so the text search (`ILIKE '%…%'`) on project and
 * investor names need not read every row. pg_trgm ships with PostgreSQL's contrib modules (the
 * embedded server and the official image both have it) and is trusted, so the database owner may
 * create it.
 */
export class ProjectList1732270000000 implements MigrationInterface {
  name = 'ProjectList1732270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX projects_updated_at ON projects (updated_at, project_id)`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX projects_name_trgm ON projects USING gin (name gin_trgm_ops)`);
    await q.query(
      `CREATE INDEX projects_investor_name_trgm ON projects USING gin (investor_name gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX projects_investor_name_trgm`);
    await q.query(`DROP INDEX projects_name_trgm`);
    await q.query(`DROP INDEX projects_updated_at`);
    // The extension stays: it may have been there before, and other objects may use it by now.
  }
}
