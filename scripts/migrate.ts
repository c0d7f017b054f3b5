/**
 * The migrations, as a step of their own (`npm run migrate`, or `node dist/scripts/migrate.js` in a
 * deployment): runs what is pending as the owner (DATABASE_URL), under the advisory lock of
 * runMigrations, and makes sure the login the API and the worker connect as is a member of the app
 * role. The API and the worker never migrate; they refuse to start while a migration is pending.
 * `scripts/up.ts` runs the same function before it starts them.
 */
import 'reflect-metadata';
import { loadEnvironment } from '../libs/config/src';
import { createDataSource, ensureAppLogin, runMigrations } from '../libs/persistence/src';

export interface MigrateOptions {
  /** The owner's connection string: it runs the migrations and creates the login. */
  ownerUrl: string;
  /** The login to create (or whose password to reset) in the app role; none: only migrate. */
  appLogin?: { user: string; password: string };
  log: (line: string) => void;
}

/**
 * Migrates, then ensures `appLogin`; returns the login's connection string, or undefined when none
 * was asked for or it could not be made (then the processes connect as the owner, as the log says).
 */
export async function migrate(options: MigrateOptions): Promise<string | undefined> {
  const owner = createDataSource(options.ownerUrl, { poolSize: 1, applicationName: 'lifecycle-migrate' });
  await owner.initialize();
  try {
    const applied = await runMigrations(owner);
    options.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema up to date');
    if (!options.appLogin) return undefined;
    try {
      const appUrl = await ensureAppLogin(owner, options.ownerUrl, options.appLogin);
      options.log(`the worker and the API connect as ${options.appLogin.user} (role lifecycle_app)`);
      return appUrl;
    } catch (e) {
      options.log(`could not create the app's login user ${options.appLogin.user} (${String(e)})`);
      return undefined;
    }
  } finally {
    await owner.destroy();
  }
}

/**
 * The login DATABASE_APP_URL names, made on the owner's server with the password it carries; none
 * when it is unset or names the owner itself.
 */
function loginOf(appUrl: string | undefined, ownerUrl: string): MigrateOptions['appLogin'] {
  if (!appUrl) return undefined;
  const url = new URL(appUrl);
  if (url.username === new URL(ownerUrl).username) return undefined;
  return { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

async function main(): Promise<void> {
  const env = loadEnvironment();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  await migrate({
    ownerUrl: env.DATABASE_URL,
    appLogin: loginOf(env.DATABASE_APP_URL, env.DATABASE_URL),
    log,
  });
  if (!env.DATABASE_APP_URL) log('DATABASE_APP_URL is unset: the worker and the API connect as the owner');
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
