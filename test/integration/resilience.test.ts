import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { shanghaiDate, type Actor, type ProjectCommand } from '../../libs/domain/src';
import {
  freePort,
  startEmbeddedPostgres,
  startProcess,
  startTemporalDevServer,
  waitForLine,
  type ManagedProcess,
  type RunningPostgres,
  type RunningTemporal,
} from '../../libs/local-stack/src';
import { createDataSource, readStream, runMigrations, verifyChain } from '../../libs/persistence/src';
import { verifyChains } from '../../libs/audit-integrity/src';
import { executeCommand, getState, projectWorkflowId } from '../../libs/workflow-interface/src';

/**
 * Failures a running system meets: the worker killed mid-command or while holding workflows,
 * Temporal's dev server restarted, PostgreSQL away for 30 seconds or frozen. Each on servers of its
 * own, with the built worker as a process. Recovery is measured: it must follow the fault by
 * seconds (the figures are printed), and nothing may be lost or doubled.
 */
const root = resolve(__dirname, '..', '..');
const REGION = '420506';
const officer: Actor = { id: 'officer-1', role: 'officer', regions: [REGION] };
const today = () => shanghaiDate(new Date().toISOString());

let dir: string;
let pgPort: number;
let temporalPort: number;
let postgres: RunningPostgres;
let temporal: RunningTemporal;
let worker: ManagedProcess | undefined;
let client: Client;
let dataSource: DataSource;
const taskQueue = `resilience-${randomUUID()}`;

async function startWorker(): Promise<ManagedProcess> {
  const proc = startProcess('worker', process.execPath, [join(root, 'dist/apps/worker/src/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      NODE_ENV: 'test',
    },
  });
  await waitForLine(proc, (l) => l.includes('worker ready'), 120_000);
  return proc;
}

const startPostgres = () => startEmbeddedPostgres({ dataDir: dir, port: pgPort, database: 'resilience' });
const startTemporal = () => startTemporalDevServer({ port: temporalPort, dbFile: join(dir, 'temporal.db') });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifecycle-resilience-'));
  chmodSync(dir, 0o755);
  [pgPort, temporalPort] = [await freePort(), await freePort()];
  [postgres, temporal] = await Promise.all([startPostgres(), startTemporal()]);
  dataSource = createDataSource(postgres.url);
  await dataSource.initialize();
  await runMigrations(dataSource);
  worker = await startWorker();
  client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
}, 240_000);

