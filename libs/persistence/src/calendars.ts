import type { EntityManager } from 'typeorm';
import {
  BUNDLED_CALENDARS,
  LATEST_BUNDLED_CALENDAR,
  validateCalendar,
  type CalendarData,
  type VersionedCalendar,
} from '@app/domain';

/** The newest stored calendar version; the latest bundled one before any is stored. */
export async function currentCalendar(manager: EntityManager): Promise<VersionedCalendar> {
  const [row] = await manager.query<{ version: number; data: CalendarData }[]>(
    `SELECT version, data FROM calendars ORDER BY version DESC LIMIT 1`,
  );
  return row ? { version: row.version, data: row.data } : LATEST_BUNDLED_CALENDAR;
}

/**
 * Stores a calendar version once: the same version again with the same data is a no-op, with other
 * data an error (a version never changes). Returns whether this call inserted it.
 */
export async function storeCalendar(manager: EntityManager, calendar: unknown): Promise<boolean> {
  const checked = validateCalendar(calendar);
  if (!checked.ok) {
    throw new Error(`invalid calendar: ${checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
  const { version, data } = checked.calendar;
  const inserted = await manager.query<unknown[]>(
    `INSERT INTO calendars (version, data) VALUES ($1, $2::jsonb) ON CONFLICT (version) DO NOTHING RETURNING version`,
    [version, JSON.stringify(data)],
  );
  if (inserted.length > 0) return true;
  const [same] = await manager.query<{ same: boolean }[]>(
    `SELECT data = $2::jsonb AS same FROM calendars WHERE version = $1`,
    [version, JSON.stringify(data)],
  );
  if (!same?.same) throw new Error(`calendar version ${version} is stored with other data`);
  return false;
}

/** Makes sure every bundled version is stored (each replica of the worker does this at start). */
export async function ensureBundledCalendars(manager: EntityManager): Promise<void> {
  for (const calendar of BUNDLED_CALENDARS) await storeCalendar(manager, calendar);
}

/**
 * The newest stored version, while it has not yet reached the open workflows; else null. Version 1
 * needs no rollout when it is the newest: it is what every workflow uses before it is told otherwise.
 */
export async function pendingCalendarRollout(manager: EntityManager): Promise<VersionedCalendar | null> {
  const [row] = await manager.query<{ version: number; data: CalendarData; rolled_out_at: Date | null }[]>(
    `SELECT version, data, rolled_out_at FROM calendars ORDER BY version DESC LIMIT 1`,
  );
  if (!row || row.rolled_out_at !== null || row.version === 1) return null;
  return { version: row.version, data: row.data };
}

/** Records that a version reached every open workflow. */
export async function markCalendarRolledOut(manager: EntityManager, version: number): Promise<void> {
  await manager.query(
    `UPDATE calendars SET rolled_out_at = now() WHERE version = $1 AND rolled_out_at IS NULL`,
    [version],
  );
}
