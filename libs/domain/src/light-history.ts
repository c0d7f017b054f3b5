import type { Light } from './alerts';
import { shanghaiDate, type IsoDate } from './dates';
import { evolve } from './evolve';
import type { ProjectEvent } from './events';
import type { ProjectState } from './state';

/**
 * The project's light at the end of a day on which it changed. A backdated history (an import,
 * a step dated last month) records its alerts and light changes on the days they fell due, so
 * these days are business days, not the days they were recorded.
 */
export interface LightChange {
  day: IsoDate;
  light: Light;
}

/**
 * The days on which `events`, applied to `before` in order, changed the project's light, each
 * with the light it had after that day's last change. A day changed by an earlier append and
 * again by these events is answered again: the later append wins, as an upsert by day keeps it.
 * The same rule for the live projection (one append at a time) and for a rebuild (the whole
 * stream), so both hold the same rows.
 */
export function lightChangesOf(before: ProjectState, events: readonly ProjectEvent[]): LightChange[] {
  const byDay = new Map<IsoDate, Light>();
  let state = before;
  for (const event of events) {
    const next = evolve(state, event);
    noteLightChange(byDay, state, next, event);
    state = next;
  }
  return [...byDay].map(([day, light]) => ({ day, light }));
}

/** One event's part of `lightChangesOf`, for a fold that evolves the state itself (a rebuild). */
export function noteLightChange(
  byDay: Map<IsoDate, Light>,
  before: ProjectState,
  after: ProjectState,
  event: ProjectEvent,
): void {
  if (after.light !== before.light) byDay.set(shanghaiDate(event.businessTime), after.light);
}

/** Only these events move a project's light (evolve's withLight); others need no look at the history. */
const LIGHT_EVENTS: ReadonlySet<string> = new Set(['AlertRaised', 'LightChanged', 'ProjectDropped']);

export function touchesLights(types: readonly string[]): boolean {
  return types.some((t) => LIGHT_EVENTS.has(t));
}

/** A project's light on `day`, from its changes: the latest change on or before it; green before any. */
export function lightOn(changes: readonly LightChange[], day: IsoDate): Light {
  let found: LightChange | null = null;
  for (const c of changes) if (c.day <= day && (found === null || c.day > found.day)) found = c;
  return found?.light ?? 'green';
}

/** The read model's columns `lightOnSql` reads, under a table alias. */
export interface LightColumns {
  projectId: string;
  /** Today's light. */
  light: string;
  /** The day of the project's latest light change (null: it never changed, green throughout). */
  lightSince: string;
}

/**
 * `lightOn` as SQL, `day` a placeholder of a date: today's light when it has not changed since that
 * day (most projects, for a recent day: no look-up), else the latest change on or before it in
 * `changesTable` (project_id, day, light), green before any. What a dashboard as of a past day and
 * the 台账 filtered on that day both count by.
 */
export function lightOnSql(changesTable: string, columns: LightColumns, day: string): string {
  const { projectId, light, lightSince } = columns;
  return `(CASE WHEN ${lightSince} IS NULL OR ${lightSince} <= ${day} THEN ${light}
     ELSE COALESCE((SELECT l.light FROM ${changesTable} l WHERE l.project_id = ${projectId}
       AND l.day <= ${day} ORDER BY l.day DESC LIMIT 1), 'green') END)`;
}

/** The read model's light columns under a table alias. */
export function lightColumns(alias: string): LightColumns {
  return { projectId: `${alias}.project_id`, light: `${alias}.light`, lightSince: `${alias}.light_since` };
}
