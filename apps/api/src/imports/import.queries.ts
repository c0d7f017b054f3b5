import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/domain';
import type { ImportStatus } from './import.dto';

export interface ImportHeaderRow {
  header: string;
  key: string | null;
  unit: 'yuan' | 'wan' | 'yi' | null;
}

/** An import as the imports table holds it, with its rows counted (the file itself left out). */
export interface ImportRow {
  import_id: string;
  file_name: string;
  file_sha256: string;
  sheets: string[];
  sheet: string | null;
  headers: ImportHeaderRow[];
  status: ImportStatus;
  progress_total: number;
  progress_done: number;
  error: string | null;
  created_by: string;
  created_at: Date;
  finished_at: Date | null;
  run: number;
  rows: number;
  good: number;
  bad: number;
  unchanged: number;
  changed: number;
  duplicates: number;
  imported: number;
  failed: number;
}

export interface ImportRowRecord {
  row_number: number;
  outcome: string;
  analysed: string;
  project_id: string | null;
  name: string | null;
  problems: unknown[];
  changes: unknown[];
  duplicate_of: { projectId: string; name: string; region: string; match: string } | null;
}

const IMPORT_COLUMNS = `i.import_id, i.file_name, i.file_sha256, i.sheets, i.sheet, i.headers, i.status,
  i.progress_total, i.progress_done, i.error, i.created_by, i.created_at, i.finished_at, i.run,
  coalesce(c.rows, 0) AS rows, coalesce(c.good, 0) AS good, coalesce(c.bad, 0) AS bad,
  coalesce(c.unchanged, 0) AS unchanged, coalesce(c.changed, 0) AS changed,
  coalesce(c.duplicates, 0) AS duplicates, coalesce(c.imported, 0) AS imported, coalesce(c.failed, 0) AS failed`;

/** Counts by the dry run's outcome, and by what the import made of the rows confirmed. */
const COUNTS = `LEFT JOIN LATERAL (
  SELECT count(*)::int AS rows,
         count(*) FILTER (WHERE analysed = 'good')::int AS good,
         count(*) FILTER (WHERE analysed = 'bad')::int AS bad,
         count(*) FILTER (WHERE analysed = 'unchanged')::int AS unchanged,
         count(*) FILTER (WHERE analysed = 'changed')::int AS changed,
         count(*) FILTER (WHERE analysed = 'duplicate')::int AS duplicates,
         count(*) FILTER (WHERE outcome = 'imported')::int AS imported,
         count(*) FILTER (WHERE outcome = 'failed')::int AS failed
  FROM import_rows r WHERE r.import_id = i.import_id) c ON true`;

