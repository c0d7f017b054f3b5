import type { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillLightChanges } from '../read-model/project-lights';

/**
 * Each project's light on the days it changed, on their business dates: a dashboard as of a past
 * day counts the lights of that day, and a 回头看 over imported data sees the projects that were red
 * then; and on each project the day of its latest change (light_since), so that a day since which a
 * project's light has not changed reads its light from the row. Projects recorded before the table
 * are folded from their events once, here.
 */
export class ProjectLights1732430000000 implements MigrationInterface {
  name = 'ProjectLights1732430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_lights (
        project_id  text  NOT NULL REFERENCES projects (project_id),
        day         date  NOT NULL,
        light       text  NOT NULL CHECK (light IN ('green', 'yellow', 'red')),
        PRIMARY KEY (project_id, day)
      )`);
    // The day of each project's latest change, in the dashboard's covering index beside its light.
    await q.query(`ALTER TABLE projects ADD COLUMN light_since date`);
    await q.query(`DROP INDEX projects_dashboard`);
    await q.query(
      `CREATE INDEX projects_dashboard ON projects (region)
       INCLUDE (project_id, stage, light, light_since, industrial, lead_date, talks_date, signed_date,
                landed_date, started_date, in_stats_date, production_date, dropped_date, planned_investment,
                contract_investment, chief_service_officer_id, investor_type, investor_origin)`,
    );
    await backfillLightChanges(q.manager);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE project_lights`);
    await q.query(`DROP INDEX projects_dashboard`);
    await q.query(
      `CREATE INDEX projects_dashboard ON projects (region)
       INCLUDE (project_id, stage, light, industrial, lead_date, talks_date, signed_date, landed_date,
                started_date, in_stats_date, production_date, dropped_date, planned_investment,
                contract_investment, chief_service_officer_id, investor_type, investor_origin)`,
    );
    await q.query(`ALTER TABLE projects DROP COLUMN light_since`);
  }
}
