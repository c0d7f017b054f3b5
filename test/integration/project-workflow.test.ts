import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createProjectWorker } from '../../apps/worker/src/worker';
import {
  addDays,
  bundledCalendar,
  DEFAULT_POLICY,
  shanghaiDate,
  type Actor,
  type ProjectCommand,
  type ProjectPolicy,
} from '../../libs/domain/src';
import {
  createDataSource,
  currentPolicy,
  readStream,
  storePolicy,
  verifyChain,
} from '../../libs/persistence/src';
import { rollOutPolicy } from '../../libs/workflow-interface/src/policy-rollout';
import {
  executeCommand,
  getDeadlines,
  getState,
  policyChanged,
  projectWorkflowId,
  type ProjectWorkflowInput,
} from '../../libs/workflow-interface/src';
import { workflowBundle } from '../support/system';
import { quietRuntime } from '../support/time-skipping';

/** The project workflow on the real Temporal dev server, with a real worker and PostgreSQL. */
const REGION = '420506';
const officer: Actor = { id: 'officer-1', role: 'officer', regions: [REGION] };
const today = () => shanghaiDate(new Date().toISOString());

let dataSource: DataSource;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let nativeConnection: NativeConnection;
const taskQueue = `wf-${randomUUID()}`;

beforeAll(async () => {
  quietRuntime();
  dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
  await dataSource.initialize();
  nativeConnection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    dataSource,
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
  client = new Client({
    connection: await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! }),
  });
}, 120_000);

afterAll(async () => {
  worker.shutdown();
  await running;
  await nativeConnection.close();
  await client.connection.close();
  await dataSource.destroy();
}, 60_000);

/**
 * The policy version the workflow's deadlines are under, once it has loaded one: a run answers -1
 * until its policy activity has returned, which a busy worker may take a moment to do.
 */
