/**
 * Brings the whole system up on one machine: embedded PostgreSQL (unless DATABASE_URL points
 * elsewhere), Temporal's dev server with file persistence (unless TEMPORAL_ADDRESS does), migrations,
 * the worker and the API. Ctrl-C (SIGINT) or SIGTERM stops everything it started, in reverse order.
 * TEMPORAL_TOPOLOGY=cluster runs Temporal as deployed instead (four services on PostgreSQL, its Web
 * UI), with WORKER_REPLICAS workers and API_REPLICAS APIs sharing API_PORT.
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
  startTemporalCluster,
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

const replicas = (name: string) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`${name}=${raw} is not a number from 1 to 16`);
  return n;
};

const colours: Record<string, string> = { postgres: '34', temporal: '35', worker: '33', api: '32', up: '1' };
function log(source: string, line: string): void {
  const colour = process.stdout.isTTY ? colours[source.replace(/-.*$/, '')] : undefined;
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
  const topology = process.env.TEMPORAL_TOPOLOGY ?? 'dev';
  if (topology !== 'dev' && topology !== 'cluster')
    throw new Error(`TEMPORAL_TOPOLOGY=${topology} is neither dev nor cluster`);
  const apiReplicas = replicas('API_REPLICAS');
  const workerReplicas = replicas('WORKER_REPLICAS');
  // The cluster's other ports sit where Temporal's own defaults put them relative to the frontend.
  const clusterPorts = {
    grpc: {
      frontend: temporalPort,
      history: temporalPort + 1,
      matching: temporalPort + 2,
      worker: temporalPort + 6,
    },
    membership: {
      frontend: temporalPort - 300,
      history: temporalPort - 299,
      matching: temporalPort - 298,
      worker: temporalPort - 294,
    },
    frontendHttp: temporalPort + 10,
  };

  // Fail before starting anything if a port is taken, naming the variable that moves it.
  await assertPortFree(apiPort, 'API_PORT', apiHost);
  if (!externalDatabase) await assertPortFree(pgPort, 'PG_PORT');
  if (!externalTemporal) {
    await assertPortFree(temporalPort, 'TEMPORAL_PORT');
    await assertPortFree(uiPort, 'TEMPORAL_UI_PORT');
    if (topology === 'cluster')
      for (const port of [
        ...Object.values(clusterPorts.grpc),
        ...Object.values(clusterPorts.membership),
        clusterPorts.frontendHttp,
      ])
        await assertPortFree(port, 'TEMPORAL_PORT');
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
  if (!temporalAddress && topology === 'cluster') {
    log(
      'up',
      `starting Temporal's cluster (frontend 127.0.0.1:${temporalPort}; history, matching and worker ` +
        `on ${temporalPort + 1}, ${temporalPort + 2}, ${temporalPort + 6}) on PostgreSQL (databases temporal, temporal_visibility)`,
    );
    const t0 = Date.now();
    const temporal = await startTemporalCluster({
      postgresUrl: databaseUrl,
      databaseName: 'temporal',
      dataDir: join(dataDir, 'temporal-cluster'),
      ports: clusterPorts,
      uiPort,
      onLine: (source, l) => log(`temporal-${source}`, l),
    });
    for (const [name, proc] of Object.entries(temporal.processes)) {
      if (!proc) continue;
      started.push({ name: `temporal-${name}`, stop: () => proc.stop('SIGTERM', 20_000), process: proc });
      watch(`temporal-${name}`, proc);
    }
    log('up', `Temporal's cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
  } else if (!temporalAddress) {
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

  // M workers are M processes on one task queue; N APIs are one primary forking N replicas that share
  // API_PORT through Node's cluster module (scripts/api-replicas.ts), so no proxy sits in between.
  const children: [string, string[], string, number][] = [];
  for (let i = 1; i <= workerReplicas; i++)
    children.push([
      workerReplicas === 1 ? 'worker' : `worker-${i}`,
      [join(root, 'dist/apps/worker/src/main.js')],
      'worker ready',
      1,
    ]);
  children.push(
    apiReplicas === 1
      ? ['api', [join(root, 'dist/apps/api/src/main.js')], 'api ready', 1]
      : ['api', [join(root, 'dist/scripts/api-replicas.js'), String(apiReplicas)], 'api ready', apiReplicas],
  );
  for (const [name, args, readyText, readyCount] of children) {
    const proc = startProcess(name, process.execPath, ['--enable-source-maps', ...args], {
      env: childEnv,
      cwd: root,
      // Own process group: Ctrl-C reaches only this script, which stops children in order.
      detached: true,
      onLine: (l) => log(name, l),
    });
    started.push({ name, stop: () => proc.stop('SIGTERM', 20_000), process: proc });
    let ready = 0;
    await waitForLine(proc, (l) => l.includes(readyText) && ++ready === readyCount, 180_000);
    watch(name, proc);
  }

  const api = `http://${apiHost}:${apiPort}`;
  log('up', '');
  log('up', `Console          ${api}/   (development sign-in: pick a role and regions)`);
  log('up', `API              ${api}/api`);
  log('up', `OpenAPI docs     ${api}/docs   (JSON: ${api}/openapi.json)`);
  log('up', `Temporal Web UI  ${uiUrl ?? `(external Temporal at ${temporalAddress})`}`);
  if (topology === 'cluster' || apiReplicas > 1 || workerReplicas > 1)
    log(
      'up',
      `Topology         Temporal ${topology}, ${apiReplicas} API replica(s), ${workerReplicas} worker(s)`,
    );
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
