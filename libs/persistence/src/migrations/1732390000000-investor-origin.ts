import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The investor's origin (a division code) as a column of its own: 实际利用省外资金 compares it with
 * the project's province for every project with funds, and reading it out of the state document
 * detoasted the whole document of each. The projection writes it from the state from now on.
 */
export class InvestorOrigin1732390000000 implements MigrationInterface {
  name = 'InvestorOrigin1732390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN investor_origin text`);
    await q.query(
      `UPDATE projects SET investor_origin = state->'investor'->>'origin'
       WHERE state->'investor'->>'origin' IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP COLUMN investor_origin`);
  }
}
