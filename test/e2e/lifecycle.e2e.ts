import { readStream } from '../../libs/persistence/src';
import { ApiClient, COUNTY, evidence, lead, REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let officer: ApiClient;
let leader: ApiClient;
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-lifecycle' });
  leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-lifecycle' });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

/** Sends a command at the project's current version and returns the response, whatever it is. */
async function attempt(client: ApiClient, id: string, path: string, body: unknown) {
  return client.write(`/api/projects/${id}${path}`, body, { version: await client.version(id) });
}

function expectRefusal(
  res: { status: number; body: Record<string, unknown>; headers: Record<string, string> },
  status: number,
  code: string,
) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ status, code });
  const message = res.body.message as { zh: string; en: string };
  expect(message.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(message.en.length).toBeGreaterThan(5);
}

describe('a command’s answer', () => {
  it('shows the project as reading it back does (the row is built from the state, not read)', async () => {
    const id = await officer.projectAt('landed');
    const res = await attempt(officer, id, '/transitions', await officer.withEvidence(evidence('started')));
    expect(res.status).toBe(200);
    const read = await officer.get(`/api/projects/${id}`).expect(200);
    expect(read.body).toMatchObject(res.body.project as Record<string, unknown>);
    expect(res.headers.etag).toBe(read.headers.etag);
  });
});

