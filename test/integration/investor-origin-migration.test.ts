import { randomUUID } from 'node:crypto';
import { foldEvents, makeEvent } from '../../libs/domain/src';
import { leadRegistered } from '../../libs/domain/src/testing/fixtures';
import { projectRowFromState, runMigrations, upsertProjectRow } from '../../libs/persistence/src';
import { migrationDatabase, type MigrationDatabase } from '../support/migration-database';

/**
 * The investor-origin step on a database that already holds projects: the column is filled from
 * each project's stored state, and a project whose investor has no origin keeps it empty.
 */
let db: MigrationDatabase;
beforeAll(async () => (db = await migrationDatabase('origin')), 60_000);
afterAll(() => db?.drop(), 60_000);

const project = (projectId: string, origin: string | undefined) =>
  foldEvents([
    makeEvent('LeadRegistered', '2025-03-01', {
      ...leadRegistered.data,
      projectId,
      investor: { ...leadRegistered.data.investor, ...(origin ? { origin } : {}) },
    }),
  ]);

it('fills investor_origin from the stored state of the projects already there', async () => {
  const before = await db.before('InvestorOrigin1732390000000');
  const fromGuangdong = randomUUID();
  const unknown = randomUUID();
  for (const [id, origin] of [
    [fromGuangdong, '440300'],
    [unknown, undefined],
  ] as const) {
    const row = projectRowFromState(project(id, origin), new Date().toISOString());
    delete row.investor_origin;
    await upsertProjectRow(before.manager, row);
  }
  await before.destroy();

  const after = await db.after();
  try {
    expect((await runMigrations(after))[0]).toBe('InvestorOrigin1732390000000');
    const rows = await after.query<{ project_id: string; investor_origin: string | null }[]>(
      `SELECT project_id, investor_origin FROM projects ORDER BY investor_origin NULLS LAST`,
    );
    expect(rows).toEqual([
      { project_id: fromGuangdong, investor_origin: '440300' },
      { project_id: unknown, investor_origin: null },
    ]);
    // And the projection writes it from now on, as the migration filled it.
    expect(projectRowFromState(project(fromGuangdong, '440300'), '').investor_origin).toBe('440300');
  } finally {
    await after.destroy();
  }
}, 120_000);
