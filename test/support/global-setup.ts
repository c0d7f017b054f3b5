import { randomUUID } from 'node:crypto';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  startEmbeddedPostgres,
  startTemporalDevServer,
  type RunningPostgres,
  type RunningTemporal,
} from '../../libs/local-stack/src';
import { ensureAppLogin } from '../../libs/persistence/src/app-role';
import { createDataSource, runMigrations } from '../../libs/persistence/src/data-source';

interface TestStack {
  users: number;
  postgres: RunningPostgres;
  temporal: RunningTemporal;
  dir: string;
}
const holder = globalThis as { __lifecycleTestStack?: TestStack };

/**
 * Real servers for the integration and e2e projects, on free ports so they never collide with a
 * running system: an embedded PostgreSQL (fresh data dir, migrated) and Temporal's dev server.
 * Started once per jest run; their addresses reach the tests through the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (holder.__lifecycleTestStack) {
    holder.__lifecycleTestStack.users++;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-test-'));
  chmodSync(dir, 0o755);
  const verbose = process.env.TEST_STACK_VERBOSE ? (l: string) => process.stderr.write(`${l}\n`) : undefined;
  const [postgres, temporal] = await Promise.all([
    freePort().then((port) =>
      startEmbeddedPostgres({ dataDir: dir, port, database: 'lifecycle_test', onLine: verbose }),
    ),
    freePort().then((port) => startTemporalDevServer({ port, onLine: verbose })),
  ]);
  const ds = createDataSource(postgres.url);
  await ds.initialize();
  await runMigrations(ds);
  // The API and the worker of startSystem connect as the app role, as a deployment does; tests that
  // need the owner's powers (tampering, fresh databases) keep TEST_DATABASE_URL.
  const appUrl = await ensureAppLogin(ds, postgres.url, {
    user: 'lifecycle_app_test',
    password: randomUUID(),
  });
  await ds.destroy();
  process.env.TEST_DATABASE_URL = postgres.url;
  process.env.TEST_DATABASE_APP_URL = appUrl;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_STACK_DIR = dir;
  holder.__lifecycleTestStack = { users: 1, postgres, temporal, dir };
}
