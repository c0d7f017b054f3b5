import { execFileSync } from 'node:child_process';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createProjectWorker } from '../../apps/worker/src/worker';
import { addDays } from '../../libs/domain/src';
import { temporalCliPath } from '../../libs/local-stack/src';
import { createDataSource, readStream } from '../../libs/persistence/src';
import { verifyChains } from '../../libs/audit-integrity/src';
import { projectWorkflowId } from '../../libs/workflow-interface/src';
import { ApiClient, COUNTY, etagNumber, evidence, lead, REGION, today } from '../support/api';
import { startSystem, workflowBundle, type TestSystem } from '../support/system';

const COMMAND_TIMEOUT_MS = 5000;
let system: TestSystem;
let officer: ApiClient;
let colleague: ApiClient;
let leader: ApiClient;
beforeAll(async () => {
  process.env.COMMAND_TIMEOUT_MS = String(COMMAND_TIMEOUT_MS);
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-freeze' });
  colleague = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-freeze-2' });
  leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-freeze' });
}, 120_000);
afterAll(async () => {
  delete process.env.COMMAND_TIMEOUT_MS;
  await system?.stop();
}, 60_000);

const BAD_TEXT: [string, string][] = [
  ['a NUL', '项目\u0000名称'],
  ['a lone surrogate', '项目\ud800名称'],
  ['an escape character', '项目\u001b[31m名称'],
  ['a C1 control', '项目\u0085名称'],
];

function expectTextRefusal(res: { status: number; body: Record<string, unknown> }, field: string) {
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ code: 'INVALID_TEXT', field });
  expect(res.body.errors).toEqual([expect.objectContaining({ field, rule: 'INVALID_TEXT' })]);
}

describe('text the event log cannot hold', () => {
  it.each(BAD_TEXT)('refuses a registration with %s, starting no workflow', async (_, bad) => {
    const before = await system.client.workflow.count(`TaskQueue = '${system.taskQueue}'`);
    const res = await officer.write('/api/projects', lead({ name: bad }));
    expectTextRefusal(res, 'data.name');
    const nested = await officer.write(
      '/api/projects',
      lead({ investor: { name: bad, type: 'private', flags: [] } }),
    );
    expectTextRefusal(nested, 'data.investor.name');
    // Visibility is eventually consistent: a workflow started by mistake would show within a second.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await system.client.workflow.count(`TaskQueue = '${system.taskQueue}'`)).count).toBe(
      before.count,
    );
  });

  it('refuses it in every write route by the field, and the project goes on taking commands', async () => {
    const id = await officer.projectAt('signed');
    const bad = BAD_TEXT[0][1];
    const routes: [ApiClient, string, Record<string, unknown>, string][] = [
      [officer, '/transitions', { ...evidence('landed'), companyName: bad }, 'data.companyName'],
      [officer, '/visits', { visitDate: today(), summary: bad }, 'data.summary'],
      [
        officer,
        '/blockers',
        { category: 'land', description: bad, responsibleDepartment: '市自然资源和规划局' },
        'data.description',
      ],
      [
        officer,
        '/corrections',
        { correctsVersion: 1, reason: bad, changes: { eventType: 'LeadRegistered', park: '园区' } },
        'data.reason',
      ],
      [leader, '/transitions', { to: 'dropped', reason: bad }, 'data.reason'],
    ];
    for (const [client, path, body, field] of routes) {
      const started = Date.now();
      const res = await client.write(`/api/projects/${id}${path}`, body, {
        version: await client.version(id),
      });
      expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS);
      if (res.status === 400) {
        // The DTO's own rule may name it first; either way it is the field, and a 4xx.
        expect(JSON.stringify(res.body.errors)).toContain(field.replace(/^data\./, ''));
      } else expectTextRefusal(res, field);
    }
    const history = await readStream(system.dataSource.manager, id);
    expect(history.map((e) => e.type)).toEqual(['LeadRegistered', 'ProjectSigned']);
    // Nothing froze: the next good command is recorded at once.
    await officer.command(id, '/transitions', evidence('landed'));
    await officer.command(id, '/visits', { visitDate: today(), summary: '行一\n行二\t制表 🔋' });
    const after = await officer.get(`/api/projects/${id}`).expect(200);
    expect(after.body.stage.code).toBe('landed');
  });

  it('counts a name of invisible characters as blank', async () => {
    const res = await officer.write('/api/projects', lead({ name: '\u200b\ufeff\u2060' }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body.errors)).toContain('name');
  });
});

