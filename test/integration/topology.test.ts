/**
 * The production topology on this machine: Temporal's four services on PostgreSQL (not the dev
 * server), two workers and two APIs as processes of their own from dist/, with NODE_ENV=production
 * and secrets of their own. One cluster, on its own embedded PostgreSQL and free ports, for the file.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { commandIdFor } from '../../apps/api/src/common/idempotency';
import {
  freePort,
  startEmbeddedPostgres,
  startProcess,
  startTemporalCluster,
  waitForLine,
  type ManagedProcess,
  type RunningPostgres,
  type RunningTemporalCluster,
} from '../../libs/local-stack/src';
import { MIGRATION_LOCK } from '../../libs/persistence/src/data-source';
import { MIGRATIONS } from '../../libs/persistence/src/migrations';
import { AUDIT_CHECKPOINT_SCHEDULE_ID } from '../../libs/workflow-interface/src/audit-checkpoint';
import { projectWorkflowId } from '../../libs/workflow-interface/src';
import { COUNTY, defaultEvidenceSlots, evidence, lead, PATH_TO, pdfBytes, today } from '../support/api';

const root = resolve(__dirname, '..', '..');
// DIST_DIR: another build of the repository (dist/ by default, as scripts/test.sh builds it).
const dist = resolve(root, process.env.DIST_DIR ?? 'dist');
const DIST = {
  api: join(dist, 'apps/api/src/main.js'),
  worker: join(dist, 'apps/worker/src/main.js'),
  migrate: join(dist, 'scripts/migrate.js'),
  replay: join(dist, 'scripts/replay-workflows.js'),
};
const verbose = process.env.TEST_STACK_VERBOSE
  ? (source: string, l: string) => process.stderr.write(`[${source}] ${l}\n`)
  : undefined;

interface Replica {
  name: string;
  proc: ManagedProcess;
  /** Starts refused because a migration was still pending (then started again, as a supervisor would). */
  refusals: number;
  lines: string[];
  url?: string;
}

let dir: string;
let postgres: RunningPostgres;
let cluster: RunningTemporalCluster;
let env: NodeJS.ProcessEnv;
let db: PgClient;
let temporal: Connection;
let client: Client;
let jwt: JwtService;
const workers: Replica[] = [];
const apis: Replica[] = [];
const migrateRuns: { code: number | string; output: string }[] = [];
/** Every command a replica accepted: who sent it and with which Idempotency-Key. */
const accepted: { sub: string; key: string; projectId: string }[] = [];
const projects: string[] = [];
/** The replicas that have refused to start at least once. */
const replicaRefusals = new Set<string>();

function run(command: string, args: string[], childEnv: NodeJS.ProcessEnv, timeoutMs = 120_000) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise) => {
    execFile(command, args, { env: childEnv, cwd: root, timeout: timeoutMs }, (error, stdout, stderr) =>
      resolvePromise({
        code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      }),
    );
  });
}

/**
 * Starts one replica and waits for its ready line. A replica that finds a migration pending exits
 * naming it; it is started again after a moment, as a deployment's restart policy would.
 */
