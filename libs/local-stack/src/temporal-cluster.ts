import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startProcess, type ManagedProcess } from './managed-process';
import { createServer } from 'node:net';
import { waitForPort } from './ports';
import { PROJECT_SEARCH_ATTRIBUTES, TEMPORAL_DYNAMIC_CONFIG } from './temporal';
import {
  temporalCliPath,
  temporalPostgresSchemaDir,
  temporalServerPath,
  temporalSqlToolPath,
  temporalUiServerPath,
} from './tools';

/** Temporal's four services, started in this order and stopped in the reverse. */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface TemporalClusterPorts {
  /** gRPC of each service; the frontend's is the address clients use. */
  grpc: Record<TemporalService, number>;
  /** Ringpop membership of each service. */
  membership: Record<TemporalService, number>;
  /** The frontend's HTTP API. */
  frontendHttp: number;
}

export interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface TemporalClusterOptions {
  /** A login that may create databases (the embedded PostgreSQL's superuser URL), or its parts. */
  postgresUrl?: string;
  postgres?: PostgresConnection;
  /** Temporal's own database; its visibility goes to `<databaseName>_visibility`. */
  databaseName?: string;
  /** Config, dynamic config and the UI's config are written here. */
  dataDir: string;
  /** Missing ports are taken free from the OS. */
  ports?: Partial<Omit<TemporalClusterPorts, 'grpc' | 'membership'>> & {
    grpc?: Partial<Record<TemporalService, number>>;
    membership?: Partial<Record<TemporalService, number>>;
  };
  namespace?: string;
  /** The Web UI (ui-server) on this port when given. */
  uiPort?: number;
  onLine?: (source: TemporalService | 'ui' | 'setup', line: string) => void;
}

