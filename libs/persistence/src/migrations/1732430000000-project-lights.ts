import type { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillLightChanges } from '../read-model/project-lights';

/**
 * Each project's light on the days it changed, on their business dates: a dashboard as of a past
 * day counts the lights of that day, and a 回头看 over imported data sees the projects that were red
 * then. Projects recorded before the table are folded from their events once, here.
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
    await backfillLightChanges(q.manager);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE project_lights`);
  }
}
