import { randomUUID } from 'node:crypto';
import { foldEvents, makeEvent, type ProjectEvent } from '../../libs/domain/src';
import { leadRegistered } from '../../libs/domain/src/testing/fixtures';
import {
  appendEvents,
  projectRowFromState,
  runMigrations,
  upsertProjectRow,
} from '../../libs/persistence/src';
import { migrationDatabase, type MigrationDatabase } from '../support/migration-database';

/**
 * The light-history step on a database that already holds projects: each project's light changes
 * are folded from its events, on their business days; a project whose light never moved has none.
 */
let db: MigrationDatabase;
beforeAll(async () => (db = await migrationDatabase('lights')), 60_000);
afterAll(() => db?.drop(), 60_000);

const addressee = {
  kind: 'service_officer',
  role: 'officer',
  id: 'o-1',
  label: '服务专员',
  region: '420500',
} as const;

it('fills project_lights from the events of the projects already there', async () => {
  const before = await db.before('ProjectLights1732430000000');
  const stalled = randomUUID();
  const quiet = randomUUID();
  const streams: Record<string, ProjectEvent[]> = {
    [stalled]: [
      makeEvent('LeadRegistered', '2025-01-06', { ...leadRegistered.data, projectId: stalled }),
      makeEvent('AlertRaised', '2025-02-10T01:00:00.000Z', {
        deadlineId: 'follow_up',
        rule: 'follow_up',
        step: 'talks',
        dueDate: '2025-02-09',
        rung: 1,
        addressee,
        light: 'red',
      }),
      makeEvent('LightChanged', '2025-03-03T01:00:00.000Z', {
        deadlineId: 'follow_up',
        from: 'red',
        to: 'green',
      }),
    ],
    [quiet]: [makeEvent('LeadRegistered', '2025-01-06', { ...leadRegistered.data, projectId: quiet })],
  };
  for (const [projectId, events] of Object.entries(streams)) {
    await appendEvents(before.manager, {
      projectId,
      expectedVersion: 0,
      events: events.map((e) => ({
        eventId: randomUUID(),
        type: e.type,
        schemaVersion: e.schemaVersion,
        businessTime: e.businessTime,
        data: e.data,
      })),
      actor: { id: 'officer-1', role: 'officer' },
      commandId: randomUUID(),
      workflowId: `project-${projectId}`,
      runId: randomUUID(),
      recordedAt: new Date(),
    });
    await upsertProjectRow(before.manager, projectRowFromState(foldEvents(events), new Date().toISOString()));
  }
  await before.destroy();

  const after = await db.after();
  try {
    expect((await runMigrations(after))[0]).toBe('ProjectLights1732430000000');
    const rows = await after.query<{ project_id: string; day: string; light: string }[]>(
      `SELECT project_id, day::text AS day, light FROM project_lights ORDER BY project_id, day`,
    );
    expect(rows).toEqual([
      { project_id: stalled, day: '2025-02-10', light: 'red' },
      { project_id: stalled, day: '2025-03-03', light: 'green' },
    ]);
    // The day of each project's latest change is on its row; a project never changed has none.
    const since = await after.query<{ project_id: string; light_since: string | null }[]>(
      `SELECT project_id, light_since::text AS light_since FROM projects WHERE project_id = ANY($1)`,
      [[stalled, quiet]],
    );
    expect(Object.fromEntries(since.map((r) => [r.project_id, r.light_since]))).toEqual({
      [stalled]: '2025-03-03',
      [quiet]: null,
    });
  } finally {
    await after.destroy();
  }
}, 120_000);