export interface RunningTemporalCluster {
  address: string;
  uiUrl: string | null;
  namespace: string;
  ports: TemporalClusterPorts;
  /** The four services (and the UI when started), as running now. */
  processes: Partial<Record<TemporalService | 'ui', ManagedProcess>>;
  /** Stops everything: the UI, then the services. */
  stop(): Promise<void>;
  /** Stops the four services (the database stays as it is). */
  stopServices(): Promise<void>;
  /** Starts the four services again on the same database and waits until the frontend serves. */
  startServices(): Promise<void>;
}

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) || (error?.message ?? '') });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connectionOf(options: TemporalClusterOptions): PostgresConnection {
  if (options.postgres) return options.postgres;
  if (!options.postgresUrl) throw new Error('startTemporalCluster needs postgresUrl or postgres');
  const url = new URL(options.postgresUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/**
 * Creates Temporal's database (or visibility database) when it is missing, and brings its schema to
 * the version the pinned server ships, with the server's own temporal-sql-tool.
 */
async function migrateDatabase(
  pg: PostgresConnection,
  database: string,
  schema: 'temporal' | 'visibility',
  log: (line: string) => void,
): Promise<void> {
  const tool = temporalSqlToolPath();
  const base = [
    '--plugin',
    'postgres12',
    '--endpoint',
    pg.host,
    '--port',
    String(pg.port),
    '--user',
    pg.user,
    '--password',
    pg.password,
    '--database',
    database,
  ];
  const admin = new Client({ ...pg, database: 'postgres' });
  await admin.connect();
  let exists: boolean;
  let versioned = false;
  try {
    exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
  } finally {
    await admin.end();
  }
  if (exists) {
    const db = new Client({ ...pg, database });
    await db.connect();
    try {
      versioned =
        (await db.query("SELECT 1 FROM pg_tables WHERE tablename = 'schema_version'")).rowCount === 1;
    } finally {
      await db.end();
    }
  }
  const step = async (args: string[]) => {
    const result = await run(tool, [...base, ...args], 120_000);
    if (result.code !== 0)
      throw new Error(
        `temporal-sql-tool ${args[0]} on ${database} failed (${result.code}):\n${result.stderr}${result.stdout}`,
      );
  };
  if (!exists) {
    log(`creating database ${database}`);
    await step(['create-database']);
  }
  if (!versioned) await step(['setup-schema', '-v', '0.0']);
  // Applies only the versions the database lacks: a no-op on a current database.
  await step(['update-schema', '-d', join(temporalPostgresSchemaDir(), schema, 'versioned')]);
}

function configYaml(
  pg: PostgresConnection,
  database: string,
  ports: TemporalClusterPorts,
  dynamicConfigFile: string,
): string {
  const store = (name: string, maxConns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: ${JSON.stringify(name)}
        connectAddr: ${JSON.stringify(`${pg.host}:${pg.port}`)}
        connectProtocol: "tcp"
        user: ${JSON.stringify(pg.user)}
        password: ${JSON.stringify(pg.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (name: TemporalService) => `
  ${name}:
    rpc:
      grpcPort: ${ports.grpc[name]}
      membershipPort: ${ports.membership[name]}
      bindOnIP: "127.0.0.1"${name === 'frontend' ? `\n      httpPort: ${ports.frontendHttp}` : ''}`;
  // Four processes share one PostgreSQL with the app: small pools keep the sum under its 100 connections.
  return `# Written by libs/local-stack (temporal-cluster.ts) on every start.
log:
  stdout: true
  level: warn

persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(database, 6)}
    visibility:${store(`${database}_visibility`, 2)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:${TEMPORAL_SERVICES.map(service).join('')}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.grpc.frontend}"

dcRedirectionPolicy:
  policy: "noop"

publicClient:
  hostPort: "127.0.0.1:${ports.grpc.frontend}"

dynamicConfigClient:
  filepath: ${JSON.stringify(dynamicConfigFile)}
  pollInterval: "10s"
`;
}

// The settings the dev server gets (TEMPORAL_DYNAMIC_CONFIG), so the app behaves the same on both.
const DYNAMIC_CONFIG = Object.entries(TEMPORAL_DYNAMIC_CONFIG)
  .map(([key, value]) => `${key}:\n  - value: ${value}\n`)
  .join('');

/**
 * A free port below 32768: Temporal stores each host's port in a smallint (cluster_membership), so
 * the OS's ephemeral ports (32768 and up here) are refused at start-up.
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolvePromise) => {
      const server = createServer();
      server.once('error', () => resolvePromise(false));
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
        server.close(() => resolvePromise(true)),
      );
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port below 32768 for Temporal');
}

async function resolvePorts(given: TemporalClusterOptions['ports']): Promise<TemporalClusterPorts> {
  const grpc = {} as Record<TemporalService, number>;
  const membership = {} as Record<TemporalService, number>;
  const taken = new Set<number>();
  for (const s of TEMPORAL_SERVICES) {
    grpc[s] = given?.grpc?.[s] ?? (await freeLowPort(taken));
    membership[s] = given?.membership?.[s] ?? (await freeLowPort(taken));
  }
  return { grpc, membership, frontendHttp: given?.frontendHttp ?? (await freeLowPort(taken)) };
}

/**
 * Temporal as it is deployed: the four services as separate processes of the pinned server, one
 * config file, persistence and visibility in PostgreSQL databases of their own. Resolves once the
 * frontend serves, the namespace exists and the project's search attributes are listed.
 */
export async function startTemporalCluster(options: TemporalClusterOptions): Promise<RunningTemporalCluster> {
  for (const [what, path] of [
    ['temporal-server', temporalServerPath()],
    ['temporal-sql-tool', temporalSqlToolPath()],
    ['the Temporal CLI', temporalCliPath()],
    ...(options.uiPort ? [['the Temporal UI server', temporalUiServerPath()]] : []),
  ])
    if (!existsSync(path)) throw new Error(`${what} not found at ${path}; run scripts/install-tools.sh`);
  const log = (source: TemporalService | 'ui' | 'setup', line: string) => options.onLine?.(source, line);
  const pg = connectionOf(options);
  const database = options.databaseName ?? 'temporal';
  const namespace = options.namespace ?? 'default';
  const ports = await resolvePorts(options.ports);
  const address = `127.0.0.1:${ports.grpc.frontend}`;

  await migrateDatabase(pg, database, 'temporal', (l) => log('setup', l));
  await migrateDatabase(pg, `${database}_visibility`, 'visibility', (l) => log('setup', l));

  const configDir = join(options.dataDir, 'config');
  mkdirSync(configDir, { recursive: true });
  const dynamicConfigFile = join(configDir, 'dynamic.yaml');
  writeFileSync(dynamicConfigFile, DYNAMIC_CONFIG);
  writeFileSync(join(configDir, 'cluster.yaml'), configYaml(pg, database, ports, dynamicConfigFile));

  const processes: RunningTemporalCluster['processes'] = {};
  const cli = temporalCliPath();
  const temporalCli = (args: string[], timeoutMs = 30_000) =>
    run(cli, [...args, '--address', address], timeoutMs);

  const stopServices = async () => {
    for (const s of [...TEMPORAL_SERVICES].reverse()) {
      await processes[s]?.stop('SIGTERM', 20_000);
      delete processes[s];
    }
  };

  const startServices = async () => {
    let failed: (reason: unknown) => void = () => undefined;
    const exited = new Promise<never>((_, reject) => (failed = reject));
    exited.catch(() => undefined);
    const launch = (s: TemporalService) => {
      const proc = startProcess(
        `temporal-${s}`,
        temporalServerPath(),
        [
          '--root',
          configDir,
          '--config',
          '.',
          '--env',
          'cluster',
          '--allow-no-auth',
          'start',
          '--service',
          s,
        ],
        { onLine: (l) => log(s, l) },
      );
      processes[s] = proc;
      void proc.exited.then((code) =>
        failed(new Error(`Temporal's ${s} service exited (${code}) before the cluster was ready`)),
      );
    };
    const ready = (async () => {
      // History first, alone: each service writes the cluster's metadata on its first start, and two
      // at once on an empty database collide on its key (the loser exits).
      launch('history');
      await waitForPort(ports.grpc.history, '127.0.0.1', 120_000, "Temporal's history service");
      for (const s of TEMPORAL_SERVICES) if (s !== 'history') launch(s);
      // The worker service serves no gRPC of its own; its ring membership shows it is up.
      for (const s of TEMPORAL_SERVICES)
        await waitForPort(
          s === 'worker' ? ports.membership.worker : ports.grpc[s],
          '127.0.0.1',
          120_000,
          `Temporal's ${s} service`,
        );
      // Serving means the frontend reached history and persistence, not only that its port is open.
      const deadline = Date.now() + 120_000;
      for (;;) {
        const health = await temporalCli(['operator', 'cluster', 'health'], 10_000);
        if (health.code === 0 && health.stdout.includes('SERVING')) return;
        if (Date.now() > deadline)
          throw new Error(
            `Temporal's frontend at ${address} is not healthy:\n${health.stderr}${health.stdout}`,
          );
        await sleep(500);
      }
    })();
    try {
      await Promise.race([ready, exited]);
    } catch (e) {
      await stopServices();
      throw e;
    } finally {
      failed = () => undefined;
    }
  };

  const stopUi = async () => {
    await processes.ui?.stop('SIGTERM', 10_000);
    delete processes.ui;
  };
  const stop = async () => {
    await stopUi();
    await stopServices();
  };

  try {
    await startServices();
    await registerNamespace(temporalCli, namespace, (l) => log('setup', l));
    await createSearchAttributes(temporalCli, namespace, (l) => log('setup', l));
    if (options.uiPort) {
      const uiDir = join(options.dataDir, 'ui');
      mkdirSync(uiDir, { recursive: true });
      writeFileSync(
        join(uiDir, 'cluster.yaml'),
        [
          `temporalGrpcAddress: "${address}"`,
          'host: "127.0.0.1"',
          `port: ${options.uiPort}`,
          'enableUi: true',
          `defaultNamespace: ${JSON.stringify(namespace)}`,
          'cors:',
          '  cookieInsecure: true',
          '',
        ].join('\n'),
      );
      writeFileSync(join(uiDir, 'base.yaml'), '');
      const ui = startProcess(
        'temporal-ui',
        temporalUiServerPath(),
        ['--root', uiDir, '--config', '.', '--env', 'cluster', 'start'],
        {
          onLine: (l) => log('ui', l),
        },
      );
      processes.ui = ui;
      await Promise.race([
        waitForPort(options.uiPort, '127.0.0.1', 60_000, 'Temporal Web UI'),
        ui.exited.then((code) => {
          throw new Error(`Temporal's Web UI exited (${code}) before it was ready`);
        }),
      ]);
    }
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    namespace,
    ports,
    processes,
    stop,
    stopServices,
    startServices,
  };
}

type TemporalCli = (args: string[], timeoutMs?: number) => Promise<CommandResult>;

async function registerNamespace(cli: TemporalCli, namespace: string, log: (l: string) => void) {
  const described = await cli(['operator', 'namespace', 'describe', '--namespace', namespace]);
  if (described.code === 0) return;
  log(`registering namespace ${namespace}`);
  const created = await cli([
    'operator',
    'namespace',
    'create',
    '--namespace',
    namespace,
    '--retention',
    '72h',
  ]);
  if (created.code !== 0 && !/already (exists|registered)/i.test(created.stderr))
    throw new Error(`could not register namespace ${namespace}:\n${created.stderr}${created.stdout}`);
}

/**
 * Creates the project's search attributes once the namespace is visible to the frontend (its cache
 * lags the registration), then waits until they are listed. A workflow that sets an attribute the
 * namespace lacks fails every task with BadSearchAttributes, so failing here, loudly, is the point.
 */
async function createSearchAttributes(cli: TemporalCli, namespace: string, log: (l: string) => void) {
  const wanted = Object.entries(PROJECT_SEARCH_ATTRIBUTES);
  const listed = async (): Promise<Set<string> | string> => {
    const result = await cli([
      'operator',
      'search-attribute',
      'list',
      '--namespace',
      namespace,
      '-o',
      'json',
    ]);
    if (result.code !== 0) return `${result.stderr}${result.stdout}`;
    const rows = JSON.parse(result.stdout) as
      { name: string }[] | { customAttributes?: Record<string, unknown> };
    // The CLI prints a list of {name, type}; older ones printed the API's response.
    return new Set(Array.isArray(rows) ? rows.map((r) => r.name) : Object.keys(rows.customAttributes ?? {}));
  };
  const deadline = Date.now() + 90_000;
  let last = '';
  for (;;) {
    const names = await listed();
    const missing = typeof names === 'string' ? wanted : wanted.filter(([n]) => !names.has(n));
    if (missing.length === 0) return;
    if (typeof names !== 'string') {
      log(`creating search attributes ${missing.map(([n]) => n).join(', ')} in ${namespace}`);
      last = '';
      // One call per type: the CLI takes several names but a single --type.
      for (const type of new Set(missing.map(([, t]) => t))) {
        const args = ['operator', 'search-attribute', 'create', '--namespace', namespace, '--type', type];
        for (const [name] of missing.filter(([, t]) => t === type)) args.push('--name', name);
        const created = await cli(args);
        if (created.code !== 0) last += `${created.stderr}${created.stdout}`;
      }
    } else last = names;
    if (Date.now() > deadline)
      throw new Error(
        `the search attributes ${missing.map(([n]) => n).join(', ')} could not be created in namespace ${namespace}:\n${last}`,
      );
    await sleep(1_000);
  }
}
