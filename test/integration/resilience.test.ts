import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
import { executeCommand, getState, projectWorkflowId } from '../../libs/workflow-interface/src';

/**
 * Failures a running system meets: the worker killed mid-command, Temporal's dev server restarted,
 * PostgreSQL away for 30 seconds. Each on servers of its own, with the built worker as a process.
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
    expect(await pendingTimers()).toBe(1); // asleep until the lead's follow-up falls due
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
    const done = await results;
    expect(done.map((r) => r.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6]);
    const events = await readStream(dataSource.manager, p.projectId);
    for (const id of ids) expect(events.filter((e) => e.commandId === id)).toHaveLength(1);
    expect(events).toHaveLength(6);
    expect(verifyChain(events).ok).toBe(true);
  }, 240_000);
});
