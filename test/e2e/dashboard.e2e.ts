import { randomBytes } from 'node:crypto';
import type { components } from '../../apps/web/src/api/schema';
import { ApiClient, today } from '../support/api';
import { dashboardSeeds, seedDashboard, seededProjectId } from '../support/dashboard-portfolio';
import { startSystem, type TestSystem } from '../support/system';

// Codes no other test uses (4393xx, 4392xx are not real divisions), so rows other files write in
// the shared database never fall inside them.
const CITY = '439300';
const COUNTY_A = '439301';
const COUNTY_B = '439302';
const OTHER_COUNTY = '439201';
const YEAR = 2025;
const AS_OF = '2025-06-30';

let system: TestSystem;
const tag = `dsh${randomBytes(3).toString('hex')}`;

const cityLeader = () => new ApiClient(system, { role: 'leader', regions: [CITY], sub: `leader-${tag}` });

beforeAll(async () => {
  system = await startSystem();
  await seedDashboard(system.dataSource, tag, dashboardSeeds(COUNTY_A, COUNTY_B, OTHER_COUNTY));
  const leader = cityLeader();
  const targets: Record<string, Record<string, number | string>> = {
    [COUNTY_A]: { signed_projects: 4, started_projects: 2, funds_arrived: '20000000.00' },
    [COUNTY_B]: { signed_projects: 1, landed_projects: 3 },
  };
  for (const [region, set] of Object.entries(targets)) {
    await leader
      .write(`/api/targets/${YEAR}/${region}`, { targets: set, reason: '驾驶舱测试' }, { method: 'put' })
      .expect(200);
  }
}, 120_000);
afterAll(() => system?.stop(), 60_000);

type Schemas = components['schemas'];
type DashboardView = Schemas['DashboardView'];
type Listed = Schemas['DashboardProjectView'];
type Progress = Schemas['ProgressView'];
type Bulletin = Schemas['BulletinView'];

interface Filtered {
  count: number;
  filter: string;
}

/** The list's total under a figure's filter, as the 台账 would show it. */
async function listTotal(client: ApiClient, filter: string): Promise<number> {
  const res = await client.get(`/api/projects?${filter}&limit=1`).expect(200);
  return res.body.totals.count as number;
}

/** Every count of a dashboard with its filter. */
function countsOf(body: DashboardView): { where: string; figure: Filtered }[] {
  const out: { where: string; figure: Filtered }[] = [{ where: 'projects', figure: body.projects }];
  for (const s of body.funnel) out.push({ where: `funnel ${s.stage}`, figure: s });
  out.push({ where: 'dropped', figure: body.dropped });
  for (const l of body.lights) out.push({ where: `light ${l.light}`, figure: l });
  out.push({ where: 'red list', figure: { count: body.redList.total, filter: body.redList.filter } });
  out.push({
    where: 'major projects',
    figure: { count: body.majorProjects.total, filter: body.majorProjects.filter },
  });
  for (const c of body.cohorts) {
    for (const kind of ['all', 'industrial'] as const) {
      out.push({ where: `cohort ${c.year} ${kind} signed`, figure: c[kind].signed });
      out.push({ where: `cohort ${c.year} ${kind} started`, figure: c[kind].started });
    }
  }
  for (const f of body.funds) {
    out.push({
      where: `funds ${f.current.month}`,
      figure: { count: f.current.projects, filter: f.current.filter },
    });
    out.push({
      where: `funds ${f.previous.month}`,
      figure: { count: f.previous.projects, filter: f.previous.filter },
    });
  }
  for (const r of body.targets) {
    for (const m of r.metrics) {
      if (typeof m.actual === 'number') {
        out.push({ where: `target ${r.region} ${m.metric}`, figure: { count: m.actual, filter: m.filter } });
      }
    }
  }
  return out;
}

