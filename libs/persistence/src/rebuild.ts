import { EntityManager, type DataSource } from 'typeorm';
import { evolve, initialState, type ProjectEvent, type ProjectState } from '@app/domain';
import { fundsRowsFromState, projectRowFromState } from './read-model/project-projection';

/**
 * The projections of the event log, each with the table a rebuild writes and the columns that
 * identify a row. Everything else the database holds is not derived from the events.
 */
export const PROJECTIONS = [
  { live: 'projects', rebuilt: 'rebuild_projects', key: ['project_id'] },
  { live: 'project_funds', rebuilt: 'rebuild_project_funds', key: ['project_id', 'month'] },
] as const;

/** Tables a rebuild leaves alone, and why: they record decisions and deliveries, not the events' fold. */
export const NOT_PROJECTIONS =
  'outbox, policies, targets, reviews, supervision items, idempotent responses, alert acknowledgements ' +
  'and audit records are not projections of the event log and are not rebuilt or compared';

export interface RebuildProgress {
  events: number;
  totalEvents: number;
  projects: number;
  elapsedMs: number;
}

export interface RebuildOptions {
  onProgress?: (progress: RebuildProgress) => void;
  /** Events read per query. */
  batchSize?: number;
}

export interface RebuildResult {
  events: number;
  projects: number;
  fundsRows: number;
  seconds: number;
  eventsPerSecond: number;
}

type Source = DataSource | EntityManager;

/**
 * Runs `fn` on one REPEATABLE READ snapshot: the rebuild then reads a log that does not move under it,
 * and a diff in the same snapshot sees the live tables exactly as of those events (the worker writes
 * both in one transaction). A manager already in a transaction is used as it is.
 */
function inSnapshot<T>(source: Source, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (source instanceof EntityManager && source.queryRunner?.isTransactionActive) return fn(source);
  return source.transaction('REPEATABLE READ', fn);
}

interface EventRow {
  position: string;
  project_id: string;
  version: number;
  type: string;
  schema_version: number;
  business_time: string;
  data: unknown;
  recorded_at: string;
}

interface Folded {
  state: ProjectState;
  /** The record time of the latest event: what the worker writes as updated_at. */
  recordedAt: string;
}

/**
 * Rebuilds every projection from the whole event log into fresh tables (rebuild_projects,
 * rebuild_project_funds; any left from an earlier run are dropped first). The log is read in global
 * order in keyset batches and each project's state folded in memory; a project's rows are written,
 * with the same row functions the worker uses, as soon as its last event is folded, in large
 * statements sent while the folding goes on. Within one snapshot global order needs no transaction
 * horizon: nothing commits into it while it is read.
 */
export async function rebuildProjections(
  source: Source,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 10_000;
  return inSnapshot(source, async (manager) => {
    const started = performance.now();
    for (const p of [...PROJECTIONS].reverse()) await manager.query(`DROP TABLE IF EXISTS ${p.rebuilt}`);
    // No indexes while loading (the primary keys come after) and no WAL: the tables are for comparing
    // and inspecting, and a rebuild makes them again. LIKE never copies foreign keys.
    for (const p of PROJECTIONS) {
      await manager.query(
        `CREATE UNLOGGED TABLE ${p.rebuilt} (LIKE ${p.live} INCLUDING ALL EXCLUDING INDEXES)`,
      );
    }

    // Each stream's last version (from the unique index), so a project is written once it is complete.
    const heads = await manager.query<{ project_id: string; version: number }[]>(
      `SELECT project_id, max(version) AS version FROM events GROUP BY project_id`,
    );
    const lastVersion = new Map(heads.map((h) => [h.project_id, h.version]));
    const totalEvents = heads.reduce((sum, h) => sum + h.version, 0);
    // One connection runs one statement at a time: reads and writes take turns through one queue.
    const queue = new StatementQueue(manager);
    const fetch = (after: string) =>
      queue.query<EventRow[]>(
        // recorded_at as text: it goes back into a timestamptz in this session, to the microsecond.
        `SELECT global_position::text AS position, project_id, version, type, schema_version, business_time,
                data, recorded_at::text AS recorded_at
         FROM events WHERE global_position > $1::bigint ORDER BY global_position LIMIT $2`,
        [after, batchSize],
      );

    const writer = new RowWriter(queue);
    const projects = new Map<string, Folded>();
    let events = 0;
    try {
      let batch = await fetch('0');
      while (batch.length > 0) {
        // The next batch is read while this one is folded.
        const next = batch.length === batchSize ? fetch(batch[batch.length - 1].position) : null;
        for (const row of batch) {
          const event = {
            type: row.type,
            schemaVersion: row.schema_version,
            businessTime: row.business_time,
            data: row.data,
          } as ProjectEvent;
          let folded = projects.get(row.project_id);
          if (folded) {
            folded.state = evolve(folded.state, event);
            folded.recordedAt = row.recorded_at;
          } else {
            folded = { state: evolve(initialState, event), recordedAt: row.recorded_at };
            projects.set(row.project_id, folded);
          }
          // Global order keeps each stream's order; if it ever did not, the fold would be wrong: say so.
          if (folded.state.version !== row.version)
            throw new Error(`project ${row.project_id}: event version ${row.version} read out of order`);
          if (row.version === lastVersion.get(row.project_id)) {
            writer.add(folded);
            projects.delete(row.project_id);
          }
        }
        await writer.waitForRoom();
        events += batch.length;
        options.onProgress?.({
          events,
          totalEvents,
          projects: writer.projects + projects.size,
          elapsedMs: performance.now() - started,
        });
        batch = next ? await next : [];
      }
      // Only a stream whose last version was not in the snapshot's log is left; there is none, but a
      // project is never lost for it.
      for (const folded of projects.values()) writer.add(folded);
      await writer.finish();
    } catch (e) {
      // Statements still queued must end before the transaction rolls back on this connection.
      await queue.settled();
      throw e;
    }

    await manager.query(`ALTER TABLE rebuild_projects ADD PRIMARY KEY (project_id)`);
    await manager.query(`ALTER TABLE rebuild_project_funds ADD PRIMARY KEY (project_id, month)`);
    await manager.query(`ANALYZE rebuild_projects`);
    await manager.query(`ANALYZE rebuild_project_funds`);

    const seconds = (performance.now() - started) / 1000;
    return {
      events,
      projects: writer.projects,
      fundsRows: writer.fundsRows,
      seconds,
      eventsPerSecond: seconds > 0 ? events / seconds : events,
    };
  });
}