describe('a value the database refuses', () => {
  it('is refused at once with problem+json, and the project goes on', async () => {
    // A rule only the database knows, added by its owner: the append is refused deterministically.
    const owner = createDataSource(process.env.TEST_DATABASE_URL!);
    await owner.initialize();
    const park = `拒绝保存-${Date.now()}`;
    await owner.query(
      `ALTER TABLE projects ADD CONSTRAINT test_refused_park CHECK (park IS DISTINCT FROM '${park}')`,
    );
    try {
      const id = await officer.projectAt('lead');
      const started = Date.now();
      const res = await officer.write(
        `/api/projects/${id}/corrections`,
        { correctsVersion: 1, reason: '园区名称更正', changes: { eventType: 'LeadRegistered', park } },
        { version: await officer.version(id) },
      );
      expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'INVALID_FOR_STORAGE' });
      expect((await readStream(system.dataSource.manager, id)).length).toBe(1);
      await officer.command(id, '/visits', { visitDate: today(), summary: '仍可办理' });
      expect((await readStream(system.dataSource.manager, id)).length).toBe(2);
    } finally {
      await owner.query(`ALTER TABLE projects DROP CONSTRAINT test_refused_park`);
      await owner.destroy();
    }
  });
});

describe('the ETag follows what people change', () => {
  it('is not made stale by the alerts a command triggers, and the answer shows them', async () => {
    const { id } = await officer.register({ leadDate: addDays(today(), -400) });
    // Signed more than a year ago: the landing deadline is long past the moment it is recorded.
    const signed = await officer.write(
      `/api/projects/${id}/transitions`,
      { ...evidence('signed'), contractDate: addDays(today(), -380) },
      { version: await officer.version(id) },
    );
    expect(signed.status).toBe(200);
    const read = await officer.get(`/api/projects/${id}`).expect(200);
    // The alerts and lights recorded at once are in the answer already…
    expect(read.body).toMatchObject(signed.body.project as Record<string, unknown>);
    expect(read.body.overdue).toBe(true);
    expect(read.body.version).toBeGreaterThan(read.body.revision);
    // …and the ETag is the one reading back gives, naming the signing, not the alerts.
    expect(signed.headers.etag).toBe(read.headers.etag);
    const stream = await readStream(system.dataSource.manager, id);
    const signing = stream.find((e) => e.type === 'ProjectSigned')!;
    expect(etagNumber(signed.headers.etag)).toBe(signing.version);
    expect(stream.filter((e) => e.version > signing.version).map((e) => e.actorId)).toContain('system');
    const next = await officer.write(
      `/api/projects/${id}/visits`,
      { visitDate: today(), summary: '催办落地' },
      { version: etagNumber(signed.headers.etag) },
    );
    expect(next.status).toBe(200);
  });

  it('still makes the second of two people writing on one ETag stale, with no weak ETag', async () => {
    const id = await officer.projectAt('lead');
    const tag = await officer.version(id);
    const first = await officer.write(
      `/api/projects/${id}/visits`,
      { visitDate: today(), summary: '甲' },
      { version: tag },
    );
    expect(first.status).toBe(200);
    const second = await colleague.write(
      `/api/projects/${id}/visits`,
      { visitDate: today(), summary: '乙' },
      { version: tag },
    );
    expect(second.status).toBe(412);
    expect(second.headers.etag ?? '').not.toMatch(/^W\//);
  });
});

describe('an extension', () => {
  it('must name a deadline the project has open', async () => {
    const id = await officer.projectAt('signed');
    const res = await leader.write(
      `/api/projects/${id}/extensions`,
      { deadlineId: 'no_such_deadline', newDueDate: addDays(today(), 30), reason: '土地挂牌延期' },
      { version: await leader.version(id) },
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'DEADLINE_NOT_OPEN', field: 'data.deadlineId' });
    const deadlines = (await leader.get(`/api/projects/${id}`).expect(200)).body.deadlines as {
      id: string;
    }[];
    const open = deadlines[0].id;
    await leader.command(id, '/extensions', {
      deadlineId: open,
      newDueDate: addDays(today(), 300),
      reason: '土地挂牌延期',
    });
  });
});

