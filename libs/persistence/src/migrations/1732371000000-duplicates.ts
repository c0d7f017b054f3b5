import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ProjectState } from '@app/domain';
import { duplicateConfirmationsInsertSql, duplicateLookupColumns } from '../read-model/duplicate-lookup';

const BATCH = 2000;

/**
 * What the duplicate check (重复签约) looks projects up by: the contract number and the landed
 * company's credit code as recorded, and the keys the lookups use (the investor's and the contract's
 * normalised forms), each indexed for its query; and the confirmations people recorded that a
 * flagged project is another one, projected from the DuplicateConfirmed events.
 */
export class Duplicates1732371000000 implements MigrationInterface {
  name = 'Duplicates1732371000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE projects
        ADD COLUMN credit_code      text,
        ADD COLUMN contract_number  text,
        ADD COLUMN investor_key     text,
        ADD COLUMN contract_key     text`);

    // Projects recorded before these columns existed: from their stored state, by the same function
    // the projection uses, in batches so a large table is never read into memory at once.
    let after = '';
    for (;;) {
      const rows = (await q.query(
        `SELECT project_id, state FROM projects WHERE project_id > $1 ORDER BY project_id LIMIT ${BATCH}`,
        [after],
      )) as { project_id: string; state: ProjectState }[];
      if (rows.length === 0) break;
      const columns = rows.map((r) => duplicateLookupColumns(r.state));
      await q.query(
        `UPDATE projects p SET credit_code = t.credit_code, contract_number = t.contract_number,
                investor_key = t.investor_key, contract_key = t.contract_key
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
           AS t(project_id, credit_code, contract_number, investor_key, contract_key)
         WHERE p.project_id = t.project_id`,
        [
          rows.map((r) => r.project_id),
          columns.map((c) => c.credit_code),
          columns.map((c) => c.contract_number),
          columns.map((c) => c.investor_key),
          columns.map((c) => c.contract_key),
        ],
      );
      after = rows[rows.length - 1].project_id;
    }
    // The same contract number anywhere; the same investor, or credit code, in a region.
    await q.query(
      `CREATE INDEX projects_contract_key ON projects (contract_key) WHERE contract_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX projects_region_investor_key ON projects (region, investor_key)`);
    await q.query(
      `CREATE INDEX projects_region_credit_code ON projects (region, credit_code) WHERE credit_code IS NOT NULL`,
    );

    // One row per DuplicateConfirmed event; its global position orders the leaders' list.
    await q.query(`
      CREATE TABLE duplicate_confirmations (
        event_id         uuid         PRIMARY KEY,
        global_position  bigint       NOT NULL UNIQUE,
        project_id       text         NOT NULL REFERENCES projects (project_id),
        of_project_id    text         NOT NULL,
        match            text         NOT NULL,
        reason           text         NOT NULL,
        point            text         NOT NULL,
        actor_id         text         NOT NULL,
        actor_role       text         NOT NULL,
        business_time    text         NOT NULL,
        recorded_at      timestamptz  NOT NULL
      )`);
    await q.query(`CREATE INDEX duplicate_confirmations_project ON duplicate_confirmations (project_id)`);
    await q.query(`CREATE INDEX duplicate_confirmations_of ON duplicate_confirmations (of_project_id)`);
    await q.query(duplicateConfirmationsInsertSql('duplicate_confirmations', 'TRUE'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE duplicate_confirmations`);
    await q.query(`DROP INDEX projects_region_credit_code`);
    await q.query(`DROP INDEX projects_region_investor_key`);
    await q.query(`DROP INDEX projects_contract_key`);
    await q.query(
      `ALTER TABLE projects DROP COLUMN contract_key, DROP COLUMN investor_key,
         DROP COLUMN contract_number, DROP COLUMN credit_code`,
    );
  }
}
