import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../../libs/persistence/src';
import { MIGRATIONS } from '../../libs/persistence/src/migrations';

/**
 * A database of its own on the suite's PostgreSQL, for a migration's test: brought to the step
 * before the migration, given rows as an older release wrote them, then migrated the rest of the way.
 */
export interface MigrationDatabase {
  /** Migrates an empty database up to, not including, `migration`; the caller writes its rows, then destroys it. */
  before(migration: string): Promise<DataSource>;
  /** A connection to the same database, for `runMigrations` and the checks after it. */
  after(): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function migrationDatabase(prefix: string): Promise<MigrationDatabase> {
  const owner = createDataSource(process.env.TEST_DATABASE_URL!);
  await owner.initialize();
  const database = `${prefix}_${randomUUID().slice(0, 8)}`;
  await owner.query(`CREATE DATABASE ${database}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${database}`;
  return {
    async before(migration) {
      const index = MIGRATIONS.findIndex((m) => m.name === migration);
      if (index <= 0) throw new Error(`no migration ${migration} after the first`);
      const older = new DataSource({
        type: 'postgres',
        url: url.toString(),
        migrations: MIGRATIONS.slice(0, index),
        migrationsTableName: 'migrations',
      });
      await older.initialize();
      await runMigrations(older);
      return older;
    },
    async after() {
      const current = createDataSource(url.toString());
      await current.initialize();
      return current;
    },
    async drop() {
      await owner.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await owner.destroy();
    },
  };
}
