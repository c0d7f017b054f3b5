import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Funds arrived per project and month, net of adjustments: what 到资率, the red flags and the
 * targets sum over with set-based SQL, without unpacking each project's state.
 */
export class ProjectFunds1732290000000 implements MigrationInterface {
  name = 'ProjectFunds1732290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_funds (
        project_id  text           NOT NULL REFERENCES projects (project_id),
        month       char(7)        NOT NULL,
        amount      numeric(20,2)  NOT NULL,
        PRIMARY KEY (project_id, month)
      )`);
    await q.query(`CREATE INDEX project_funds_month ON project_funds (month)`);
    // Projects recorded before this table existed.
    await q.query(`
      INSERT INTO project_funds (project_id, month, amount)
      SELECT p.project_id, f->>'month', SUM((f->>'amount')::numeric)
      FROM projects p, jsonb_array_elements(p.state->'fundsArrived') AS f
      GROUP BY p.project_id, f->>'month'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE project_funds`);
  }
}