async function startReplica(
  name: string,
  entry: string,
  readyText: string,
  extraEnv: NodeJS.ProcessEnv = {},
  replica?: Replica,
): Promise<Replica> {
  const self: Replica = replica ?? {
    name,
    proc: undefined as unknown as ManagedProcess,
    refusals: 0,
    lines: [],
  };
  for (let attempt = 1; ; attempt++) {
    const lines: string[] = [];
    const proc = startProcess(name, process.execPath, ['--enable-source-maps', entry], {
      env: { ...env, ...extraEnv },
      cwd: root,
      onLine: (l) => {
        lines.push(l);
        verbose?.(name, l);
      },
    });
    self.proc = proc;
    self.lines = lines;
    try {
      await waitForLine(proc, (l) => l.includes(readyText), 120_000);
      return self;
    } catch (e) {
      await proc.stop('SIGKILL');
      const refused = lines.some((l) => l.includes('not started: the database has'));
      if (!refused || attempt === 60)
        throw new Error(`${name} did not start: ${String(e)}\n${lines.slice(-30).join('\n')}`);
      self.refusals++;
      replicaRefusals.add(name);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function token(role: string, regions: string[], sub: string): string {
  return jwt.sign({ role, regions }, { subject: sub, expiresIn: '1h' });
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  etag: string | null;
}

async function call(
  api: Replica,
  method: 'GET' | 'POST',
  path: string,
  options: {
    sub?: string;
    role?: string;
    regions?: string[];
    body?: unknown;
    key?: string;
    ifMatch?: string;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${token(options.role ?? 'officer', options.regions ?? [COUNTY], options.sub ?? 'officer-topology')}`,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.key) headers['Idempotency-Key'] = options.key;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, body, etag: res.headers.get('etag') };
}

async function revision(projectId: string): Promise<number> {
  const { rows } = await db.query<{ revision: number }>(
    'SELECT revision FROM projects WHERE project_id = $1',
    [projectId],
  );
  if (!rows[0]) throw new Error(`no project ${projectId} in the read model`);
  return Number(rows[0].revision);
}

/** Uploads through `api` a file for each document a transition to `to` needs (the default policy). */
async function evidenceFiles(api: Replica, to: string): Promise<{ fileId: string; slot: string }[]> {
  const files: { fileId: string; slot: string }[] = [];
  for (const slot of defaultEvidenceSlots(to)) {
    const form = new FormData();
    form.append(
      'file',
      new Blob([pdfBytes(`${slot} ${randomUUID()}`)], { type: 'application/pdf' }),
      `${slot}.pdf`,
    );
    const res = await fetch(`${api.url}/api/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token('officer', [COUNTY], 'officer-topology')}` },
      body: form,
    });
    if (res.status !== 201) throw new Error(`${api.name} upload → ${res.status} ${await res.text()}`);
    files.push({ fileId: ((await res.json()) as { fileId: string }).fileId, slot });
  }
  return files;
}

/** A command at the project's current version through `api`, expected to be accepted. */
async function command(api: Replica, projectId: string, path: string, body: unknown, key = randomUUID()) {
  const res = await call(api, 'POST', `/api/projects/${projectId}${path}`, {
    body,
    key,
    ifMatch: `"v${await revision(projectId)}"`,
  });
  if (res.status !== 200) throw new Error(`${api.name} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  accepted.push({ sub: 'officer-topology', key, projectId });
  return res;
}

async function register(api: Replica, key = randomUUID(), body = lead()): Promise<Answer> {
  const res = await call(api, 'POST', '/api/projects', { body, key });
  if (res.status !== 201) throw new Error(`${api.name} register → ${res.status} ${JSON.stringify(res.body)}`);
  const projectId = res.body.projectId as string;
  accepted.push({ sub: 'officer-topology', key, projectId });
  projects.push(projectId);
  return res;
}

beforeAll(async () => {
  for (const [what, path] of Object.entries(DIST))
    if (!existsSync(path)) throw new Error(`${path} (${what}) is missing: run \`npm run build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'lifecycle-topology-'));
  chmodSync(dir, 0o755);
  postgres = await startEmbeddedPostgres({
    dataDir: dir,
    port: await freePort(),
    database: 'lifecycle',
    onLine: verbose && ((l) => verbose('postgres', l)),
  });
  const t0 = Date.now();
  cluster = await startTemporalCluster({
    postgresUrl: postgres.url,
    databaseName: 'temporal',
    dataDir: join(dir, 'temporal'),
    namespace: 'default',
    uiPort: await freePort(),
    onLine: verbose && ((source, l) => verbose(`temporal-${source}`, l)),
  });
  console.log(`Temporal cluster (4 services on PostgreSQL) ready in ${Date.now() - t0} ms`);

  const auditKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  const jwtSecret = randomBytes(32).toString('base64url');
  const appUrl = new URL(postgres.url);
  appUrl.username = 'lifecycle_app_topology';
  appUrl.password = randomBytes(18).toString('base64url');
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: postgres.url,
    DATABASE_APP_URL: appUrl.toString(),
    DATABASE_POOL_SIZE: '4',
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_NAMESPACE: 'default',
    JWT_SECRET: jwtSecret,
    AUDIT_SIGNING_KEY: String(auditKey),
    // The checkpoint Schedule fires each minute, so the file sees it carry on across a restart.
    AUDIT_CHECKPOINT_INTERVAL_MINUTES: '1',
    LOG_LEVEL: 'warn',
  };
  jwt = new JwtService({ secret: jwtSecret });

  db = new PgClient({ connectionString: postgres.url });
  await db.connect();
  // Everything at the same moment on the empty database: the migration job of each replica set
  // (as a deployment runs one before its processes) and both workers and both APIs. The test holds
  // the migrations' lock meanwhile, as a long migration would, so every replica finds them pending.
  const lock = new PgClient({ connectionString: postgres.url });
  await lock.connect();
  await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  const migrations = [1, 2].map(() =>
    run(process.execPath, [DIST.migrate], env).then((r) =>
      migrateRuns.push({ code: r.code, output: `${r.stdout}${r.stderr}` }),
    ),
  );
  const ports = [await freePort(), await freePort()];
  const replicas = [
    startReplica('worker-1', DIST.worker, 'worker ready'),
    startReplica('worker-2', DIST.worker, 'worker ready'),
    ...ports.map((port, i) =>
      startReplica(`api-${i + 1}`, DIST.api, 'api ready', { API_PORT: String(port), API_HOST: '127.0.0.1' }),
    ),
  ];
  const refusedOnce = Date.now() + 120_000;
  while (replicaRefusals.size < 4 && Date.now() < refusedOnce) await new Promise((r) => setTimeout(r, 200));
  await lock.end();
  await Promise.all(migrations);
  const started = await Promise.all(replicas);
  workers.push(started[0], started[1]);
  apis.push(...started.slice(2).map((api, i) => Object.assign(api, { url: `http://127.0.0.1:${ports[i]}` })));

  temporal = await Connection.connect({ address: cluster.address });
  client = new Client({ connection: temporal, namespace: 'default' });
}, 300_000);

afterAll(async () => {
  await temporal?.close();
  await db?.end();
  for (const r of [...apis, ...workers]) await r.proc?.stop('SIGTERM', 10_000);
  await cluster?.stop();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('the production topology: Temporal on PostgreSQL, two workers, two APIs', () => {
  it('runs the migrations exactly once when both APIs, both workers and two migration jobs start at once', async () => {
    expect(migrateRuns.map((r) => r.code)).toEqual([0, 0]);
    // The advisory lock serialises the jobs: one applies every migration, the other finds none left.
    const outputs = migrateRuns.map((r) => r.output);
    expect(outputs.filter((o) => o.includes('migrations applied:'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('schema up to date'))).toHaveLength(1);
    const { rows } = await db.query<{ name: string; times: number }>(
      'SELECT name, count(*)::int AS times FROM migrations GROUP BY name ORDER BY name',
    );
    expect(rows).toHaveLength(MIGRATIONS.length);
    expect(rows.filter((r) => r.times !== 1)).toEqual([]);
    // The APIs and workers never migrate: each refused while the migrations were pending, then started.
    for (const r of [...workers, ...apis]) {
      expect(r.refusals).toBeGreaterThanOrEqual(1);
      expect(r.proc.child.exitCode).toBeNull();
    }
  });

  it("serves Temporal's Web UI, which reads the cluster's namespace", async () => {
    const page = await fetch(cluster.uiUrl!);
    expect(page.status).toBe(200);
    const namespaces = await fetch(`${cluster.uiUrl}/api/v1/namespaces`);
    expect(namespaces.status).toBe(200);
    const body = (await namespaces.json()) as { namespaces: { namespaceInfo: { name: string } }[] };
    expect(body.namespaces.map((n) => n.namespaceInfo.name)).toContain('default');
  });

  it('carries a project through every stage alternating the API replicas, with idempotency and If-Match the same on both', async () => {
    const key = randomUUID();
    const body = lead();
    const first = await register(apis[0], key, body);
    // The same key on the other replica: the same answer, no second project.
    const again = await call(apis[1], 'POST', '/api/projects', { body, key });
    expect({ status: again.status, body: again.body, etag: again.etag }).toEqual({
      status: first.status,
      body: first.body,
      etag: first.etag,
    });
    const id = first.body.projectId as string;

    const stages = ['negotiating', ...PATH_TO.producing];
    for (const [i, to] of stages.entries()) {
      const api = apis[(i + 1) % 2];
      const files = await evidenceFiles(api, to);
      await command(api, id, '/transitions', { ...evidence(to), ...(files.length ? { files } : {}) });
    }
    const version = await revision(id);
    expect(version).toBe(1 + stages.length);
    for (const api of apis) {
      const visit = { visitDate: today(), summary: `走访 ${api.name}` };
      const stale = await call(api, 'POST', `/api/projects/${id}/visits`, {
        body: visit,
        key: randomUUID(),
        ifMatch: `"v${version - 1}"`,
      });
      expect(stale.status).toBe(412);
      const missing = await call(api, 'POST', `/api/projects/${id}/visits`, {
        body: visit,
        key: randomUUID(),
      });
      expect(missing.status).toBe(428);
      const page = await call(api, 'GET', `/api/projects/${id}`);
      expect(page.status).toBe(200);
      expect(page.etag).toBe(`"v${version}"`);
      expect(page.body.stage).toMatchObject({ code: 'producing' });
    }
  }, 120_000);

  it('hands a project to the other worker when the one holding its workflow is killed', async () => {
    const projectId = (await register(apis[0])).body.projectId as string;
    await command(apis[1], projectId, '/transitions', evidence('negotiating'));
    // The worker that completed the workflow's last task holds it (its sticky queue); the SDK names
    // a worker `<pid>@<host>`.
    const history = await client.workflow.getHandle(projectWorkflowId(projectId)).fetchHistory();
    const identity = [...(history.events ?? [])].reverse().find((e) => e.workflowTaskCompletedEventAttributes)
      ?.workflowTaskCompletedEventAttributes?.identity;
    const holder = workers.find((w) => identity?.startsWith(`${w.proc.child.pid}@`));
    expect(holder).toBeDefined();
    const other = workers.find((w) => w !== holder)!;
    expect(other.proc.child.exitCode).toBeNull();

    const killedAt = Date.now();
    holder!.proc.child.kill('SIGKILL');
    await holder!.proc.exited;
    // The next command, retried with its key as a client does after a 503, until it is answered.
    const key = randomUUID();
    const visit = { visitDate: today(), summary: '接管后的走访' };
    let answer: Answer | undefined;
    const version = await revision(projectId);
    while (Date.now() - killedAt < 60_000) {
      answer = await call(apis[0], 'POST', `/api/projects/${projectId}/visits`, {
        body: visit,
        key,
        ifMatch: `"v${version}"`,
      });
      if (answer.status !== 503) break;
    }
    const stall = Date.now() - killedAt;
    console.log(`worker SIGKILLed: the next command answered ${answer?.status} after ${stall} ms`);
    expect(answer?.status).toBe(200);
    accepted.push({ sub: 'officer-topology', key, projectId });
    expect(stall).toBeLessThan(60_000);
    // Two workers again for what follows, as a supervisor would restart it.
    await startReplica(holder!.name, DIST.worker, 'worker ready', {}, holder);
  }, 180_000);

  it('carries workflows, timers and the Schedule on when all four Temporal services restart on the same database', async () => {
    const projectId = (await register(apis[1])).body.projectId as string;
    await command(apis[0], projectId, '/transitions', evidence('signed'));
    const schedule = client.schedule.getHandle(AUDIT_CHECKPOINT_SCHEDULE_ID);
    const before = (await schedule.describe()).info.numActionsTaken;

    const stoppedAt = Date.now();
    await cluster.stopServices();
    await cluster.startServices();
    console.log(`Temporal's four services stopped and started again in ${Date.now() - stoppedAt} ms`);

    // Workflows started before the restart take commands on both replicas.
    for (const [i, id] of [projectId, projects[0]].entries()) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await call(apis[i % 2], 'POST', `/api/projects/${id}/visits`, {
          body: { visitDate: today(), summary: '重启后的走访' },
          key: `after-restart-${id}`,
          ifMatch: `"v${await revision(id)}"`,
        });
        if (res.status === 200) break;
        if (res.status !== 503 || Date.now() > deadline)
          throw new Error(`after the restart: ${res.status} ${JSON.stringify(res.body)}`);
      }
      accepted.push({ sub: 'officer-topology', key: `after-restart-${id}`, projectId: id });
    }
    // The Schedule's own timer fires again after the restart and its workflow signs a checkpoint.
    const checkpointsBefore = Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_checkpoints')).rows[0].n,
    );
    let taken = before;
    const deadline = Date.now() + 150_000;
    while (taken <= before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      taken = (await schedule.describe()).info.numActionsTaken;
    }
    expect(taken).toBeGreaterThan(before);
    const checkpointDeadline = Date.now() + 60_000;
    let checkpoints = checkpointsBefore;
    while (checkpoints <= checkpointsBefore && Date.now() < checkpointDeadline) {
      await new Promise((r) => setTimeout(r, 1000));
      checkpoints = Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_checkpoints')).rows[0].n,
      );
    }
    expect(checkpoints).toBeGreaterThan(checkpointsBefore);

    // Every accepted command is stored exactly once.
    const ids = accepted.map((c) => commandIdFor({ id: c.sub } as Parameters<typeof commandIdFor>[0], c.key));
    const { rows } = await db.query<{ command_id: string; n: number }>(
      'SELECT command_id, count(*)::int AS n FROM events WHERE command_id = ANY($1) GROUP BY command_id',
      [ids],
    );
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(new Set(rows.map((r) => r.command_id))).toEqual(new Set(ids));

    const verified = await call(apis[0], 'GET', '/api/audit/verify', {
      role: 'auditor',
      regions: [],
      sub: 'auditor-topology',
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, broken: [] });
    expect(verified.body.projects).toBeGreaterThanOrEqual(projects.length);
  }, 360_000);

  it('replays every project workflow of the cluster without a nondeterminism', async () => {
    const replay = await run(process.execPath, [DIST.replay], env);
    const summary = /(\d+) replayed, (\d+) nondeterministic, (\d+) other failures/.exec(replay.stdout);
    expect({ code: replay.code, summary: summary?.slice(2) }).toEqual({ code: 0, summary: ['0', '0'] });
    expect(Number(summary![1])).toBeGreaterThanOrEqual(projects.length);
  }, 120_000);
});