describe('a project from lead to production over HTTP', () => {
  it('moves through every stage, refusing each step out of order on the way', async () => {
    const { id } = await officer.register();

    // 开工 before 落地: the domain's own refusal, in Chinese and English.
    expectRefusal(await attempt(officer, id, '/transitions', evidence('started')), 409, 'NOT_LANDED');
    expectRefusal(await attempt(officer, id, '/transitions', evidence('landed')), 409, 'NOT_SIGNED');

    await officer.command(id, '/transitions', evidence('negotiating'));
    expectRefusal(
      await attempt(officer, id, '/transitions', evidence('negotiating')),
      409,
      'TALKS_NOT_FROM_LEAD',
    );

    const future = { ...evidence('signed'), contractDate: '2999-01-01' };
    expectRefusal(await attempt(officer, id, '/transitions', future), 422, 'DATE_IN_FUTURE');
    await officer.command(id, '/transitions', evidence('signed'));
    expectRefusal(await attempt(officer, id, '/transitions', evidence('signed')), 409, 'ALREADY_SIGNED');

    await officer.command(id, '/transitions', evidence('landed'));
    expectRefusal(await attempt(officer, id, '/transitions', evidence('in_stats')), 409, 'NOT_STARTED');
    await officer.command(id, '/transitions', evidence('started'));
    await officer.command(id, '/transitions', evidence('in_stats'));
    expectRefusal(await attempt(officer, id, '/transitions', evidence('in_stats')), 409, 'ALREADY_IN_STATS');
    await officer.command(id, '/transitions', evidence('producing'));
    expectRefusal(await attempt(officer, id, '/transitions', evidence('dropped')), 409, 'PROJECT_COMPLETED');

    const read = await officer.get(`/api/projects/${id}`).expect(200);
    expect(read.body.stage).toEqual({ code: 'producing', label: '投产' });
    expect(read.body.dates).toMatchObject({
      lead: today(),
      negotiating: today(),
      signed: today(),
      landed: today(),
      started: today(),
      in_stats: today(),
      producing: today(),
    });
    expect(read.body.contractInvestment).toBe('150000000.00');
    expect(read.body.evidence).toMatchObject({ creditCode: '914403001922038216', productionScope: 'full' });
    expect(read.headers.etag).toBe(`"v${read.body.version}"`);

    const events = await readStream(system.dataSource.manager, id);
    expect(events.map((e) => e.type)).toEqual([
      'LeadRegistered',
      'TalksStarted',
      'ProjectSigned',
      'ProjectLanded',
      'ConstructionStarted',
      'StatisticsEntered',
      'ProductionStarted',
    ]);
  });

  it('shows open deadlines, light and rung, and takes funds, blockers, visits, assignments, extensions and corrections', async () => {
    const { id } = await officer.register({ name: '生物医药产业园项目', plannedInvestment: '300000000.00' });
    await officer.command(id, '/transitions', evidence('signed'));

    const signed = await officer.get(`/api/projects/${id}`).expect(200);
    expect(signed.body.light).toEqual({ code: 'green', label: '绿灯' });
    expect(signed.body.rung).toBe(0);
    const ids = (signed.body.deadlines as { id: string }[]).map((d) => d.id).sort();
    expect(ids).toEqual(['chief_officer_after_signing', 'land_after_signing', 'start_after_signing']);
    const landing = (signed.body.deadlines as Record<string, unknown>[]).find(
      (d) => d.id === 'land_after_signing',
    );
    expect(landing).toMatchObject({ overdue: false, rung: 0, light: { code: 'green', label: '绿灯' } });

    // 到位资金, exact to the fen, with a negative adjustment.
    await officer.command(id, '/funds', { month: today().slice(0, 7), amount: '30000000.10' });
    await officer.command(id, '/funds', {
      month: today().slice(0, 7),
      amount: '-0.05',
      note: '银行回单更正',
    });
    expectRefusal(
      await attempt(officer, id, '/funds', { month: today().slice(0, 7), amount: '-90000000.00' }),
      422,
      'FUNDS_TOTAL_NEGATIVE',
    );

    // 堵点 with the policy's default due date, then cleared.
    const raised = await attempt(officer, id, '/blockers', {
      blockerId: 'B-1',
      category: 'land',
      description: '土地指标未落实',
      responsibleDepartment: '市自然资源和规划局',
    });
    expect(raised.status).toBe(200);
    expect(raised.body.events.map((e: { type: string }) => e.type)).toEqual(['BlockerRaised']);
    const withBlocker = await officer.get(`/api/projects/${id}`).expect(200);
    expect(withBlocker.body.deadlines.map((d: { id: string }) => d.id)).toContain('blocker_due:B-1');
    expect(withBlocker.body.blockers[0]).toMatchObject({
      blockerId: 'B-1',
      categoryLabel: '用地',
      resolution: null,
    });
    await officer.command(id, '/blockers/B-1/resolution', { resolution: '已调剂用地指标' });
    expectRefusal(
      await attempt(officer, id, '/blockers/B-1/resolution', { resolution: '再次' }),
      409,
      'BLOCKER_ALREADY_RESOLVED',
    );
    expectRefusal(
      await attempt(officer, id, '/blockers/B-9/resolution', { resolution: '无' }),
      409,
      'BLOCKER_NOT_FOUND',
    );

    await officer.command(id, '/visits', { visitDate: today(), summary: '走访企业,协调用电' });
    await officer.command(id, '/assignments', {
      position: 'chief_service_officer',
      personId: 'chief-7',
      guaranteeLeaderId: 'leader-3',
    });
    // Only a leader extends a deadline.
    const extension = { deadlineId: 'land_after_signing', newDueDate: '2099-12-31', reason: '土地挂牌推迟' };
    expectRefusal(await attempt(officer, id, '/extensions', extension), 403, 'ROLE_NOT_ALLOWED');
    await leader.command(id, '/extensions', extension);

    // A correction names the event it corrects; nothing is edited.
    await officer.command(id, '/corrections', {
      correctsVersion: 2,
      reason: '合同金额录入错误',
      changes: { eventType: 'ProjectSigned', contractInvestment: '320000000.00' },
    });
    expectRefusal(
      await attempt(officer, id, '/corrections', {
        correctsVersion: 2,
        reason: '类型不符',
        changes: { eventType: 'LeadRegistered', name: '新名称' },
      }),
      422,
      'CORRECTION_TYPE_MISMATCH',
    );

    const after = await officer.get(`/api/projects/${id}`).expect(200);
    expect(after.body).toMatchObject({
      fundsArrivedTotal: '30000000.05',
      contractInvestment: '320000000.00',
      chiefServiceOfficerId: 'chief-7',
      guaranteeLeaderId: 'leader-3',
      serviceVisits: 1,
    });
    expect(after.body.fundsArrived.map((f: { amount: string }) => f.amount)).toEqual([
      '30000000.10',
      '-0.05',
    ]);
    // The funds table the reviews sum over holds the month's net amount.
    const funds = await system.dataSource.query(
      `SELECT month, amount FROM project_funds WHERE project_id = $1`,
      [id],
    );
    expect(funds).toEqual([{ month: today().slice(0, 7), amount: '30000000.05' }]);
    const extended = after.body.deadlines.find((d: { id: string }) => d.id === 'land_after_signing');
    expect(extended).toMatchObject({ extended: true, dueDate: '2099-12-31' });
    expect(after.body.deadlines.map((d: { id: string }) => d.id)).not.toContain(
      'chief_officer_after_signing',
    );
  });

  it('drops a project and lets only a leader reopen it', async () => {
    const { id } = await officer.register();
    await officer.command(id, '/transitions', evidence('negotiating'));
    await officer.command(id, '/transitions', evidence('dropped'));
    expectRefusal(
      await attempt(officer, id, '/visits', { visitDate: today(), summary: '回访' }),
      409,
      'PROJECT_DROPPED',
    );
    expectRefusal(await attempt(officer, id, '/transitions', evidence('reopen')), 403, 'ROLE_NOT_ALLOWED');
    await leader.command(id, '/transitions', evidence('reopen'));
    const read = await officer.get(`/api/projects/${id}`).expect(200);
    expect(read.body.stage).toEqual({ code: 'negotiating', label: '在谈' });
  });
});

