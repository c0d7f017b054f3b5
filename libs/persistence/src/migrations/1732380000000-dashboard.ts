import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A covering index for the 领导驾驶舱 and the targets' actuals: every column their counts read,
 * keyed by region, so each pass over a leader's regions is an index-only scan of small tuples
 * instead of a read of the projects table, whose rows carry the whole state document.
 */
export class Dashboard1732380000000 implements MigrationInterface {
  name = 'Dashboard1732380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX projects_dashboard ON projects (region)
       INCLUDE (project_id, stage, light, industrial, signed_date, landed_date, started_date, in_stats_date,
                planned_investment, contract_investment, chief_service_officer_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX projects_dashboard`);
  }
}
