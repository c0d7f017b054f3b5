import { DataSource, MigrationExecutor } from 'typeorm';
// Relative, not @app/config: the tests' global setup loads this file without jest's module mapping.
import {
  BATCH_DATABASE_TIMEOUTS,
  INTERACTIVE_DATABASE_TIMEOUTS,
  type DatabaseTimeouts,
} from '../../config/src/database-timeouts';
import { MIGRATIONS } from './migrations';
import { ProjectRecord } from './read-model/project.record';

export const ENTITIES = [ProjectRecord];

/**
 * node-postgres pool settings for the given timeouts. The server cancels a statement at
 * `statement_timeout` (SQLSTATE 57014) and ends a session idle in a transaction (25P03); the
 * client's own `query_timeout`, a second later, covers a server that cannot answer at all (stopped
 * with SIGSTOP, or its host gone), and TCP keep-alive notices a connection whose peer vanished.
 */
export function poolTimeouts(timeouts: DatabaseTimeouts): Record<string, number | boolean | undefined> {
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs > 0 ? timeouts.statementMs + 1_000 : undefined,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * One DataSource shape for the API, the worker, the tools and the tests. Never `synchronize`.
 * Timeouts default to a request's (a few seconds); batch work passes BATCH_DATABASE_TIMEOUTS.
 */
export function createDataSource(
  url: string,
  options: { poolSize?: number; applicationName?: string; timeouts?: Partial<DatabaseTimeouts> } = {},
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'lifecycle',
      ...poolTimeouts({ ...INTERACTIVE_DATABASE_TIMEOUTS, ...options.timeouts }),
    },
  });
}

// Any constant works; it only has to be the same in every process that migrates.
export const MIGRATION_LOCK = 7_324_501;

/**
 * Runs pending migrations under an advisory lock, so the API and the worker may both start at once.
 * On a pool of its own with batch timeouts: a migration over a large table, or the wait for the
 * other process's migrations, takes longer than a request may.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const options = dataSource.options;
  const migrating = new DataSource({
    ...options,
    extra: { ...options.extra, max: 2, ...poolTimeouts(BATCH_DATABASE_TIMEOUTS) },
  });
  await migrating.initialize();
  const runner = migrating.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await migrating.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
    await migrating.destroy();
  }
}

/**
 * The names of this code's migrations that the database has not run, in order; reads only (a
 * database without the migrations table has every one pending). The API and the worker refuse to
 * start while any is, since migrating is a step of its own (scripts/migrate.ts).
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  return pending.map((m) => m.name);
}