afterAll(async () => {
  await worker?.stop('SIGTERM', 10_000);
  await client?.connection.close();
  await dataSource?.destroy().catch(() => undefined);
  await temporal?.stop();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

async function newProject() {
  const projectId = randomUUID();
  const handle = await client.workflow.start('projectWorkflow', {
    taskQueue,
    workflowId: projectWorkflowId(projectId),
    args: [{ projectId }],
  });
  const send = (command: ProjectCommand, commandId: string = randomUUID()) =>
    handle.executeUpdate(executeCommand, { args: [{ commandId, actor: officer, command }] });
  await send({
    type: 'RegisterLead',
    data: {
      projectId,
      name: '新能源电池回收项目',
      investor: { name: '某某循环科技有限公司', type: 'private', flags: [] },
      industryChain: '新能源',
      region: REGION,
      park: null,
      industrial: true,
      plannedInvestment: '60000000',
      source: '以商招商',
      leadDate: today(),
    },
  });
  return { projectId, handle, send };
}

const visit = (summary: string): ProjectCommand => ({
  type: 'LogServiceVisit',
  data: { visitDate: today(), summary },
});

const secondsSince = (start: number) => (performance.now() - start) / 1000;
const report = (what: string, seconds: number) =>
  process.stdout.write(`[resilience] ${what}: ${seconds.toFixed(2)} s\n`);

/** The stream is versions 1…n with each command once, its chain intact, and every chain verifies. */
async function expectIntactLog(projectId: string, commandIds: string[], versions: number) {
  const events = await readStream(dataSource.manager, projectId);
  expect(events.map((e) => e.version)).toEqual(Array.from({ length: versions }, (_, i) => i + 1));
  for (const id of commandIds) expect(events.filter((e) => e.commandId === id)).toHaveLength(1);
  expect(verifyChain(events).ok).toBe(true);
  const all = await verifyChains(dataSource.manager);
  expect(all.broken).toEqual([]);
  expect(all.ok).toBe(true);
}

/** The embedded server's processes: the postmaster (from its pid file) and every backend it forked. */
function postgresPids(): number[] {
  const postmaster = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, …
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false; // gone since the directory was read
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

/** SIGSTOP: the server keeps its sockets open and answers nothing, like a host that hangs. */
function freezePostgres(): number[] {
  const pids = postgresPids();
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return pids;
}
const thawPostgres = (pids: number[]) => [...pids].reverse().forEach((pid) => process.kill(pid, 'SIGCONT'));

describe('resilience', () => {
  it('completes a command once when the worker is killed in the middle of it', async () => {
    const p = await newProject();
    const commandId = randomUUID();
    const result = p.send(visit('现场办公'), commandId);
    // Kill the worker as soon as the command is accepted, before or while its events are stored.
    for (let i = 0; i < 200; i++) {
      const history = await p.handle.fetchHistory();
      if (history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await worker!.stop('SIGKILL');
    worker = await startWorker();
    await expect(result).resolves.toMatchObject({ version: 2 });
    const events = await readStream(dataSource.manager, p.projectId);
    expect(events.filter((e) => e.commandId === commandId)).toHaveLength(1);
    expect(verifyChain(events).ok).toBe(true);
  }, 180_000);

  it("keeps workflows and their timers across a restart of Temporal's dev server", async () => {
    const p = await newProject();
    const before = await p.handle.query(getState);
    const pendingTimers = async () => {
      const events = (await p.handle.fetchHistory()).events ?? [];
      const started = new Set(
        events
          .filter((e) => e.timerStartedEventAttributes)
          .map((e) => e.timerStartedEventAttributes!.timerId),
      );
      for (const e of events) {
        started.delete(e.timerFiredEventAttributes?.timerId ?? '');
        started.delete(e.timerCanceledEventAttributes?.timerId ?? '');
      }
      return started.size;
    };
    // Asleep until the lead's follow-up falls due, once it has loaded what it starts with.
    for (let i = 0; i < 100 && (await pendingTimers()) === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await pendingTimers()).toBe(1);
    await temporal.stop();
    temporal = await startTemporal();
    expect((await p.handle.describe()).status.name).toBe('RUNNING');
    expect(await p.handle.query(getState)).toEqual(before);
    expect(await pendingTimers()).toBe(1);
    await expect(p.send(visit('重启后走访'))).resolves.toMatchObject({ version: 2 });
  }, 180_000);

  it('stores every accepted command once after PostgreSQL was away for 30 seconds', async () => {
    const p = await newProject();
    await postgres.stop();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const results = Promise.all(ids.map((id, i) => p.send(visit(`停库期间第${i + 1}次`), id)));
    await new Promise((r) => setTimeout(r, 30_000));
    postgres = await startPostgres();
    const back = performance.now();
    const done = await results;
    // The append's retry interval is capped at seconds, so the commands follow the database back.
    const lag = secondsSince(back);
    report('commands done after PostgreSQL came back from a 30 s stop', lag);
    expect(lag).toBeLessThanOrEqual(8);
    expect(done.map((r) => r.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6]);
    await expectIntactLog(p.projectId, ids, 6);
  }, 240_000);

  it('answers 503 within the pool timeouts while PostgreSQL is frozen, and carries on after', async () => {
    const jwt = new JwtService({ secret: 'resilience-test-secret-only' });
    Object.assign(process.env, {
      NODE_ENV: 'test',
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      JWT_SECRET: 'resilience-test-secret-only',
    });
    // The API as main.ts builds it, in this process, over this file's servers and worker.
    const { createApp } = await import('../../apps/api/src/app.factory');
    const app: INestApplication = await createApp({ logger: false });
    try {
      await app.listen(0, '127.0.0.1');
      const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const token = jwt.sign(
        { role: 'officer', regions: [REGION] },
        { subject: officer.id, expiresIn: '1h' },
      );
      const call = async (
        method: string,
        path: string,
        body?: unknown,
        headers: Record<string, string> = {},
      ) => {
        const start = performance.now();
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(body ? { 'Content-Type': 'application/json' } : {}),
            ...headers,
          },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(60_000),
        });
        return { res, seconds: secondsSince(start), text: await res.text() };
      };
      const p = await newProject();
      const before = await call('GET', `/api/projects/${p.projectId}`);
      expect(before.res.status).toBe(200);

      const FREEZE_MS = 15_000;
      const pids = freezePostgres();
      const frozenAt = performance.now();
      let thawed = false;
      const thaw = setTimeout(() => {
        thawPostgres(pids);
        thawed = true;
      }, FREEZE_MS);
      try {
        // A read holds a pooled connection whose server no longer answers: the client's query
        // timeout ends it. A write first claims its Idempotency-Key in the database.
        const [read, write] = await Promise.all([
          call('GET', `/api/projects/${p.projectId}`),
          call(
            'POST',
            `/api/projects/${p.projectId}/visits`,
            { visitDate: today(), summary: '冻库期间走访' },
            { 'Idempotency-Key': `frozen-${p.projectId}`, 'If-Match': before.res.headers.get('etag')! },
          ),
        ]);
        report('read answered while PostgreSQL was frozen', read.seconds);
        report('write answered while PostgreSQL was frozen', write.seconds);
        expect(thawed).toBe(false); // both answered during the freeze, not after it
        for (const answer of [read, write]) {
          expect({ status: answer.res.status, body: answer.text }).toMatchObject({ status: 503 });
          expect(answer.res.headers.get('content-type')).toContain('application/problem+json');
          expect(answer.res.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(answer.seconds).toBeLessThan(10);
        }
      } finally {
        clearTimeout(thaw);
        if (!thawed) thawPostgres(pids);
      }
      report('both answered, thawed early, after', secondsSince(frozenAt));

      // After the thaw the same write (same key) is carried out once, and reads answer again.
      const thawedAt = performance.now();
      let retried = await call(
        'POST',
        `/api/projects/${p.projectId}/visits`,
        { visitDate: today(), summary: '冻库期间走访' },
        { 'Idempotency-Key': `frozen-${p.projectId}`, 'If-Match': before.res.headers.get('etag')! },
      );
      for (let i = 0; i < 20 && retried.res.status >= 500; i++) {
        await new Promise((r) => setTimeout(r, 500));
        retried = await call(
          'POST',
          `/api/projects/${p.projectId}/visits`,
          { visitDate: today(), summary: '冻库期间走访' },
          { 'Idempotency-Key': `frozen-${p.projectId}`, 'If-Match': before.res.headers.get('etag')! },
        );
      }
      report('write carried out after the thaw', secondsSince(thawedAt));
      expect({ ok: retried.res.ok, status: retried.res.status, body: retried.text }).toMatchObject({
        ok: true,
      });
      const after = await call('GET', `/api/projects/${p.projectId}`);
      expect(after.res.status).toBe(200);
      const events = await readStream(dataSource.manager, p.projectId);
      expect(events.map((e) => e.type)).toEqual(['LeadRegistered', 'ServiceVisitLogged']);
      await expectIntactLog(p.projectId, [], 2);
    } finally {
      await app.close();
    }
  }, 240_000);

  it("takes over a killed worker's workflows within seconds, its append included", async () => {
    // Two projects idle on this worker (their workflows in its cache, their tasks bound to its
    // sticky queue) and one whose append it holds when it dies.
    const idle = [await newProject(), await newProject()];
    const holding = await newProject();
    const standby = await startWorker();
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    // Holding the stream head keeps the append waiting inside the worker until it is killed.
    await lock.query('SELECT version FROM event_streams WHERE project_id = $1 FOR UPDATE', [
      holding.projectId,
    ]);
    const heldId = randomUUID();
    const held = holding.send(visit('停机时正在记录'), heldId);
    for (let i = 0; i < 300; i++) {
      const history = await holding.handle.fetchHistory();
      if (history.events?.some((e) => e.activityTaskScheduledEventAttributes)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 300)); // the append reaches the lock
    await worker!.stop('SIGKILL');
    const killed = performance.now();
    worker = standby;
    await lock.commitTransaction();
    await lock.release();

    const idleIds = idle.map(() => randomUUID());
    const idleLags = await Promise.all(
      idle.map(async (p, i) => {
        const start = performance.now();
        await expect(p.send(visit('接管后走访'), idleIds[i])).resolves.toMatchObject({ version: 2 });
        return secondsSince(start);
      }),
    );
    await expect(held).resolves.toMatchObject({ version: 2 });
    const heldLag = secondsSince(killed);
    idleLags.forEach((lag, i) => report(`next command on idle project ${i + 1} after the kill`, lag));
    report('command whose append the killed worker held, from the kill', heldLag);
    // Today's defaults gave 10 s (sticky schedule-to-start) and 30 s (start-to-close without heartbeat).
    for (const lag of idleLags) expect(lag).toBeLessThan(10);
    expect(heldLag).toBeLessThan(10);
    for (const [i, p] of idle.entries()) await expectIntactLog(p.projectId, [idleIds[i]], 2);
    await expectIntactLog(holding.projectId, [heldId], 2);
  }, 240_000);
});
