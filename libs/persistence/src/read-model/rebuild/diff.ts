import type { EntityManager } from 'typeorm';
import { inSnapshot, NOT_PROJECTIONS, PROJECTIONS, type Source } from './projections';

export interface DiffOptions {
  /** Compare only these projects (a shared database may hold others that are not the caller's). */
  projectIds?: string[];
  /** How many rows each list names at most; the counts are always complete. */
  limit?: number;
}

export interface RowDifference {
  projectId: string;
  /** The row's key columns, as text. */
  key: Record<string, string>;
  /** The columns whose values differ (empty for a row missing on one side). */
  columns: string[];
}

export interface TableDiff {
  table: string;
  rebuiltTable: string;
  liveRows: number;
  rebuiltRows: number;
  missingInLive: { count: number; rows: RowDifference[] };
  missingInRebuild: { count: number; rows: RowDifference[] };
  differing: { count: number; rows: RowDifference[] };
}

export interface ProjectionDiff {
  identical: boolean;
  tables: TableDiff[];
  notCompared: string;
}

/**
 * Compares the rebuilt tables with the live ones in set-based SQL: EXCEPT both ways over every
 * column, then the rows on both sides with the same key are "differing", with the columns that
 * differ. Every value is compared as its own type (numeric as numeric, jsonb as jsonb, arrays
 * element by element, timestamps to the microsecond), never through a float or a formatted string.
 */
export async function diffProjections(source: Source, options: DiffOptions = {}): Promise<ProjectionDiff> {
  const limit = options.limit ?? 20;
  return inSnapshot(source, async (manager) => {
    const tables: TableDiff[] = [];
    for (const p of PROJECTIONS) tables.push(await diffTable(manager, p, options.projectIds, limit));
    const identical = tables.every(
      (t) => t.missingInLive.count === 0 && t.missingInRebuild.count === 0 && t.differing.count === 0,
    );
    return { identical, tables, notCompared: NOT_PROJECTIONS };
  });
}

async function diffTable(
  manager: EntityManager,
  projection: (typeof PROJECTIONS)[number],
  projectIds: string[] | undefined,
  limit: number,
): Promise<TableDiff> {
  const { live, rebuilt } = projection;
  const key: readonly string[] = projection.key;
  // A projection compared on some columns only names them; the others are compared on every column.
  const named: readonly string[] | null = 'columns' in projection ? projection.columns : null;
  const columns = named ?? (await columnsOf(manager, live));
  const rebuiltColumns = await columnsOf(manager, rebuilt);
  if (named ? !named.every((c) => rebuiltColumns.includes(c)) : columns.join() !== rebuiltColumns.join())
    throw new Error(`${rebuilt} does not have the columns of ${live}: run the rebuild again`);

  const list = columns.map(quote).join(', ');
  const scope = projectIds ? `WHERE project_id::text = ANY($1::text[])` : '';
  const params = projectIds ? [projectIds] : [];
  const keyJson = (alias: string) =>
    `json_build_object(${key.map((k) => `'${k}', ${alias}.${quote(k)}::text`).join(', ')})`;
  const changed = columns
    .filter((c) => !key.includes(c))
    .map((c) => `CASE WHEN l.${quote(c)} IS DISTINCT FROM r.${quote(c)} THEN '${c}' END`);
  const joinOn = key.map((k) => `l.${quote(k)} = r.${quote(k)}`).join(' AND ');

  // Rows only on one side; a key on both sides is a differing row, otherwise a missing one.
  const rows = await manager.query<{ side: string; total: string; rows: RowDifference[] | null }[]>(
    `WITH l AS (SELECT ${list} FROM ${live} ${scope}),
          r AS (SELECT ${list} FROM ${rebuilt} ${scope}),
          only_l AS (SELECT * FROM l EXCEPT ALL SELECT * FROM r),
          only_r AS (SELECT * FROM r EXCEPT ALL SELECT * FROM l),
          classified AS (
            SELECT CASE WHEN l.project_id IS NULL THEN 'missingInLive'
                        WHEN r.project_id IS NULL THEN 'missingInRebuild'
                        ELSE 'differing' END AS side,
                   COALESCE(l.project_id, r.project_id) AS project_id,
                   CASE WHEN l.project_id IS NULL THEN ${keyJson('r')} ELSE ${keyJson('l')} END AS key,
                   CASE WHEN l.project_id IS NULL OR r.project_id IS NULL THEN ARRAY[]::text[]
                        ELSE array_remove(ARRAY[${changed.join(', ')}]::text[], NULL) END AS columns,
                   row_number() OVER (
                     PARTITION BY (l.project_id IS NULL), (r.project_id IS NULL)
                     ORDER BY COALESCE(l.project_id, r.project_id)
                   ) AS n
            FROM only_l l FULL JOIN only_r r ON ${joinOn})
     SELECT side, count(*)::text AS total,
            json_agg(json_build_object('projectId', project_id, 'key', key, 'columns', columns) ORDER BY n)
              FILTER (WHERE n <= ${Number(limit)}) AS rows
     FROM classified GROUP BY side`,
    params,
  );
  const [{ live_rows, rebuilt_rows }] = await manager.query<{ live_rows: string; rebuilt_rows: string }[]>(
    `SELECT (SELECT count(*) FROM ${live} ${scope})::text AS live_rows,
            (SELECT count(*) FROM ${rebuilt} ${scope})::text AS rebuilt_rows`,
    params,
  );
  const part = (side: string) => {
    const found = rows.find((r) => r.side === side);
    return { count: found ? Number(found.total) : 0, rows: found?.rows ?? [] };
  };
  return {
    table: live,
    rebuiltTable: rebuilt,
    liveRows: Number(live_rows),
    rebuiltRows: Number(rebuilt_rows),
    missingInLive: part('missingInLive'),
    missingInRebuild: part('missingInRebuild'),
    differing: part('differing'),
  };
}

async function columnsOf(manager: EntityManager, table: string): Promise<string[]> {
  const rows = await manager.query<{ column_name: string }[]>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  if (rows.length === 0) throw new Error(`no table ${table}: run the rebuild first`);
  return rows.map((r) => r.column_name);
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