describe('GET /api/dashboard', () => {
  it('gives every count with a 台账 filter whose list total is that count', async () => {
    const leader = cityLeader();
    const res = await leader.get(`/api/dashboard?asOf=${AS_OF}`).expect(200);
    const body = res.body as DashboardView;
    expect(body).toMatchObject({
      asOf: AS_OF,
      lightsOn: AS_OF,
      year: YEAR,
      region: null,
      timeProgressPercent: '49.59',
    });
    expect(body.projects.count).toBe(6);
    // The stage each project was in on asOf: the one started on 2025-07-02 was still 签约 then.
    expect(Object.fromEntries(body.funnel.map((s) => [s.stage, s.count]))).toEqual({
      lead: 1,
      negotiating: 0,
      signed: 2,
      landed: 0,
      started: 1,
      in_stats: 1,
      producing: 0,
    });
    expect(body.funnel.find((s) => s.stage === 'signed')!.filter).toBe(`stage=signed&stageOn=${AS_OF}`);
    expect(body.dropped.count).toBe(1);
    // The lights each project had at the end of asOf: the one yellow today turned yellow after it.
    expect(body.lights.map((l) => [l.light, l.count, l.percent])).toEqual([
      ['green', 3, '50.00'],
      ['yellow', 0, '0.00'],
      ['red', 3, '50.00'],
    ]);
    expect(body.lights.find((l) => l.light === 'red')!.filter).toBe(`light=red&stageOn=${AS_OF}`);
    expect(body.redList.total).toBe(3);
    expect(body.redList.items.map((p: Listed) => [p.projectId, p.light])).toEqual(
      [1, 3, 5].map((i) => [seededProjectId(tag, i), 'red']),
    );
    expect(body.majorProjects.items.map((p: Listed) => [p.projectId, p.investment, p.stage])).toEqual([
      [seededProjectId(tag, 4), '2000000000.00', 'signed'],
      [seededProjectId(tag, 1), '1500000000.00', 'started'],
    ]);
    const [previous, current] = body.cohorts;
    expect(previous).toMatchObject({
      year: 2024,
      all: { percent: '50.00' },
      industrial: { percent: '100.00' },
    });
    expect(previous.all.signed.count).toBe(2);
    expect(current).toMatchObject({ year: 2025, signedTo: AS_OF });
    // 2025-07-02 is after asOf: that start does not count.
    expect([current.all.signed.count, current.all.started.count, current.all.percent]).toEqual([
      3,
      1,
      '33.33',
    ]);
    expect(current.industrial.percent).toBe('50.00');
    expect(body.funds).toHaveLength(6);
    const march = body.funds[2];
    expect(march.current).toMatchObject({ month: '2025-03', amount: '2600.25', projects: 2 });
    expect(march.previous).toMatchObject({ month: '2024-03', amount: '1050.10', projects: 2 });
    expect(body.funds[5].current.amount).toBe('0.01');

    for (const { where, figure } of countsOf(body)) {
      expect({ where, total: await listTotal(leader, figure.filter) }).toEqual({
        where,
        total: figure.count,
      });
    }
  });

  it('as of today, counts the stages as they are, and as of an earlier day only the projects recorded by then', async () => {
    const leader = cityLeader();
    const now = (await leader.get('/api/dashboard').expect(200)).body as DashboardView;
    expect([now.asOf, now.lightsOn]).toEqual([today(), today()]);
    const stages = Object.fromEntries(now.funnel.map((s) => [s.stage, s.count]));
    expect(stages).toMatchObject({ lead: 1, signed: 1, started: 2, in_stats: 1 });
    expect(now.funnel.find((s) => s.stage === 'started')!.filter).toBe('stage=started');
    // Every seed's lead is of 2024-01-02: on the day before, none of them was recorded yet.
    const before = (await leader.get('/api/dashboard?asOf=2024-01-01').expect(200)).body as DashboardView;
    expect(before.projects).toEqual({ count: 0, filter: 'stageOn=2024-01-01' });
    expect(before.majorProjects.items).toEqual([]);
    for (const { where, figure } of countsOf(before)) {
      expect({ where, total: await listTotal(leader, figure.filter) }).toEqual({
        where,
        total: figure.count,
      });
    }
  });

  it('as of a past day, shows the lights each project had at its end, and today the lights it has now', async () => {
    const leader = cityLeader();
    const lights = (v: DashboardView) => Object.fromEntries(v.lights.map((l) => [l.light, l.count]));
    const red = (v: DashboardView) => v.redList.items.map((p: Listed) => p.projectId);

    // 2025-04-10: 1 red since 03-01, 4 red from 04-01 (green again from 06-15); 5 not yet red.
    const april = (await leader.get('/api/dashboard?asOf=2025-04-10').expect(200)).body as DashboardView;
    expect(april.lightsOn).toBe('2025-04-10');
    expect(lights(april)).toEqual({ green: 4, yellow: 0, red: 2 });
    expect(red(april)).toEqual([1, 4].map((i) => seededProjectId(tag, i)));
    expect(april.redList.total).toBe(2);
    // 2025-02-10: the day 1 turned yellow.
    const february = (await leader.get('/api/dashboard?asOf=2025-02-10').expect(200)).body as DashboardView;
    expect(lights(february)).toEqual({ green: 5, yellow: 1, red: 0 });

    // Today: the lights the projects show now (the read model's), 2 yellow since 07-10, 4 green.
    const now = (await leader.get('/api/dashboard').expect(200)).body as DashboardView;
    expect(lights(now)).toEqual({ green: 2, yellow: 1, red: 3 });
    expect(red(now)).toEqual([1, 3, 5].map((i) => seededProjectId(tag, i)));

    // Each day's light figures are what the 台账 lists for the same filter on that day.
    for (const view of [april, february, now]) {
      for (const { where, figure } of countsOf(view).filter((c) => /light|red list/.test(c.where))) {
        expect({ where, total: await listTotal(leader, figure.filter) }).toEqual({
          where,
          total: figure.count,
        });
      }
    }
    const listed = await leader.get(`/api/projects?light=red&stageOn=2025-04-10&limit=50`).expect(200);
    expect((listed.body.items as { projectId: string }[]).map((p) => p.projectId).sort()).toEqual(
      [1, 4].map((i) => seededProjectId(tag, i)).sort(),
    );
  });

  it('words each target as the progress route does, and ranks the regions as the bulletin does', async () => {
    const leader = cityLeader();
    const [dash, progress] = await Promise.all([
      leader.get(`/api/dashboard?asOf=${AS_OF}`).expect(200),
      leader.get(`/api/progress?asOf=${AS_OF}`).expect(200),
    ]);
    const strip = ({ filter: _filter, ...m }: Schemas['DashboardMetricView']) => m;
    const mine = (progress.body as Progress).regions.filter((r) => r.region.startsWith('4393'));
    expect(
      (dash.body as DashboardView).targets.map((r) => ({ ...r, metrics: r.metrics.map(strip) })),
    ).toEqual(mine);
    const signed = (dash.body as DashboardView).targets.find((r) => r.region === COUNTY_A)!.metrics[0];
    expect(signed).toMatchObject({ metric: 'signed_projects', actual: 1 });
    expect(signed.assessment).toMatch(/时序进度/);
    const bulletin = await leader.get(`/api/bulletins/2025-06`).expect(200);
    expect((dash.body as DashboardView).ranking.map((r) => [r.region, r.rank, r.scorePoints])).toEqual(
      (bulletin.body as Bulletin).regions
        .filter((r) => r.region.startsWith('4393'))
        .map((r) => [r.region, r.rank, r.scorePoints]),
    );
  });

  it('narrows to a region within the caller’s, refuses one outside them, and shows another county’s leader nothing', async () => {
    const leader = cityLeader();
    const b = await leader.get(`/api/dashboard?asOf=${AS_OF}&region=${COUNTY_B}`).expect(200);
    expect(b.body.projects).toEqual({ count: 2, filter: `region=${COUNTY_B}&stageOn=${AS_OF}` });
    for (const { where, figure } of countsOf(b.body as DashboardView)) {
      expect({ where, total: await listTotal(leader, figure.filter) }).toEqual({
        where,
        total: figure.count,
      });
    }
    const refused = await leader.get(`/api/dashboard?region=${OTHER_COUNTY}`).expect(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('REGION_NOT_IN_SCOPE');

    const other = new ApiClient(system, { role: 'leader', regions: [OTHER_COUNTY], sub: `other-${tag}` });
    const theirs = await other.get(`/api/dashboard?asOf=${AS_OF}`).expect(200);
    const ours = new Set(Array.from({ length: 6 }, (_, i) => seededProjectId(tag, i)));
    const theirView = theirs.body as DashboardView;
    const listedIds = [...theirView.redList.items, ...theirView.majorProjects.items].map(
      (p: Listed) => p.projectId,
    );
    expect(listedIds.filter((id) => ours.has(id))).toEqual([]);
    expect(theirs.body.projects.count).toBe(await listTotal(other, theirs.body.projects.filter));
    expect(theirView.targets.filter((r) => r.region.startsWith('4393'))).toEqual([]);

    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY_A], sub: `officer-${tag}` });
    await officer.get('/api/dashboard').expect(403);
  });

  it('answers a malformed or future asOf with a 422 naming asOf', async () => {
    const leader = cityLeader();
    for (const asOf of ['2025-02-30', 'yesterday', '9999-01-01', '2099-12-31']) {
      const res = await leader.get(`/api/dashboard?asOf=${asOf}`).expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
    }
    const res = await leader.get('/api/dashboard').expect(200);
    expect(res.body.asOf).toBe(today());
    await leader.get('/api/dashboard?region=43930').expect(400);
  });
});
