import type { Client } from '@temporalio/client';
import type { DataSource, EntityManager } from 'typeorm';
import type { VersionedCalendar } from '@app/domain';
import { currentCalendar } from '@app/persistence';
import { calendarChanged } from '@app/workflow-interface';
import { signalProjects } from './signal-projects';

export function createCalendarActivities(dataSource: DataSource) {
  return {
    /** The calendar in force, for a workflow that starts without one. */
    async loadCurrentCalendar(): Promise<VersionedCalendar> {
      return currentCalendar(dataSource.manager);
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;

/**
 * Tells every project of the read model about a calendar version, page by page; a project whose
 * workflow is not running is skipped. A workflow that gets a version twice, or an older one, ignores
 * it; one that starts later loads the stored version itself. `projectIds` narrows it to those.
 */
export async function signalCalendarToProjects(
  manager: EntityManager,
  client: Client,
  calendar: VersionedCalendar,
  options: { pageSize?: number; projectIds?: string[] } = {},
): Promise<{ signalled: number; notRunning: number }> {
  const pageSize = options.pageSize ?? 500;
  let signalled = 0;
  let notRunning = 0;
  for (let after = ''; ;) {
    const rows = await manager.query<{ project_id: string }[]>(
      `SELECT project_id FROM projects WHERE project_id > $1 AND ($3::text[] IS NULL OR project_id = ANY ($3))
       ORDER BY project_id LIMIT $2`,
      [after, pageSize, options.projectIds ?? null],
    );
    const page = await signalProjects(
      client,
      rows.map((r) => r.project_id),
      calendarChanged,
      calendar,
    );
    signalled += page.signalled;
    notRunning += page.notRunning;
    if (rows.length < pageSize) return { signalled, notRunning };
    after = rows[rows.length - 1].project_id;
  }
}
