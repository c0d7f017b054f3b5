import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { ProjectRecord } from './read-model/project.record';

export const ENTITIES = [ProjectRecord];

/** One DataSource shape for the API, the worker, the tools and the tests. Never `synchronize`. */
export function createDataSource(
  url: string,
  options: { poolSize?: number; applicationName?: string } = {},
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
    extra: { max: options.poolSize ?? 10, application_name: options.applicationName ?? 'lifecycle' },
  });
}

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 7_324_501;

/** Runs pending migrations under an advisory lock, so the API and the worker may both start at once. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
