import type { EntityManager } from 'typeorm';
// By path, as duplicate-lookup does: the migrations load this outside the module aliases.
import type { ProjectEvent } from '../../../domain/src/events';
import { lightChangesOf, touchesLights, type LightChange } from '../../../domain/src/light-history';
import { initialState, type ProjectState } from '../../../domain/src/state';
import { projectEventOf, type EventRowFields } from '../event-store/event-rows';

/**
 * Sets each project's light_since, the day of its latest light change, from `lightsTable`, for the
 * projects `where` selects: what lets a past day's light be read from the row when it has not
 * changed since. The same statement after a live append, a rebuild and a backfill.
 */
export function lightSinceSql(projectsTable: string, lightsTable: string, where: string): string {
  return `UPDATE ${projectsTable} p SET light_since = m.day
     FROM (SELECT project_id, max(day) AS day FROM ${lightsTable} WHERE ${where} GROUP BY project_id) m
     WHERE p.project_id = m.project_id AND p.light_since IS DISTINCT FROM m.day`;
}

/**
 * Upserts a project's light changes by day: a day changed again by a later append holds the later
 * light (the rule of lightChangesOf).
 */
export async function upsertLightChanges(
  manager: EntityManager,
  projectId: string,
  changes: readonly LightChange[],
): Promise<void> {
  if (changes.length === 0) return;
  await manager.query(
    `INSERT INTO project_lights (project_id, day, light)
     SELECT $1, d, l FROM unnest($2::date[], $3::text[]) AS t(d, l)
     ON CONFLICT (project_id, day) DO UPDATE SET light = EXCLUDED.light`,
    [projectId, changes.map((c) => c.day), changes.map((c) => c.light)],
  );
  await manager.query(lightSinceSql('projects', 'project_lights', 'project_id = $1'), [projectId]);
}

/**
 * The light changes of events about to be appended, from the project's row as it stands before
 * them (the worker writes the row in the same transaction as each append, so it is the state at
 * the stream's previous version): read before the row is replaced, written after it
 * (upsertLightChanges), since the changes refer to the row.
 */
export async function lightChangesToRecord(
  manager: EntityManager,
  projectId: string,
  events: readonly ProjectEvent[],
): Promise<LightChange[]> {
  if (!touchesLights(events.map((e) => e.type))) return [];
  const [row] = await manager.query<{ state: ProjectState }[]>(
    `SELECT state FROM projects WHERE project_id = $1`,
    [projectId],
  );
  return lightChangesOf(row?.state ?? initialState, events);
}

/**
 * Folds the stream of every project in the read model into project_lights, a thousand
 * projects at a time: for a database whose projects were recorded before their light history was kept.
 */
export async function backfillLightChanges(manager: EntityManager): Promise<number> {
  let after = '';
  let projects = 0;
  for (;;) {
    const ids = await manager.query<{ project_id: string }[]>(
      `SELECT project_id FROM projects WHERE project_id > $1 ORDER BY project_id LIMIT 1000`,
      [after],
    );
    if (ids.length === 0) return projects;
    after = ids[ids.length - 1].project_id;
    const rows = await manager.query<(EventRowFields & { project_id: string })[]>(
      `SELECT project_id, type, schema_version, business_time, data FROM events
       WHERE project_id = ANY($1::text[]) ORDER BY project_id, version`,
      [ids.map((r) => r.project_id)],
    );
    const streams = new Map<string, ProjectEvent[]>();
    for (const r of rows) {
      const event = projectEventOf(r);
      const stream = streams.get(r.project_id);
      if (stream) stream.push(event);
      else streams.set(r.project_id, [event]);
    }
    for (const [projectId, events] of streams) {
      await upsertLightChanges(manager, projectId, lightChangesOf(initialState, events));
    }
    projects += streams.size;
  }
}
