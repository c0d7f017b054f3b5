import { evolve, initialState, noteLightChange } from '@app/domain';
import { projectEventOf } from '../../event-store/event-rows';
import { duplicateConfirmationsInsertSql } from '../duplicate-lookup';
import { inSnapshot, PROJECTIONS, type Source } from './projections';
import { lightSinceSql } from '../project-lights';
import { RowWriter, type Folded } from './row-writer';
import { StatementQueue } from './statement-queue';

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

/**
 * Rebuilds every projection from the whole event log into fresh tables (rebuild_projects,
 * rebuild_project_funds, rebuild_project_lights, rebuild_duplicate_confirmations,
 * rebuild_file_references; any left from an earlier run are dropped first). The log is read in global
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
          const event = projectEventOf(row);
          let folded = projects.get(row.project_id);
          if (!folded) {
            folded = { state: initialState, recordedAt: row.recorded_at, lightChanges: new Map() };
            projects.set(row.project_id, folded);
          }
          const before = folded.state;
          folded.state = evolve(before, event);
          folded.recordedAt = row.recorded_at;
          noteLightChange(folded.lightChanges, before, folded.state, event);
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
    await manager.query(`ALTER TABLE rebuild_project_lights ADD PRIMARY KEY (project_id, day)`);
    await manager.query(lightSinceSql('rebuild_projects', 'rebuild_project_lights', 'TRUE'));
    // One row per DuplicateConfirmed event, by the statement the worker projects them with.
    await manager.query(`ALTER TABLE rebuild_duplicate_confirmations ADD PRIMARY KEY (event_id)`);
    await manager.query(duplicateConfirmationsInsertSql('rebuild_duplicate_confirmations', 'TRUE'));
    // One row per project and evidence file its events cite.
    await manager.query(`ALTER TABLE rebuild_file_references ADD PRIMARY KEY (file_id, project_id)`);
    await manager.query(
      `INSERT INTO rebuild_file_references (file_id, project_id)
       SELECT DISTINCT (f.file->>'fileId')::uuid, e.project_id::uuid
         FROM events e CROSS JOIN LATERAL jsonb_array_elements(e.data->'files') AS f(file)`,
    );
    await manager.query(`ANALYZE rebuild_projects`);
    await manager.query(`ANALYZE rebuild_project_funds`);
    await manager.query(`ANALYZE rebuild_project_lights`);

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
