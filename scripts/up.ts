/**
 * Brings the whole system up on one machine: embedded PostgreSQL (unless DATABASE_URL points
 * elsewhere), Temporal's dev server with file persistence (unless TEMPORAL_ADDRESS does), migrations,
 * the worker and the API. Ctrl-C (SIGINT) or SIGTERM stops everything it started, in reverse order.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { loadEnvironment } from '../libs/config/src';
import {
  assertPortFree,
  PortInUseError,
  startEmbeddedPostgres,
  startProcess,
  startTemporalDevServer,
  waitForLine,
  type ManagedProcess,
} from '../libs/local-stack/src';
import { migrate } from './migrate';

const root = resolve(__dirname, '..', '..');
const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}=${raw} is not a port number`);
  return n;
};

const colours: Record<string, string> = { postgres: '34', temporal: '35', worker: '33', api: '32', up: '1' };
function log(source: string, line: string): void {
  const colour = process.stdout.isTTY ? colours[source] : undefined;
  const tag = colour ? `\x1b[${colour}m[${source}]\x1b[0m` : `[${source}]`;
  process.stdout.write(`${tag} ${line}\n`);
}

async function main(): Promise<void> {
  const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
  const externalDatabase = process.env.DATABASE_URL;
  const externalTemporal = process.env.TEMPORAL_ADDRESS;
  const pgPort = int('PG_PORT', 54329);
  const temporalPort = int('TEMPORAL_PORT', 7233);
  const uiPort = int('TEMPORAL_UI_PORT', 8233);
  const apiPort = int('API_PORT', 3000);
  const apiHost = process.env.API_HOST ?? '127.0.0.1';

  // Fail before starting anything if a port is taken, naming the variable that moves it.
  await assertPortFree(apiPort, 'API_PORT', apiHost);
  if (!externalDatabase) await assertPortFree(pgPort, 'PG_PORT');
  if (!externalTemporal) {
    await assertPortFree(temporalPort, 'TEMPORAL_PORT');
    await assertPortFree(uiPort, 'TEMPORAL_UI_PORT');
  }

  const started: { name: string; stop: () => Promise<void>; process: ManagedProcess }[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('up', 'stopping…');
    for (const s of [...started].reverse()) {
      await s.stop().catch((e: unknown) => log('up', `${s.name} did not stop cleanly: ${String(e)}`));
      log('up', `${s.name} stopped`);
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll(0));
  const watch = (name: string, proc: ManagedProcess) =>
    void proc.exited.then((code) => {
      if (!stopping) {
        log('up', `${name} exited unexpectedly (${code}); stopping the rest`);
        void stopAll(1);
      }
    });

  let databaseUrl = externalDatabase;
  if (!databaseUrl) {
    log('up', `starting PostgreSQL on 127.0.0.1:${pgPort} (data in ${join(dataDir, 'pg')})`);
    const pg = await startEmbeddedPostgres({ dataDir, port: pgPort, onLine: (l) => log('postgres', l) });
    started.push({ name: 'postgres', stop: pg.stop, process: pg.process });
    watch('postgres', pg.process);
    databaseUrl = pg.url;
  }

  let temporalAddress = externalTemporal;
  let uiUrl: string | null = null;
  if (!temporalAddress) {
    log(
      'up',
      `starting Temporal's dev server on 127.0.0.1:${temporalPort} (history in ${join(dataDir, 'temporal')})`,
    );
    const temporal = await startTemporalDevServer({
      port: temporalPort,
      uiPort,
      dbFile: join(dataDir, 'temporal', 'temporal.db'),
      onLine: (l) => log('temporal', l),
    });
    started.push({ name: 'temporal', stop: temporal.stop, process: temporal.process });
    watch('temporal', temporal.process);
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    API_PORT: String(apiPort),
    API_HOST: apiHost,
  };
  // Validate once here so a bad variable is reported before any child starts.
  const env = loadEnvironment(childEnv);

  // The migrations, the step `npm run migrate` is on its own; the worker and the API refuse to start
  // before it. They work as the app role, never as the owner: a fresh password each start.
  const appUrl = await migrate({
    ownerUrl: env.DATABASE_URL,
    appLogin: env.DATABASE_APP_URL
      ? undefined
      : { user: 'lifecycle_app_local', password: randomBytes(18).toString('base64url') },
    log: (line) => log('up', line),
  });
  if (appUrl) childEnv.DATABASE_APP_URL = appUrl;
  else if (!env.DATABASE_APP_URL) log('up', 'the worker and the API connect as the owner');

  for (const [name, entry, readyText] of [
    ['worker', 'dist/apps/worker/src/main.js', 'worker ready'],
    ['api', 'dist/apps/api/src/main.js', 'api ready'],
  ] as const) {
    const proc = startProcess(name, process.execPath, ['--enable-source-maps', join(root, entry)], {
      env: childEnv,
      cwd: root,
      // Own process group: Ctrl-C reaches only this script, which stops children in order.
      detached: true,
      onLine: (l) => log(name, l),
    });
    started.push({ name, stop: () => proc.stop('SIGTERM', 20_000), process: proc });
    await waitForLine(proc, (l) => l.includes(readyText), 180_000);
    watch(name, proc);
  }

  const api = `http://${apiHost}:${apiPort}`;
  log('up', '');
  log('up', `Console          ${api}/   (development sign-in: pick a role and regions)`);
  log('up', `API              ${api}/api`);
  log('up', `OpenAPI docs     ${api}/docs   (JSON: ${api}/openapi.json)`);
  log('up', `Temporal Web UI  ${uiUrl ?? `(external Temporal at ${temporalAddress})`}`);
  log('up', `Health           ${api}/health/ready`);
  log('up', 'a token for local use: npm run -s token -- --role officer --region 420500 --sub officer-1');
  log('up', 'Ctrl-C stops everything.');
}

main().catch((e: unknown) => {
  if (e instanceof PortInUseError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