describe('idempotency and preconditions', () => {
  it('answers a repeated write with its first response, and applies it once', async () => {
    const { id, version } = await officer.register();
    const send = () =>
      officer.write(
        `/api/projects/${id}/visits`,
        { visitDate: today(), summary: '首次走访' },
        {
          version,
          key: `visit-${id}`,
        },
      );
    const first = await send();
    expect(first.status).toBe(200);
    const second = await send();
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    const events = await readStream(system.dataSource.manager, id);
    expect(events.filter((e) => e.type === 'ServiceVisitLogged')).toHaveLength(1);

    // The same key for a different request is a mistake, and says so.
    const reused = await officer.write(
      `/api/projects/${id}/visits`,
      { visitDate: today(), summary: '另一次' },
      {
        version: version + 1,
        key: `visit-${id}`,
      },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.errors[0]).toMatchObject({ field: 'Idempotency-Key', rule: 'reused' });
  });

  it('repeats a registration with the same key as the same project, and its Location and ETag', async () => {
    const key = `lead-${Date.now()}`;
    const body = lead();
    const first = await officer.write('/api/projects', body, { key }).expect(201);
    const second = await officer.write('/api/projects', body, { key }).expect(201);
    expect(second.body.projectId).toBe(first.body.projectId);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await readStream(system.dataSource.manager, first.body.projectId)).toHaveLength(1);
  });

  it('refuses a stale If-Match with 412 and a missing one with 428, changing nothing', async () => {
    const { id, version } = await officer.register();
    await officer.command(id, '/visits', { visitDate: today(), summary: '走访' });
    const stale = await officer.write(
      `/api/projects/${id}/visits`,
      { visitDate: today(), summary: '再访' },
      { version },
    );
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.body).toMatchObject({ expectedVersion: version, actualVersion: version + 1 });
    const missing = await officer.write(`/api/projects/${id}/visits`, {
      visitDate: today(),
      summary: '再访',
    });
    expect(missing.status).toBe(428);
    expect(missing.body.errors[0]).toMatchObject({ field: 'If-Match', rule: 'required' });
    const noKey = await officer
      .get(`/api/projects/${id}`)
      .then(() =>
        officer.write(
          `/api/projects/${id}/visits`,
          { visitDate: today(), summary: '再访' },
          { version: version + 1, key: '' },
        ),
      );
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors[0]).toMatchObject({ field: 'Idempotency-Key', rule: 'required' });
    expect(await readStream(system.dataSource.manager, id)).toHaveLength(2);
  });
});
