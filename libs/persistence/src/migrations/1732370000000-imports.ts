import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger (台账) imports: each uploaded file kept whole with its hash, who sent it and when (the audit
 * trail's HistoryImported names it), the outcome the dry run found for each of its rows, and each
 * person's column mapping saved for their next upload.
 */
export class Imports1732370000000 implements MigrationInterface {
  name = 'Imports1732370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        import_id       uuid         PRIMARY KEY,
        file_name       text         NOT NULL,
        file_sha256     char(64)     NOT NULL,
        file            bytea        NOT NULL,
        sheets          text[]       NOT NULL DEFAULT '{}',
        sheet           text,
        mapping         jsonb,
        headers         jsonb        NOT NULL DEFAULT '[]',
        status          text         NOT NULL CHECK (status IN ('analysing', 'analysed', 'importing', 'done', 'failed')),
        progress_total  integer      NOT NULL DEFAULT 0,
        progress_done   integer      NOT NULL DEFAULT 0,
        error           text,
        actor           jsonb        NOT NULL,
        created_by      text         NOT NULL,
        created_at      timestamptz  NOT NULL DEFAULT now(),
        finished_at     timestamptz,
        run             integer      NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX imports_by_creator ON imports (created_by, created_at DESC, import_id)`);
    await q.query(`
      CREATE TABLE import_rows (
        import_id     uuid         NOT NULL REFERENCES imports (import_id) ON DELETE CASCADE,
        row_number    integer      NOT NULL,
        outcome       text         NOT NULL CHECK (outcome IN ('good', 'bad', 'changed', 'unchanged', 'duplicate', 'imported', 'failed')),
        analysed      text         NOT NULL,
        project_id    uuid,
        name          text,
        key           text,
        row_hash      text,
        history       jsonb,
        problems      jsonb        NOT NULL DEFAULT '[]',
        changes       jsonb        NOT NULL DEFAULT '[]',
        duplicate_of  jsonb,
        selected      boolean      NOT NULL DEFAULT false,
        confirmation  jsonb,
        PRIMARY KEY (import_id, row_number)
      )`);
    await q.query(`CREATE INDEX import_rows_by_outcome ON import_rows (import_id, outcome, row_number)`);
    await q.query(`
      CREATE TABLE import_mappings (
        person_id   text         PRIMARY KEY,
        mapping     jsonb        NOT NULL,
        updated_at  timestamptz  NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_mappings`);
    await q.query(`DROP TABLE import_rows`);
    await q.query(`DROP TABLE imports`);
  }
}
