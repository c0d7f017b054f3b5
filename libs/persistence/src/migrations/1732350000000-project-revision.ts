import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The revision beside the version: the stream version of the last event a person recorded, which
 * the project's ETag names, so that lists and pages give the same ETag without reading the state.
 */
export class ProjectRevision1732350000000 implements MigrationInterface {
  name = 'ProjectRevision1732350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN revision integer`);
    // Rows written before revisions existed: their state says, or else their version does.
    await q.query(`UPDATE projects SET revision = COALESCE((state->>'revision')::integer, version)`);
    await q.query(`ALTER TABLE projects ALTER COLUMN revision SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP COLUMN revision`);
  }
}