@Injectable()
export class ImportQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores an upload; answers false when the id is taken already (a repeated request). */
  async insert(values: {
    importId: string;
    fileName: string;
    fileSha256: string;
    file: Buffer;
    sheet: string | null;
    mapping: Record<string, string | null> | null;
    actor: Actor;
  }): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO imports (import_id, file_name, file_sha256, file, sheet, mapping, status, actor, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'analysing', $7, $8)
       ON CONFLICT (import_id) DO NOTHING RETURNING import_id`,
      [
        values.importId,
        values.fileName,
        values.fileSha256,
        values.file,
        values.sheet,
        values.mapping ? JSON.stringify(values.mapping) : null,
        JSON.stringify(values.actor),
        values.actor.id,
      ],
    );
    return rows.length > 0;
  }

  async find(importId: string): Promise<ImportRow | undefined> {
    const [row] = await this.dataSource.query<ImportRow[]>(
      `SELECT ${IMPORT_COLUMNS} FROM imports i ${COUNTS} WHERE i.import_id = $1`,
      [importId],
    );
    return row;
  }

  /** The person's imports, newest first. */
  listBy(personId: string, limit: number): Promise<ImportRow[]> {
    return this.dataSource.query<ImportRow[]>(
      `SELECT ${IMPORT_COLUMNS} FROM imports i ${COUNTS}
       WHERE i.created_by = $1 ORDER BY i.created_at DESC, i.import_id LIMIT $2`,
      [personId, limit],
    );
  }

  async file(
    importId: string,
  ): Promise<{ file: Buffer; file_name: string; sheet: string | null } | undefined> {
    const [row] = await this.dataSource.query<{ file: Buffer; file_name: string; sheet: string | null }[]>(
      `SELECT file, file_name, sheet FROM imports WHERE import_id = $1`,
      [importId],
    );
    return row;
  }

  /** A page of rows by number; `outcome` matches what the dry run found or what the import did. */
  rows(
    importId: string,
    filter: { outcome?: string; after: number; limit: number },
  ): Promise<ImportRowRecord[]> {
    return this.dataSource.query<ImportRowRecord[]>(
      `SELECT row_number, outcome, analysed, project_id, name, problems, changes, duplicate_of FROM import_rows
       WHERE import_id = $1 AND row_number > $2 AND ($3::text IS NULL OR outcome = $3 OR analysed = $3)
       ORDER BY row_number LIMIT $4`,
      [importId, filter.after, filter.outcome ?? null, filter.limit],
    );
  }

  /** The rows' problems as the marked sheet shows them: the dry run's, and those the import met. */
  async problems(importId: string): Promise<unknown[]> {
    const rows = await this.dataSource.query<{ problems: unknown[] }[]>(
      `SELECT problems FROM import_rows
       WHERE import_id = $1 AND (analysed = 'bad' OR outcome = 'failed') ORDER BY row_number`,
      [importId],
    );
    return rows.flatMap((r) => r.problems);
  }

  /** A new analysis run with this mapping and sheet; null when the import is past its dry run. */
  async remap(
    importId: string,
    values: { sheet: string | null | undefined; mapping: Record<string, string | null> },
  ): Promise<number | null> {
    // For UPDATE … RETURNING the driver answers [rows, affected].
    const [rows] = await this.dataSource.query<[{ run: number }[], number]>(
      `UPDATE imports SET mapping = $2, sheet = CASE WHEN $3::boolean THEN $4 ELSE sheet END,
              run = run + 1, status = 'analysing', error = NULL, finished_at = NULL,
              progress_total = 0, progress_done = 0
       WHERE import_id = $1 AND status IN ('analysing', 'analysed', 'failed') RETURNING run`,
      [importId, JSON.stringify(values.mapping), values.sheet !== undefined, values.sheet ?? null],
    );
    return rows[0]?.run ?? null;
  }

  async saveMapping(personId: string, mapping: Record<string, string | null>): Promise<void> {
    // The headers of this file are added to those saved from earlier ones.
    await this.dataSource.query(
      `INSERT INTO import_mappings (person_id, mapping) VALUES ($1, $2)
       ON CONFLICT (person_id) DO UPDATE SET mapping = import_mappings.mapping || EXCLUDED.mapping, updated_at = now()`,
      [personId, JSON.stringify(mapping)],
    );
  }

  async savedMapping(
    personId: string,
  ): Promise<{ mapping: Record<string, string | null>; updated_at: Date } | undefined> {
    const [row] = await this.dataSource.query<{ mapping: Record<string, string | null>; updated_at: Date }[]>(
      `SELECT mapping, updated_at FROM import_mappings WHERE person_id = $1`,
      [personId],
    );
    return row;
  }

  /** The dry run's outcome of each row named, to check a confirm against. */
  analysedOutcomes(importId: string, rows: number[], manager: EntityManager = this.dataSource.manager) {
    return manager.query<{ row_number: number; analysed: string }[]>(
      `SELECT row_number, analysed FROM import_rows WHERE import_id = $1 AND row_number = ANY($2::int[])`,
      [importId, rows],
    );
  }

  /**
   * Marks the rows to import and the import as under way, in one transaction; answers how many, or
   * null when the import is not (or no longer) waiting for a confirm.
   */
  async confirm(
    importId: string,
    selection: { rows: number[] | null; duplicates: number[]; reason: string },
  ): Promise<number | null> {
    return this.dataSource.transaction(async (m) => {
      const [current] = await m.query<{ status: string }[]>(
        `SELECT status FROM imports WHERE import_id = $1 FOR UPDATE`,
        [importId],
      );
      if (current?.status !== 'analysed') return null;
      const [selected] = await m.query<[unknown[], number]>(
        `UPDATE import_rows SET selected = true,
                confirmation = CASE WHEN analysed = 'duplicate'
                  THEN jsonb_build_object('of', duplicate_of->>'projectId', 'match', duplicate_of->>'match', 'reason', $4::text)
                  END
         WHERE import_id = $1 AND (
           (analysed IN ('good', 'changed') AND ($2::int[] IS NULL OR row_number = ANY($2::int[])))
           OR (analysed = 'duplicate' AND row_number = ANY($3::int[])))
         RETURNING row_number`,
        [importId, selection.rows, selection.duplicates, selection.reason],
      );
      await m.query(
        `UPDATE imports SET status = $3, progress_total = $2, progress_done = 0,
                finished_at = CASE WHEN $2 = 0 THEN now() END
         WHERE import_id = $1`,
        [importId, selected.length, selected.length === 0 ? 'done' : 'importing'],
      );
      return selected.length;
    });
  }
}
