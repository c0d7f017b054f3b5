import type { DataSource } from 'typeorm';
import type { DatabaseTimeouts } from '../../config/src/database-timeouts';
import { createDataSource, pendingMigrations } from './data-source';

/** The NOLOGIN group role a migration creates and grants the application's rights to. */
export const APP_ROLE = 'lifecycle_app';

/**
 * Creates (or resets the password of) a LOGIN user that is a member of the app role, as the owner,
 * after the migrations have run (scripts/migrate.ts); returns the connection string for it on the
 * owner's server and database. For the local stack and the tests; a deployment creates its login user itself.
 */
export async function ensureAppLogin(
  owner: DataSource,
  ownerUrl: string,
  login: { user: string; password: string },
): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(login.user)) throw new Error(`not a plain role name: ${login.user}`);
  const password = login.password.replace(/'/g, "''");
  await owner.query(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${login.user}') THEN
        CREATE ROLE ${login.user} LOGIN PASSWORD '${password}' IN ROLE ${APP_ROLE};
      ELSE
        ALTER ROLE ${login.user} LOGIN PASSWORD '${password}';
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  await owner.query(`GRANT ${APP_ROLE} TO ${login.user}`);
  const url = new URL(ownerUrl);
  url.username = login.user;
  url.password = login.password;
  return url.toString();
}

/** The command that runs the migrations; named in the refusal of a process that finds some pending. */
export const MIGRATE_COMMAND = 'npm run migrate';

/** A process's schema is behind its code: it must not start until the migrations have run. */
export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `the database has ${pending.length} migration${pending.length === 1 ? '' : 's'} not yet run ` +
        `(${pending.join(', ')}): run \`${MIGRATE_COMMAND}\` (node dist/scripts/migrate.js) with the ` +
        `owner's DATABASE_URL first`,
    );
    this.name = 'PendingMigrationsError';
  }
}

/** Throws PendingMigrationsError when the database has not run every migration of this code. */
export async function assertMigrated(dataSource: DataSource): Promise<void> {
  const pending = await pendingMigrations(dataSource);
  if (pending.length > 0) throw new PendingMigrationsError(pending);
}

/**
 * The DataSource a process works through, as the app role (`appUrl`) when one is configured, else
 * as the owner. It never migrates: when the schema is behind the code it throws
 * PendingMigrationsError. The check reads the migrations table as the owner (`ownerUrl`), since
 * the app role has no rights on it.
 */
export async function openDataSource(options: {
  ownerUrl: string;
  appUrl?: string;
  poolSize?: number;
  applicationName?: string;
  timeouts?: Partial<DatabaseTimeouts>;
}): Promise<DataSource> {
  const settings = {
    poolSize: options.poolSize,
    applicationName: options.applicationName,
    timeouts: options.timeouts,
  };
  if (!options.appUrl || options.appUrl === options.ownerUrl) {
    const dataSource = createDataSource(options.ownerUrl, settings);
    await dataSource.initialize();
    try {
      await assertMigrated(dataSource);
    } catch (e) {
      await dataSource.destroy();
      throw e;
    }
    return dataSource;
  }
  const owner = createDataSource(options.ownerUrl, { poolSize: 1, applicationName: options.applicationName });
  await owner.initialize();
  try {
    await assertMigrated(owner);
  } finally {
    await owner.destroy();
  }
  const dataSource = createDataSource(options.appUrl, settings);
  await dataSource.initialize();
  return dataSource;
}