/** Statements for one connection, sent one after another (pg refuses to be handed a second at once). */
class StatementQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly manager: EntityManager) {}

  query<T>(sql: string, params: unknown[]): Promise<T> {
    const result = this.tail.then(() => this.manager.query<T>(sql, params));
    this.tail = result.catch(() => undefined);
    return result;
  }

  async settled(): Promise<void> {
    await this.tail;
  }
}

// About this many bytes of JSON per INSERT: few round trips, no statement too large to send.
const CHUNK_BYTES = 8 * 1024 * 1024;
const FUNDS_CHUNK = 50_000;
// Statements sent and not yet answered: enough to keep the server busy, not so many that memory grows.
const IN_FLIGHT = 2;

/**
 * Collects rows and sends them in large multi-row statements without waiting for each: the
 * connection queues them, so the server inserts while the next events are folded.
 */
class RowWriter {
  projects = 0;
  fundsRows = 0;
  private chunk: string[] = [];
  private bytes = 0;
  private funds = { project: [] as string[], month: [] as string[], amount: [] as string[] };
  private inFlight: Promise<unknown>[] = [];

  constructor(private readonly queue: StatementQueue) {}

  add({ state, recordedAt }: Folded): void {
    // A stream that does not start with a registration has no row, live or rebuilt.
    if (!state.exists) return;
    this.projects++;
    const { state: stateJson, ...columns } = projectRowFromState(state, recordedAt);
    // The state is already JSON text: spliced in as an object, so the jsonb column holds the object.
    const json = `${JSON.stringify(columns).slice(0, -1)},"state":${stateJson as string}}`;
    this.chunk.push(json);
    this.bytes += json.length;
    for (const row of fundsRowsFromState(state)) {
      this.funds.project.push(state.projectId!);
      this.funds.month.push(row.month);
      this.funds.amount.push(row.amount);
    }
    if (this.bytes >= CHUNK_BYTES) this.sendProjects();
    if (this.funds.project.length >= FUNDS_CHUNK) this.sendFunds();
  }

  /** Waits while too many statements are in flight. */
  async waitForRoom(): Promise<void> {
    while (this.inFlight.length > IN_FLIGHT) await this.inFlight.shift();
  }

  async finish(): Promise<void> {
    this.sendProjects();
    this.sendFunds();
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }

  private send(sql: string, params: unknown[]): void {
    const query = this.queue.query(sql, params);
    // Awaited in order later; meanwhile a failure must not surface as an unhandled rejection.
    query.catch(() => undefined);
    this.inFlight.push(query);
  }

  private sendProjects(): void {
    if (this.chunk.length === 0) return;
    // jsonb_populate_recordset casts each field to its column's type, as the worker's parameters are.
    this.send(
      `INSERT INTO rebuild_projects SELECT * FROM jsonb_populate_recordset(NULL::rebuild_projects, $1::jsonb)`,
      [`[${this.chunk.join(',')}]`],
    );
    this.chunk = [];
    this.bytes = 0;
  }

  private sendFunds(): void {
    if (this.funds.project.length === 0) return;
    this.fundsRows += this.funds.project.length;
    this.send(
      `INSERT INTO rebuild_project_funds (project_id, month, amount)
       SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[])`,
      [this.funds.project, this.funds.month, this.funds.amount],
    );
    this.funds = { project: [], month: [], amount: [] };
  }
}

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

/** Rebuilds and diffs on one snapshot, so events recorded meanwhile cannot show as differences. */
export async function rebuildAndDiffProjections(
  dataSource: DataSource,
  options: RebuildOptions & DiffOptions = {},
): Promise<{ rebuild: RebuildResult; diff: ProjectionDiff }> {
  return inSnapshot(dataSource, async (manager) => {
    const rebuild = await rebuildProjections(manager, options);
    const diff = await diffProjections(manager, options);
    return { rebuild, diff };
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
  const columns = await columnsOf(manager, live);
  const rebuiltColumns = await columnsOf(manager, rebuilt);
  if (columns.join() !== rebuiltColumns.join())
    throw new Error(`${rebuilt} does not have the columns of ${live}: run the rebuild again`);

  const list = columns.map(quote).join(', ');
  const scope = projectIds ? `WHERE project_id = ANY($1::text[])` : '';
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