describe('a workflow reset behind its stream', () => {
  it('reloads from the events and goes on: no event doubled, no gap, chain valid', async () => {
    const id = await officer.projectAt('signed');
    await officer.command(id, '/visits', { visitDate: today(), summary: '重置前' });
    const before = await readStream(system.dataSource.manager, id);
    // An operator's ordinary repair: reset the workflow to its first workflow task.
    execFileSync(temporalCliPath(), [
      'workflow',
      'reset',
      '--address',
      process.env.TEST_TEMPORAL_ADDRESS!,
      '--workflow-id',
      projectWorkflowId(id),
      '--type',
      'FirstWorkflowTask',
      '--reason',
      'repair',
      '--yes',
    ]);
    // Commands go on, on the ETag the stream says.
    await officer.command(id, '/transitions', evidence('landed'));
    await officer.command(id, '/visits', { visitDate: today(), summary: '重置后' });
    const after = await readStream(system.dataSource.manager, id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => e.version)).toEqual(after.map((_, i) => i + 1));
    expect(after.map((e) => e.type).slice(before.length)).toEqual(['ProjectLanded', 'ServiceVisitLogged']);
    expect(new Set(after.map((e) => e.eventId)).size).toBe(after.length);
    const report = await verifyChains(system.dataSource.manager, { projectId: id });
    expect(report.ok).toBe(true);
    const state = await officer.get(`/api/projects/${id}`).expect(200);
    expect(state.body.stage.code).toBe('landed');
  });
});

describe('a project whose workflow cannot answer', () => {
  it('answers 503 with Retry-After in time, and the same key later gets the real outcome, once', async () => {
    const id = await officer.projectAt('lead');
    const tag = await officer.version(id);
    system.worker.shutdown();
    // Stopped, not draining: a draining worker still finishes a task its poll had already taken.
    for (let i = 0; i < 300 && system.worker.getState() !== 'STOPPED'; i++)
      await new Promise((r) => setTimeout(r, 100));
    let replacement: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;
    try {
      const started = Date.now();
      const body = { visitDate: today(), summary: '无人应答时登记' };
      const timedOut = await officer.write(`/api/projects/${id}/visits`, body, {
        version: tag,
        key: 'slow-visit',
      });
      expect(timedOut.status).toBe(503);
      expect(timedOut.headers['retry-after']).toMatch(/^\d+$/);
      expect(timedOut.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 3000);

      const connection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
      const worker = await createProjectWorker({
        connection,
        namespace: 'default',
        taskQueue: system.taskQueue,
        dataSource: system.dataSource,
        workflowBundle: await workflowBundle(),
      });
      replacement = { worker, running: worker.run(), connection };
      let retried: Awaited<ReturnType<ApiClient['write']>> | undefined;
      for (let i = 0; i < 10; i++) {
        retried = await officer.write(`/api/projects/${id}/visits`, body, {
          version: tag,
          key: 'slow-visit',
        });
        if (retried.status !== 503) break;
      }
      expect(retried!.status).toBe(200);
      const again = await officer.write(`/api/projects/${id}/visits`, body, {
        version: tag,
        key: 'slow-visit',
      });
      expect(again.status).toBe(200);
      const visits = (await readStream(system.dataSource.manager, id)).filter(
        (e) => e.type === 'ServiceVisitLogged',
      );
      expect(visits).toHaveLength(1);
    } finally {
      // The suite's own worker is gone; stop() would wait on it, so this one takes its place.
      if (replacement) {
        replacement.worker.shutdown();
        await replacement.running;
        await replacement.connection.close();
      }
    }
  }, 60_000);
});
