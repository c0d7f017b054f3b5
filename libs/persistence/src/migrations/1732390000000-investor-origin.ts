import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The investor's origin (a division code) as a column of its own: 实际利用省外资金 compares it with
 * the project's province for every project with funds, and reading it out of the state document
 * detoasted the whole document of each. The projection writes it from the state from now on.
 *
 * The dashboard's covering index gains what its statements read besides: the investor's type and
 * origin (the funds from outside the province) and every stage's date (the stages as of a past
 * day), so that they stay index-only scans; and the projects by size, largest first, serve the
 * ≥10 亿元 list without sorting the region's projects.
 */
export class InvestorOrigin1732390000000 implements MigrationInterface {
  name = 'InvestorOrigin1732390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN investor_origin text`);
    await q.query(
      `UPDATE projects SET investor_origin = state->'investor'->>'origin'
       WHERE state->'investor'->>'origin' IS NOT NULL`,
    );
    await q.query(`DROP INDEX projects_dashboard`);
    await q.query(
      `CREATE INDEX projects_dashboard ON projects (region)
       INCLUDE (project_id, stage, light, industrial, lead_date, talks_date, signed_date, landed_date,
                started_date, in_stats_date, production_date, dropped_date, planned_investment,
                contract_investment, chief_service_officer_id, investor_type, investor_origin)`,
    );
    await q.query(
      `CREATE INDEX projects_by_investment
       ON projects ((COALESCE(contract_investment, planned_investment)) DESC, project_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX projects_by_investment`);
    await q.query(`DROP INDEX projects_dashboard`);
    await q.query(
      `CREATE INDEX projects_dashboard ON projects (region)
       INCLUDE (project_id, stage, light, industrial, signed_date, landed_date, started_date, in_stats_date,
                planned_investment, contract_investment, chief_service_officer_id)`,
    );
    await q.query(`ALTER TABLE projects DROP COLUMN investor_origin`);
  }
}
