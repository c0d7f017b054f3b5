import { randomUUID } from 'node:crypto';
import { ApiClient, COUNTY, evidence, OTHER_REGION, REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

describe('GET /api/projects over HTTP', () => {
  it('filters, pages and scopes the list, and refuses unknown query parameters', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-list' });
    const tag = `列表${randomUUID().slice(0, 8)}`;
    const lead = await officer.projectAt('lead', { name: `${tag} 食品项目`, industryChain: '食品饮料' });
    const signed = await officer.projectAt('signed', {
      name: `${tag} 装备项目`,
      industryChain: '先进装备制造',
    });
    await officer.command(signed, '/transitions', { ...evidence('landed') });

    const q = encodeURIComponent(tag);
    const all = await officer.get(`/api/projects?q=${q}&sort=name`).expect(200);
    // Sorted by name in code-point order: 装 (U+88C5) before 食 (U+98DF).
    expect(all.body.items.map((p: { projectId: string }) => p.projectId)).toEqual([signed, lead]);
    expect(all.body.items[0]).toMatchObject({
      stage: { code: 'landed', label: '落地' },
      contractInvestment: '150000000.00',
    });
    expect(all.body.items[0].state).toBeUndefined();

    const landed = await officer.get(`/api/projects?q=${q}&stage=landed,signed`).expect(200);
    expect(landed.body.items.map((p: { projectId: string }) => p.projectId)).toEqual([signed]);
    const chain = await officer
      .get(`/api/projects?q=${q}&industryChain=${encodeURIComponent('食品饮料')}`)
      .expect(200);
    expect(chain.body.items.map((p: { projectId: string }) => p.projectId)).toEqual([lead]);
    const big = await officer
      .get(`/api/projects?q=${q}&sizeBand=100m_plus&signingYear=${new Date().getFullYear()}`)
      .expect(200);
    expect(big.body.items.map((p: { projectId: string }) => p.projectId)).toEqual([signed]);

    const first = await officer.get(`/api/projects?q=${q}&limit=1`).expect(200);
    expect(first.body.items).toHaveLength(1);
    const second = await officer
      .get(`/api/projects?q=${q}&limit=1&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].projectId).not.toBe(first.body.items[0].projectId);
    expect(second.body.nextCursor).toBeNull();

    const leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-list' });
    expect((await leader.get(`/api/projects?q=${q}`).expect(200)).body.items).toHaveLength(2);
    const elsewhere = new ApiClient(system, {
      role: 'officer',
      regions: [OTHER_REGION],
      sub: 'officer-elsewhere',
    });
    expect((await elsewhere.get(`/api/projects?q=${q}`).expect(200)).body.items).toEqual([]);

    const unknown = await officer.get('/api/projects?colour=red').expect(400);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'colour' });
    const badStage = await officer.get('/api/projects?stage=built').expect(400);
    expect(badStage.body.errors[0].field).toBe('stage');
    await officer.get('/api/projects?limit=1000').expect(400);
  });
});

/** Yuan strings summed exactly, in fen. */
function sumYuan(values: (string | null)[]): string {
  const fen = values.reduce((sum, v) => sum + (v === null ? 0n : BigInt(v.replace('.', ''))), 0n);
  const text = fen.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

interface Listed {
  projectId: string;
  plannedInvestment: string;
  contractInvestment: string | null;
  fundsArrivedTotal: string;
  serviceOfficerName: string | null;
  chiefServiceOfficerName: string | null;
}

describe('the ledger (台账) over HTTP: its filters, its 合计 and the officers’ names', () => {
  let officer: ApiClient;
  let stranger: ApiClient;
  let tag: string;
  let seeded: { a: string; b: string; c: string; d: string };
  const ids = (body: { items: Listed[] }) => body.items.map((p) => p.projectId).sort();

  beforeAll(async () => {
    tag = `台账${randomUUID().slice(0, 8)}`;
    const admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-${tag}` });
    const person = (personId: string, name: string, role: string) =>
      admin.write('/api/people', { personId, name, role, regions: [COUNTY] }).expect(201);
    const officerId = `officer-${randomUUID().slice(0, 8)}`;
    const chiefId = `chief-${randomUUID().slice(0, 8)}`;
    await person(officerId, '王台账', 'officer');
    await person(chiefId, '赵首席', 'chief_officer');

    officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: officerId });
    // Not in the directory: the list gives no name for them.
    stranger = new ApiClient(system, {
      role: 'officer',
      regions: [COUNTY],
      sub: `x-${randomUUID().slice(0, 8)}`,
    });
    const elsewhere = new ApiClient(system, {
      role: 'officer',
      regions: [OTHER_REGION],
      sub: `elsewhere-${randomUUID().slice(0, 8)}`,
    });
    const leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: `leader-${tag}` });

    const a = await officer.projectAt('lead', {
      name: `${tag} 甲`,
      industrial: true,
      investor: { name: '中国某某集团有限公司', type: 'central_soe', flags: ['fortune_global_500'] },
      park: `${tag}园`,
      plannedInvestment: '123456789.01',
    });
    await leader.command(a, '/assignments', { position: 'chief_service_officer', personId: chiefId });
    const b = await officer.projectAt('lead', {
      name: `${tag} 乙`,
      industrial: false,
      investor: { name: '某某外资有限公司', type: 'foreign', flags: ['listed'] },
      park: null,
      plannedInvestment: '100000000.55',
    });
    await officer.command(b, '/transitions', { ...evidence('signed'), contractInvestment: '98765432.10' });
    await officer.command(b, '/funds', { month: today().slice(0, 7), amount: '12345.68' });
    const c = await stranger.projectAt('lead', {
      name: `${tag} 丙`,
      plannedInvestment: '50000000.07',
      investor: { name: '某某民营有限公司', type: 'private', flags: [] },
    });
    const d = await elsewhere.projectAt('lead', {
      name: `${tag} 丁`,
      region: OTHER_REGION,
      plannedInvestment: '7.77',
    });
    seeded = { a, b, c, d };
  }, 120_000);

  it('totals the whole filtered list (every page, not one), exact to the fen, within the reading scope', async () => {
    const q = encodeURIComponent(tag);
    const { a, b, c, d } = seeded;
    const all = await officer.get(`/api/projects?q=${q}`).expect(200);
    expect(ids(all.body)).toEqual([a, b, c].sort());
    expect(all.body.totals).toEqual({
      count: 3,
      plannedInvestment: '273456789.63',
      contractInvestment: '98765432.10',
      fundsArrived: '12345.68',
    });

    // Page by page, every page carries the same totals, and they are the sums over all pages.
    const pages: Listed[] = [];
    let cursor: string | null = null;
    do {
      const res = await officer
        .get(`/api/projects?q=${q}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.totals).toEqual(all.body.totals);
      pages.push(...(res.body.items as Listed[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(pages).toHaveLength(3);
    expect(sumYuan(pages.map((p) => p.plannedInvestment))).toBe(all.body.totals.plannedInvestment);
    expect(sumYuan(pages.map((p) => p.contractInvestment))).toBe(all.body.totals.contractInvestment);
    expect(sumYuan(pages.map((p) => p.fundsArrivedTotal))).toBe(all.body.totals.fundsArrived);

    // Under a filter, the totals are the filtered list's.
    const industrial = await officer.get(`/api/projects?q=${q}&industrial=true`).expect(200);
    expect(ids(industrial.body)).toEqual([a, c].sort());
    expect(industrial.body.totals).toEqual({
      count: 2,
      plannedInvestment: '173456789.08',
      contractInvestment: '0.00',
      fundsArrived: '0.00',
    });
    const none = await officer.get(`/api/projects?q=${q}&stage=producing`).expect(200);
    expect(none.body.totals).toEqual({
      count: 0,
      plannedInvestment: '0.00',
      contractInvestment: '0.00',
      fundsArrived: '0.00',
    });

    // Another county's officer counts only their own county's project.
    const elsewhere = new ApiClient(system, {
      role: 'officer',
      regions: [OTHER_REGION],
      sub: 'elsewhere-totals',
    });
    const theirs = await elsewhere.get(`/api/projects?q=${q}`).expect(200);
    expect(ids(theirs.body)).toEqual([d]);
    expect(theirs.body.totals).toMatchObject({ count: 1, plannedInvestment: '7.77' });
  });

  it('filters by industrial or not, investor type and flags, park and officer', async () => {
    const q = encodeURIComponent(tag);
    const { a, b, c } = seeded;
    const listed = async (filter: string) =>
      ids((await officer.get(`/api/projects?q=${q}&${filter}`).expect(200)).body);
    expect(await listed('industrial=false')).toEqual([b]);
    expect(await listed('investorType=central_soe,foreign')).toEqual([a, b].sort());
    expect(await listed('investorType=private')).toEqual([c]);
    expect(await listed('investorFlag=fortune_global_500&investorFlag=china_top_500')).toEqual([a]);
    expect(await listed('investorFlag=listed')).toEqual([b]);
    expect(await listed(`park=${encodeURIComponent(`${tag}园`)}`)).toEqual([a]);
    expect(await listed(`serviceOfficerId=${stranger.caller.sub}`)).toEqual([c]);
    expect(await listed(`serviceOfficerId=${officer.caller.sub}&industrial=true`)).toEqual([a]);
    const chief = (await officer.get(`/api/projects/${a}`).expect(200)).body.chiefServiceOfficerId as string;
    expect(await listed(`chiefServiceOfficerId=${chief}`)).toEqual([a]);

    const refused: [string, string, string][] = [
      ['industrial=maybe', 'industrial', 'isBoolean'],
      ['investorType=state', 'investorType', 'isIn'],
      ['investorFlag=top_10', 'investorFlag', 'isIn'],
      ['investorFlag=', 'investorFlag', 'arrayNotEmpty'],
      [`park=${'园'.repeat(101)}`, 'park', 'maxLength'],
      ['park=%20', 'park', 'storableText'],
      [`serviceOfficerId=${'x'.repeat(65)}`, 'serviceOfficerId', 'maxLength'],
      ['chiefServiceOfficerId=a&chiefServiceOfficerId=b', 'chiefServiceOfficerId', 'isString'],
    ];
    for (const [query, field, rule] of refused) {
      const res = await officer.get(`/api/projects?${query}`);
      expect([query, res.status, res.headers['content-type']]).toEqual([
        query,
        400,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field, rule }));
    }
  });

  it('names the service officer and the chief service officer from the people directory, in the list and on the project', async () => {
    const q = encodeURIComponent(tag);
    const { a, b, c } = seeded;
    const byId = new Map(
      ((await officer.get(`/api/projects?q=${q}`).expect(200)).body.items as Listed[]).map((p) => [
        p.projectId,
        p,
      ]),
    );
    expect(byId.get(a)).toMatchObject({ serviceOfficerName: '王台账', chiefServiceOfficerName: '赵首席' });
    expect(byId.get(b)).toMatchObject({ serviceOfficerName: '王台账', chiefServiceOfficerName: null });
    // An id the directory does not hold has no name.
    expect(byId.get(c)).toMatchObject({ serviceOfficerName: null, chiefServiceOfficerName: null });
    const page = await officer.get(`/api/projects/${a}`).expect(200);
    expect(page.body).toMatchObject({ serviceOfficerName: '王台账', chiefServiceOfficerName: '赵首席' });
  });
});
