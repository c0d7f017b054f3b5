import { randomUUID } from 'node:crypto';
import { rebuildAndDiffProjections, readStream } from '../../libs/persistence/src';
import {
  ApiClient,
  COUNTY,
  daysAgo,
  evidence,
  lead,
  OTHER_REGION,
  REGION,
  today,
  uniqueTag,
} from '../support/api';
import { startSystem, type TestSystem } from '../support/system';
import { DuplicatesService } from '../../apps/api/src/duplicates/duplicates.service';

let system: TestSystem;
let officer: ApiClient;
let elsewhere: ApiClient;
const tag = uniqueTag();
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `officer-dup-${tag}` });
  elsewhere = new ApiClient(system, { role: 'officer', regions: [OTHER_REGION], sub: `officer-dup2-${tag}` });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

type Res = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

function expectProblem(res: Res, status: number, code: string, field: string): void {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule: code })]));
}

/** A lead of an investor of this test's own, so that no other test's project is flagged with it. */
function ownLead(investor: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return lead({ investor: { name: investor, type: 'private', flags: [] }, ...overrides });
}

async function eventsOf(id: string) {
  return (await readStream(system.dataSource.manager, id)).map((e) => ({ type: e.type, data: e.data }));
}

describe('a registration that looks like an earlier project counted again', () => {
  const investor = `宜昌${tag}新能源科技有限公司`;
  let first: string;

  beforeAll(async () => {
    first = (await officer.register(ownLead(investor, { name: `${tag}年产10万吨磷酸铁锂正极材料项目` }))).id;
  });

  // The refused registration and its confirmed resend, under one Idempotency-Key, as the console sends them.
  const key = randomUUID();

  it('is answered 409 LIKELY_DUPLICATE naming the earlier project, and records nothing', async () => {
    const body = ownLead(`${investor} `, { name: `${tag}年产10万吨磷酸铁锂正极材料项目(二期)` });
    const res = await officer.write('/api/projects', body, { key });
    expectProblem(res, 409, 'LIKELY_DUPLICATE', 'duplicateConfirmation');
    expect(res.body.duplicates).toEqual([
      {
        projectId: first,
        name: `${tag}年产10万吨磷酸铁锂正极材料项目`,
        region: COUNTY,
        match: 'investor_name',
        matchLabel: '投资方相同且项目名称相近',
        date: today(),
      },
    ]);
    expect(String(res.body.detail)).toContain(`${tag}年产10万吨磷酸铁锂正极材料项目`);
    const [{ n }] = await system.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM projects WHERE investor_name LIKE $1`,
      [`宜昌${tag}%`],
    );
    expect(n).toBe(1);
  });

  it('goes through once confirmed, recording DuplicateConfirmed, and the pair is listed for the region', async () => {
    const confirmation = { of: first, match: 'investor_name', reason: '同一投资方的二期项目,另签协议' };
    // The refused request released its key: the confirmed one goes through under it.
    const res = await officer
      .write(
        '/api/projects',
        {
          ...ownLead(`${investor} `, { name: `${tag}年产10万吨磷酸铁锂正极材料项目(二期)` }),
          duplicateConfirmation: confirmation,
        },
        { key },
      )
      .expect(201);
    const second = res.body.projectId as string;
    expect(await eventsOf(second)).toEqual(
      expect.arrayContaining([{ type: 'DuplicateConfirmed', data: { ...confirmation, at: 'registration' } }]),
    );

    const leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: `leader-dup-${tag}` });
    const page = (await leader.get('/api/duplicates?limit=200').expect(200)).body as {
      items: Record<string, unknown>[];
    };
    const pair = page.items.find((i) => (i.project as { projectId: string }).projectId === second);
    expect(pair).toMatchObject({
      project: { projectId: second, name: `${tag}年产10万吨磷酸铁锂正极材料项目(二期)`, region: COUNTY },
      of: { projectId: first, name: `${tag}年产10万吨磷酸铁锂正极材料项目`, region: COUNTY },
      match: 'investor_name',
      matchLabel: '投资方相同且项目名称相近',
      reason: confirmation.reason,
      point: 'registration',
      confirmedBy: { id: `officer-dup-${tag}`, role: 'officer' },
    });
    expect(Date.parse(pair!.confirmedAt as string)).toBeGreaterThan(Date.now() - 10 * 60_000);

    // A leader of another region does not see it; an auditor does; an officer may not ask.
    const stranger = new ApiClient(system, {
      role: 'leader',
      regions: [OTHER_REGION],
      sub: `leader-x-${tag}`,
    });
    const theirs = (await stranger.get('/api/duplicates?limit=200').expect(200)).body as {
      items: { project: { projectId: string } }[];
    };
    expect(theirs.items.map((i) => i.project.projectId)).not.toContain(second);
    const auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: `auditor-dup-${tag}` });
    const all = (await auditor.get(`/api/duplicates?region=${COUNTY}&limit=200`).expect(200)).body as {
      items: { project: { projectId: string } }[];
    };
    expect(all.items.map((i) => i.project.projectId)).toContain(second);
    const notAllowed = await officer.get('/api/duplicates');
    expect({ status: notAllowed.status, code: notAllowed.body.code }).toEqual({
      status: 403,
      code: 'ROLE_NOT_ALLOWED',
    });
  });

  it('is not flagged in another region, with a dissimilar name, or outside the window', async () => {
    const similar = `${tag}年产10万吨磷酸铁锂正极材料项目`;
    await elsewhere
      .write('/api/projects', ownLead(investor, { name: similar, region: OTHER_REGION }))
      .expect(201);
    await officer.write('/api/projects', ownLead(investor, { name: `${tag}总部大楼及研发中心` })).expect(201);
    const old = `宜昌${tag}老项目有限公司`;
    await officer.register(ownLead(old, { name: `${tag}精细化工园区配套项目`, leadDate: daysAgo(400) }));
    await officer.write('/api/projects', ownLead(old, { name: `${tag}精细化工园区配套项目` })).expect(201);
  });
});

describe('a signing with a contract number an earlier project has', () => {
  const number = `HT-DUP-${tag}`;
  let earlier: string;

  beforeAll(async () => {
    earlier = await officer.projectAt(
      'lead',
      ownLead(`荆州${tag}食品有限公司`, { name: `${tag}食品加工项目` }),
    );
    await officer.command(earlier, '/transitions', { ...evidence('signed'), contractNumber: number });
  });

  it('is answered 409 anywhere, with the number written another way, and goes through confirmed', async () => {
    const later = (
      await elsewhere.register(
        ownLead(`北京${tag}咨询有限公司`, { name: `${tag}数字经济产业园`, region: OTHER_REGION }),
      )
    ).id;
    const signing = { ...evidence('signed'), contractNumber: ` ht-dup-${tag.toLowerCase()} ` };
    const refused = await elsewhere.write(`/api/projects/${later}/transitions`, signing, {
      version: await elsewhere.version(later),
    });
    expectProblem(refused, 409, 'LIKELY_DUPLICATE', 'duplicateConfirmation');
    // Another county's project: its id to confirm against, where and why, never its name.
    expect(refused.body.duplicates).toEqual([
      expect.objectContaining({
        projectId: earlier,
        name: '其他地区的项目(无权查看详情)',
        region: COUNTY,
        match: 'contract_number',
        matchLabel: '合同编号相同',
      }),
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(`${tag}食品加工项目`);
    expect(await eventsOf(later)).toHaveLength(1);

    const confirmation = {
      of: earlier,
      match: 'contract_number',
      reason: '合同编号录入时与对方项目撞号,已核实',
    };
    await elsewhere.command(later, '/transitions', { ...signing, duplicateConfirmation: confirmation });
    expect(await eventsOf(later)).toEqual(
      expect.arrayContaining([{ type: 'DuplicateConfirmed', data: { ...confirmation, at: 'signing' } }]),
    );

    // The live table is what a rebuild from the log gives.
    const { diff } = await rebuildAndDiffProjections(system.dataSource, { projectIds: [earlier, later] });
    const table = diff.tables.find((t) => t.table === 'duplicate_confirmations')!;
    expect(table.liveRows).toBe(1);
    expect(diff.identical).toBe(true);
  });
});

describe('DuplicatesService.findMany, for an import', () => {
  it('answers each candidate its own earlier projects, in one statement', async () => {
    const investor = `远安${tag}矿业有限公司`;
    const name = `${tag}年产50万吨磷矿采选项目`;
    const earlier = (await officer.register(ownLead(investor, { name }))).id;
    const service = system.app.get(DuplicatesService);
    const candidate = (overrides: Record<string, unknown>) => ({
      projectId: randomUUID(),
      name,
      region: COUNTY,
      investorName: investor,
      creditCode: null,
      contractNumber: null,
      date: today(),
      ...overrides,
    });
    const [same, otherRegion, outside, itself] = await service.findMany([
      candidate({}),
      candidate({ region: OTHER_REGION }),
      candidate({ date: daysAgo(400) }),
      candidate({ projectId: earlier }),
    ]);
    expect(same.map((d) => [d.projectId, d.match])).toEqual([[earlier, 'investor_name']]);
    expect([otherRegion, outside, itself]).toEqual([[], [], []]);
    expect(await service.findMany([])).toEqual([]);
  });
});

describe('a bad confirmation', () => {
  const investor = `宜都${tag}化工有限公司`;
  let first: string;
  const name = `${tag}年产20万吨精细化工项目`;

  beforeAll(async () => {
    first = (await officer.register(ownLead(investor, { name }))).id;
  });

  it.each([
    [{ of: 'not-a-uuid', match: 'investor_name', reason: '理由' }, 'duplicateConfirmation.of'],
    [{ of: randomUUID(), match: 'same_name', reason: '理由' }, 'duplicateConfirmation.match'],
    [{ of: randomUUID(), match: 'investor_name', reason: '   ' }, 'duplicateConfirmation.reason'],
    ['确认', 'duplicateConfirmation'],
  ])('is refused 400 naming the field: %j', async (confirmation, field) => {
    const res = await officer.write('/api/projects', {
      ...ownLead(investor, { name }),
      duplicateConfirmation: confirmation,
    });
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
  });

  it('naming no project, or the wrong match, is refused 422 on that field', async () => {
    const unknown = await officer.write('/api/projects', {
      ...ownLead(`无关${tag}有限公司`, { name: `${tag}无关项目` }),
      duplicateConfirmation: { of: randomUUID(), match: 'investor_name', reason: '核实不是同一项目' },
    });
    expectProblem(unknown, 422, 'DUPLICATE_OF_UNKNOWN', 'duplicateConfirmation.of');
    const wrong = await officer.write('/api/projects', {
      ...ownLead(investor, { name }),
      duplicateConfirmation: { of: first, match: 'contract_number', reason: '核实不是同一项目' },
    });
    expectProblem(wrong, 422, 'DUPLICATE_MATCH_MISMATCH', 'duplicateConfirmation.match');
  });

  it('naming an existing project that is not flagged is accepted', async () => {
    await officer
      .write('/api/projects', {
        ...ownLead(`另一${tag}有限公司`, { name: `${tag}另一项目` }),
        duplicateConfirmation: { of: first, match: 'investor_name', reason: '与该项目核对过,并非同一项目' },
      })
      .expect(201);
  });

  it('is refused 400 on a transition other than signing', async () => {
    const res = await officer.write(
      `/api/projects/${first}/transitions`,
      {
        ...evidence('negotiating'),
        duplicateConfirmation: { of: first, match: 'investor_name', reason: '理由' },
      },
      { version: await officer.version(first) },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors as { field: string; rule: string }[]).toContainEqual(
      expect.objectContaining({ field: 'duplicateConfirmation', rule: 'belongsTo' }),
    );
  });
});

describe('GET /api/duplicates', () => {
  it('pages newest first by its cursor, and refuses a cursor it did not give out', async () => {
    const auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: `auditor-page-${tag}` });
    const ours = (await auditor.get(`/api/duplicates?region=${COUNTY}&limit=200`).expect(200)).body as {
      items: { eventId: string }[];
    };
    expect(ours.items.length).toBeGreaterThanOrEqual(2);
    const first = (await auditor.get(`/api/duplicates?region=${COUNTY}&limit=1`).expect(200)).body as {
      items: { eventId: string }[];
      nextCursor: string;
    };
    expect(first.items.map((i) => i.eventId)).toEqual([ours.items[0].eventId]);
    const second = (
      await auditor.get(`/api/duplicates?region=${COUNTY}&limit=1&cursor=${first.nextCursor}`).expect(200)
    ).body as { items: { eventId: string }[] };
    expect(second.items.map((i) => i.eventId)).toEqual([ours.items[1].eventId]);
    const bad = await auditor.get('/api/duplicates?cursor=abc');
    expect(bad.status).toBe(400);
    expect((await auditor.get('/api/duplicates?region=12')).status).toBe(400);
  });
});