async function policyVersionOf(handle: {
  query: (q: typeof getDeadlines) => Promise<{ policyVersion: number }>;
}) {
  for (let i = 0; ; i++) {
    const { policyVersion } = await handle.query(getDeadlines);
    if (policyVersion !== -1 || i === 100) return policyVersion;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function newProject(input: Partial<ProjectWorkflowInput> = {}) {
  const projectId = randomUUID();
  const handle = await client.workflow.start('projectWorkflow', {
    taskQueue,
    workflowId: projectWorkflowId(projectId),
    args: [{ projectId, ...input }],
  });
  const send = (
    command: ProjectCommand,
    commandId: string = randomUUID(),
    actor: Actor = officer,
    expectedVersion?: number,
  ) => handle.executeUpdate(executeCommand, { args: [{ commandId, actor, command, expectedVersion }] });
  await send({
    type: 'RegisterLead',
    data: {
      projectId,
      name: '智能装备产业园项目',
      investor: { name: '某某装备集团', type: 'local_soe', flags: ['china_top_500'] },
      industryChain: '先进装备制造',
      region: REGION,
      park: null,
      industrial: true,
      plannedInvestment: '80000000',
      source: '驻外招商',
      leadDate: today(),
    },
  });
  return { projectId, handle, send };
}

const visit = (n: number): ProjectCommand => ({
  type: 'LogServiceVisit',
  data: { visitDate: today(), summary: `第${n}次走访` },
});

async function updateEventsIn(handle: {
  fetchHistory(): Promise<{ events?: unknown[] | null }>;
}): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter(
    (e) =>
      (e as { workflowExecutionUpdateAcceptedEventAttributes?: unknown })
        .workflowExecutionUpdateAcceptedEventAttributes,
  ).length;
}

describe('project workflow', () => {
  it('leaves no event and no history entry for a refused command, and returns the refusal', async () => {
    const p = await newProject();
    // A new run loads the policy and the calendar after answering its registration: let it settle.
    let lengthBefore = -1;
    for (;;) {
      const length = (await p.handle.fetchHistory()).events?.length ?? 0;
      if (length === lengthBefore) break;
      lengthBefore = length;
      await new Promise((r) => setTimeout(r, 500));
    }
    const acceptedBefore = await updateEventsIn(p.handle);
    const error = await p
      .send({
        type: 'StartConstruction',
        data: { startDate: today(), evidence: { kind: 'other', description: '打桩' } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const refusal = ((error as WorkflowUpdateFailedError).cause as { details?: unknown[] }).details?.[0];
    expect(refusal).toMatchObject({
      code: 'NOT_LANDED',
      message: { zh: '不能开工:项目尚未落地', en: 'cannot start construction before the project has landed' },
    });
    expect((await p.handle.fetchHistory()).events?.length).toBe(lengthBefore);
    expect(await updateEventsIn(p.handle)).toBe(acceptedBefore);
    expect((await readStream(dataSource.manager, p.projectId)).map((e) => e.type)).toEqual([
      'LeadRegistered',
    ]);
  });

  it('records one patch marker for a run begun with every change in force, not one per change', async () => {
    const p = await newProject();
    await p.send(visit(1));
    const patches = ((await p.handle.fetchHistory()).events ?? []).flatMap((e) => {
      const marker = (
        e as {
          markerRecordedEventAttributes?: {
            markerName?: string | null;
            details?: Record<string, { payloads?: { data?: Uint8Array | null }[] | null }> | null;
          };
        }
      ).markerRecordedEventAttributes;
      const data =
        marker?.markerName === 'core_patch' ? marker.details?.['patch-data']?.payloads?.[0]?.data : null;
      return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
    });
    expect(patches).toEqual(['born-with-2026-12']);
  });

  it('answers a repeated idempotency key with the first result and writes one event', async () => {
    const p = await newProject();
    const first = await p.send(visit(1), 'visit-key-1');
    const again = await p.send(visit(1), 'visit-key-1');
    expect(again.version).toBe(first.version);
    expect(again.events).toEqual(first.events);
    expect(
      (await readStream(dataSource.manager, p.projectId)).filter((e) => e.type === 'ServiceVisitLogged'),
    ).toHaveLength(1);
  });

  it('refuses a command made against a stale version as a conflict', async () => {
    const p = await newProject();
    const error = await p.send(visit(1), randomUUID(), officer, 0).catch((e: unknown) => e);
    expect(((error as WorkflowUpdateFailedError).cause as { type?: string }).type).toBe('VersionConflict');
    await expect(p.send(visit(2), randomUUID(), officer, 1)).resolves.toMatchObject({ version: 2 });
  });

  it('gives twenty concurrent commands contiguous versions and a valid chain', async () => {
    const p = await newProject();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => p.send(visit(i + 1))));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    const events = await readStream(dataSource.manager, p.projectId);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(verifyChain(events)).toMatchObject({ ok: true, events: 21 });
    const row = await dataSource.query<{ version: number }[]>(
      `SELECT version FROM projects WHERE project_id = $1`,
      [p.projectId],
    );
    expect(row[0].version).toBe(21);
  });

  it('continues as new keeping state, deadlines and idempotency', async () => {
    const p = await newProject({ continueAsNewAfterEvents: 40 });
    const firstRun = (await p.handle.describe()).runId;
    const first = await p.send(visit(1), 'kept-key');
    for (let i = 2; i <= 10; i++) await p.send(visit(i));
    const before = await p.handle.query(getState);
    let described = await p.handle.describe();
    for (let i = 0; i < 50 && described.runId === firstRun; i++) {
      await new Promise((r) => setTimeout(r, 200));
      described = await p.handle.describe();
    }
    expect(described.runId).not.toBe(firstRun);
    const after = await client.workflow.getHandle(projectWorkflowId(p.projectId)).query(getState);
    expect(after).toEqual(before);
    expect((await p.handle.query(getDeadlines)).deadlines.map((d) => d.id)).toEqual(['lead_follow_up']);
    const replayed = await p.send(visit(1), 'kept-key');
    expect(replayed.version).toBe(first.version);
    expect(await readStream(dataSource.manager, p.projectId)).toHaveLength(11);
  }, 30_000);

  it('takes a new policy version by signal and recomputes its deadlines', async () => {
    // Started with its rules, so that the policies other tests store meanwhile do not reach it.
    const p = await newProject({
      rules: { policy: { version: 1, policy: DEFAULT_POLICY }, calendar: bundledCalendar(1) },
    });
    expect((await p.handle.query(getDeadlines)).deadlines[0]).toMatchObject({
      id: 'lead_follow_up',
      dueDate: addDays(today(), 30),
    });
    const quicker: ProjectPolicy = {
      ...DEFAULT_POLICY,
      rules: DEFAULT_POLICY.rules.map((r) =>
        r.id === 'lead_follow_up' ? { ...r, limit: { amount: 10, unit: 'calendar_day' } } : r,
      ),
    };
    const before = (await p.handle.query(getDeadlines)).deadlines[0].dueDate;
    await p.handle.signal(policyChanged, { version: 7, policy: quicker });
    const view = await p.handle.query(getDeadlines);
    expect(view.policyVersion).toBe(7);
    expect(view.deadlines[0].dueDate).toBe(addDays(today(), 10));
    expect(view.deadlines[0].dueDate < before).toBe(true);
    // An older version arriving late changes nothing.
    await p.handle.signal(policyChanged, { version: 3, policy: DEFAULT_POLICY });
    expect((await p.handle.query(getDeadlines)).policyVersion).toBe(7);
  });

  it('rolls a stored policy version out to every running project workflow', async () => {
    const [a, b] = [await newProject(), await newProject()];
    const quieter: ProjectPolicy = {
      ...DEFAULT_POLICY,
      rules: DEFAULT_POLICY.rules.map((r) =>
        r.id === 'lead_follow_up' ? { ...r, limit: { amount: 45, unit: 'calendar_day' } } : r,
      ),
    };
    const stored = await storePolicy(dataSource.manager, quieter, 'admin-1', '线索跟进周期调整为45天');
    try {
      // Other files store versions in the same database meanwhile: this one or a later one is current.
      expect((await currentPolicy(dataSource.manager)).version).toBeGreaterThanOrEqual(stored.version);
      let signalled = 0;
      // Visibility is eventually consistent: retry until both new workflows are listed.
      for (let i = 0; i < 50 && signalled < 2; i++) {
        signalled = (await rollOutPolicy(client, stored, { taskQueue })).signalled;
        if (signalled < 2) await new Promise((r) => setTimeout(r, 200));
      }
      expect(signalled).toBeGreaterThanOrEqual(2);
      for (const p of [a, b]) expect(await policyVersionOf(p.handle)).toBeGreaterThanOrEqual(stored.version);
      // A workflow started now loads the stored version (or a later one) itself.
      const c = await newProject();
      expect(await policyVersionOf(c.handle)).toBeGreaterThanOrEqual(stored.version);
    } finally {
      // The suite shares one database: later files start under the default policy again, whatever happened here.
      await storePolicy(dataSource.manager, DEFAULT_POLICY, 'admin-1', '恢复默认政策');
    }
  });

  it('publishes search attributes operators can filter on', async () => {
    const p = await newProject();
    const query = `WorkflowId = '${projectWorkflowId(p.projectId)}' AND ProjectStage = 'lead' AND ProjectRegion = '${REGION}' AND IndustryChain = '先进装备制造' AND ProjectLight = 'green'`;
    let found = 0;
    for (let i = 0; i < 50 && found === 0; i++) {
      found = 0;
      for await (const _ of client.workflow.list({ query })) found++;
      if (found === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toBe(1);
  });
});
