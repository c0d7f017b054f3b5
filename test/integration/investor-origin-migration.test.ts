import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { foldEvents, makeEvent } from '../../libs/domain/src';
import { leadRegistered } from '../../libs/domain/src/testing/fixtures';
import {
  createDataSource,
  projectRowFromState,
  runMigrations,
  upsertProjectRow,
} from '../../libs/persistence/src';
import { MIGRATIONS } from '../../libs/persistence/src/migrations';

/**
 * The investor-origin step on a database that already holds projects: the column is filled from
 * each project's stored state, and a project whose investor has no origin keeps it empty.
 */
let owner: DataSource;
let database: string;
const url = () => {
  const u = new URL(process.env.TEST_DATABASE_URL!);
  u.pathname = `/${database}`;
  return u.toString();
};

beforeAll(async () => {
  owner = createDataSource(process.env.TEST_DATABASE_URL!);
  await owner.initialize();
  database = `origin_${randomUUID().slice(0, 8)}`;
  await owner.query(`CREATE DATABASE ${database}`);
}, 60_000);
afterAll(async () => {
  await owner?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await owner?.destroy();
}, 60_000);

const project = (projectId: string, origin: string | undefined) =>
  foldEvents([
    makeEvent('LeadRegistered', '2025-03-01', {
      ...leadRegistered.data,
      projectId,
      investor: { ...leadRegistered.data.investor, ...(origin ? { origin } : {}) },
    }),
  ]);

it('fills investor_origin from the stored state of the projects already there', async () => {
  const index = MIGRATIONS.findIndex((m) => m.name === 'InvestorOrigin1732390000000');
  expect(index).toBeGreaterThan(0);
  const before = new DataSource({
    type: 'postgres',
    url: url(),
    migrations: MIGRATIONS.slice(0, index),
    migrationsTableName: 'migrations',
  });
  await before.initialize();
  await runMigrations(before);
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

  const after = createDataSource(url());
  await after.initialize();
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
