import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  openDataSource,
  pendingMigrations,
  PendingMigrationsError,
} from '../../libs/persistence/src';
import { MIGRATIONS } from '../../libs/persistence/src/migrations';
import { migrate } from '../../scripts/migrate';

/**
 * Migrations are a step of their own (`npm run migrate`): the API and the worker never migrate, and
 * refuse to start, naming that command, while a migration is pending.
 */
let owner: DataSource;
let database: string;
const saved = { ...process.env };

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
const ownerUrl = () => withDatabase(process.env.TEST_DATABASE_URL!, database);
const appUrl = () => withDatabase(process.env.TEST_DATABASE_APP_URL!, database);

beforeAll(async () => {
  owner = createDataSource(process.env.TEST_DATABASE_URL!);
  await owner.initialize();
  database = `migrate_${randomUUID().slice(0, 8)}`;
  await owner.query(`CREATE DATABASE ${database}`);
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await owner?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await owner?.destroy();
});

describe('the migrate step', () => {
  it('finds every migration pending on a fresh database', async () => {
    const fresh = createDataSource(ownerUrl());
    await fresh.initialize();
    try {
      expect(await pendingMigrations(fresh)).toHaveLength(MIGRATIONS.length);
      // Only read: the check made no migrations table.
      const [{ exists }] = await fresh.query<{ exists: boolean }[]>(
        `SELECT to_regclass('migrations') IS NOT NULL AS exists`,
      );
      expect(exists).toBe(false);
    } finally {
      await fresh.destroy();
    }
  });

  it.each([
    ['as the owner', () => ({ ownerUrl: ownerUrl() })],
    ['as the app role', () => ({ ownerUrl: ownerUrl(), appUrl: appUrl() })],
  ])('refuses to open a DataSource %s before it, naming the command', async (_, options) => {
    const refusal = openDataSource(options());
    await expect(refusal).rejects.toBeInstanceOf(PendingMigrationsError);
    await expect(openDataSource(options())).rejects.toThrow(
      /migrations not yet run \(EventStore\d+, .*\): run `npm run migrate`/,
    );
  });

  it("keeps the API from starting, with the refusal's message", async () => {
    Object.assign(process.env, {
      NODE_ENV: 'test',
      DATABASE_URL: ownerUrl(),
      DATABASE_APP_URL: appUrl(),
      TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: `migrate-${randomUUID()}`,
    });
    const { createApp } = await import('../../apps/api/src/app.factory');
    await expect(createApp({ logger: false })).rejects.toThrow(/run `npm run migrate`/);
  }, 60_000);

  it.each([
    ['worker', 'dist/apps/worker/src/main.js'],
    ['api', 'dist/apps/api/src/main.js'],
  ])(
    'keeps the built %s from starting: it exits 1 naming the command',
    (name, entry) => {
      const run = spawnSync(process.execPath, [join(resolve(__dirname, '..', '..'), entry)], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATABASE_URL: ownerUrl(),
          DATABASE_APP_URL: appUrl(),
          TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
          TEMPORAL_TASK_QUEUE: `migrate-${randomUUID()}`,
          API_PORT: '1',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^${name} not started: the database has \\d+ migrations not yet run .*: run \`npm run migrate\``,
          'm',
        ),
      );
    },
    90_000,
  );

  it('applies every migration once, says what it applied, and makes the login', async () => {
    const lines: string[] = [];
    const password = randomUUID();
    const login = await migrate({
      ownerUrl: ownerUrl(),
      appLogin: { user: 'lifecycle_app_migrate_test', password },
      log: (line) => lines.push(line),
    });
    // In the order of their timestamps, which TypeORM runs them in.
    const names = MIGRATIONS.map((m) => m.name).sort(
      (a, b) => Number(a.match(/\d+$/)![0]) - Number(b.match(/\d+$/)![0]),
    );
    expect(lines[0]).toBe(`migrations applied: ${names.join(', ')}`);
    expect(lines[1]).toBe(
      'the worker and the API connect as lifecycle_app_migrate_test (role lifecycle_app)',
    );
    expect(new URL(login!).username).toBe('lifecycle_app_migrate_test');

    const again: string[] = [];
    expect(await migrate({ ownerUrl: ownerUrl(), log: (line) => again.push(line) })).toBeUndefined();
    expect(again).toEqual(['schema up to date']);

    // Now both open, the app's as the login just made.
    const app = await openDataSource({ ownerUrl: ownerUrl(), appUrl: login });
    try {
      const [{ user }] = await app.query<{ user: string }[]>('SELECT current_user AS user');
      expect(user).toBe('lifecycle_app_migrate_test');
    } finally {
      await app.destroy();
    }
    const migrated = createDataSource(ownerUrl());
    await migrated.initialize();
    try {
      expect(await pendingMigrations(migrated)).toEqual([]);
    } finally {
      await migrated.destroy();
    }
  }, 120_000);
});
