import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import {
  foldEvents,
  formatYuan,
  makeEvent,
  parseYuan,
  progressAgainstTarget,
  toWanYuan,
  YI_YUAN,
} from '@app/domain';
import { projectRowFromState, upsertProjectRow } from '@app/persistence';
import { leadRegistered } from '../../libs/domain/src/testing/fixtures';
import { ApiClient } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

// Codes no other test uses (43 is 湖南, but 4398xx and 4399xx are not real divisions), so that rows
// written by other files in the shared database never fall inside these regions.
const CITY = '439900';
const COUNTY_A = '439901';
const COUNTY_B = '439902';
const OTHER_CITY_COUNTY = '439801';
const YEAR = 2024;
/** 30 June 2024 is day 182 of a leap year: 182 ÷ 366 = 49.7268… → 49.73. */
const AS_OF = '2024-06-30';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
  await seed();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

interface Seed {
  region: string;
  planned: string;
  contract: string | null;
  signed?: string;
  landed?: string;
  started?: string;
  inStats?: string;
  dropped?: string;
  funds?: Record<string, string>;
}

const tag = `tgt${randomBytes(3).toString('hex')}`;

/** Every project these tests write; the expected figures below are derived from this list alone. */
const SEEDS: Seed[] = [
  {
    region: COUNTY_A,
    planned: '120000000.00',
    contract: '150000000.00',
    signed: '2024-02-01',
    landed: '2024-03-01',
    started: '2024-04-10',
    inStats: '2024-05-20',
    // 2023-12 is last year and 2024-07 is after asOf's month: neither counts.
    funds: { '2023-12': '500.00', '2024-03': '30000000.00', '2024-06': '12345678.91', '2024-07': '99999.00' },
  },
  // Exactly 1亿元 planned and no contract figure: a 亿元以上 start; started on asOf itself.
  { region: COUNTY_A, planned: '100000000.00', contract: null, signed: '2024-01-15', started: '2024-06-30' },
  // Signed the day after asOf.
  { region: COUNTY_A, planned: '99999999.99', contract: '99999999.99', signed: '2024-07-01' },
  // Signed last year; the contract (under 1亿元) decides the size, not the larger plan.
  {
    region: COUNTY_A,
    planned: '200000000.00',
    contract: '99999999.99',
    signed: '2023-11-01',
    landed: '2023-12-01',
    started: '2024-03-01',
  },
  // Dropped after signing: the signing still happened in the year.
  {
    region: COUNTY_A,
    planned: '50000000.00',
    contract: '50000000.00',
    signed: '2024-02-10',
    dropped: '2024-05-01',
  },
  {
    region: COUNTY_B,
    planned: '80000000.00',
    contract: '80000000.00',
    signed: '2024-03-03',
    landed: '2024-06-01',
    funds: { '2024-01': '1000.50', '2024-02': '-200.25' },
  },
  // Another city's county: outside 439900.
  {
    region: OTHER_CITY_COUNTY,
    planned: '300000000.00',
    contract: '300000000.00',
    signed: '2024-02-02',
    landed: '2024-02-20',
    started: '2024-03-02',
    funds: { '2024-02': '700000.00' },
  },
];

async function seed(): Promise<void> {
  for (const [i, s] of SEEDS.entries()) {
    const projectId = `${tag}-${i}`;
    const state = foldEvents([
      makeEvent('LeadRegistered', '2023-10-01', {
        ...leadRegistered.data,
        projectId,
        name: `${tag} 目标测试项目 ${i}`,
        region: s.region,
        plannedInvestment: s.planned,
        leadDate: '2023-10-01',
      }),
    ]);
    await upsertProjectRow(system.dataSource.manager, {
      ...projectRowFromState(state, '2024-07-01T00:00:00.000Z'),
      stage: s.dropped
        ? 'dropped'
        : s.started
          ? 'started'
          : s.landed
            ? 'landed'
            : s.signed
              ? 'signed'
              : 'lead',
      contract_investment: s.contract,
      signed_date: s.signed ?? null,
      landed_date: s.landed ?? null,
      started_date: s.started ?? null,
      in_stats_date: s.inStats ?? null,
      dropped_date: s.dropped ?? null,
      signing_year: s.signed ? Number(s.signed.slice(0, 4)) : null,
    });
    for (const [month, amount] of Object.entries(s.funds ?? {})) {
      await system.dataSource.query(
        `INSERT INTO project_funds (project_id, month, amount) VALUES ($1, $2, $3)`,
        [projectId, month, amount],
      );
    }
  }
}

// ---- the expected figures, worked out from SEEDS without the SQL under test ----

function covers(target: string, region: string): boolean {
  if (target.endsWith('0000')) return region.startsWith(target.slice(0, 2));
  if (target.endsWith('00')) return region.startsWith(target.slice(0, 4));
  return region === target;
}
const inYear = (date: string | undefined, asOf: string): boolean =>
  date !== undefined && date >= `${asOf.slice(0, 4)}-01-01` && date <= asOf;

function expectedActuals(region: string, asOf: string): Record<string, number | string> {
  const mine = SEEDS.filter((s) => covers(region, s.region));
  const effective = (s: Seed) => parseYuan(s.contract ?? s.planned);
  const count = (pick: (s: Seed) => boolean) => mine.filter(pick).length;
  let funds = 0n;
  for (const s of mine) {
    for (const [month, amount] of Object.entries(s.funds ?? {})) {
      if (month >= `${asOf.slice(0, 4)}-01` && month <= asOf.slice(0, 7)) funds += parseYuan(amount);
    }
  }
  return {
    signed_projects: count((s) => inYear(s.signed, asOf)),
    new_started_100m_projects: count((s) => inYear(s.started, asOf) && effective(s) >= YI_YUAN),
    funds_arrived: formatYuan(funds),
    landed_projects: count((s) => inYear(s.landed, asOf)),
    started_projects: count((s) => inYear(s.started, asOf)),
    in_stats_projects: count((s) => inYear(s.inStats, asOf)),
  };
}

const TARGETS: Record<string, Record<string, number | string>> = {
  [COUNTY_A]: {
    signed_projects: 4,
    new_started_100m_projects: 2,
    funds_arrived: '100000000.00',
    started_projects: 3,
    in_stats_projects: 0,
  },
  [COUNTY_B]: { signed_projects: 1, funds_arrived: '2000.00' },
  [CITY]: { signed_projects: 10, landed_projects: 2 },
};

function sentence(points: string): string {
  if (points === '0.00') return '与时序进度持平';
  return points.startsWith('-')
    ? `落后时序进度 ${points.slice(1)} 个百分点`
    : `超时序进度 ${points} 个百分点`;
}

/** Mean of the metrics' points as printed (hundredths), half away from zero; null for none. */
function expectedScore(region: string, asOf: string): number | null {
  const actuals = expectedActuals(region, asOf);
  const points = Object.entries(TARGETS[region])
    .filter(([, target]) => Number(target) > 0)
    .map(([metric, target]) => Number(progressAgainstTarget(actuals[metric], target, asOf).aheadByPoints));
  if (points.length === 0) return null;
  const hundredths = points.reduce((a, p) => a + Math.round(p * 100), 0);
  return (Math.sign(hundredths) * Math.round(Math.abs(hundredths) / points.length)) / 100;
}

const admin = () => new ApiClient(system, { role: 'admin', regions: [], sub: `admin-${tag}` });
const cityLeader = () => new ApiClient(system, { role: 'leader', regions: [CITY], sub: `leader-${tag}` });

function binary(res: request.Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('region targets, progress and the monthly bulletin', () => {
  beforeAll(async () => {
    const leader = cityLeader();
    for (const region of [COUNTY_A, COUNTY_B, CITY]) {
      const res = await leader
        .write(
          `/api/targets/${YEAR}/${region}`,
          { targets: TARGETS[region], reason: '年度目标责任书' },
          {
            method: 'put',
          },
        )
        .expect(200);
      expect(res.body.targets).toEqual(TARGETS[region]);
    }
  });

  it('stores targets with who set them, keeps every change, and answers a repeated key from the first response', async () => {
    const got = await cityLeader().get(`/api/targets/${YEAR}/${COUNTY_A}`).expect(200);
    expect(got.body).toMatchObject({ year: YEAR, region: COUNTY_A, targets: TARGETS[COUNTY_A] });
    expect(got.body.entries[0]).toMatchObject({
      metric: 'signed_projects',
      label: '签约项目数',
      target: 4,
      updatedBy: `leader-${tag}`,
    });
    expect(got.body.history).toEqual([
      expect.objectContaining({
        changedBy: `leader-${tag}`,
        reason: '年度目标责任书',
        previous: {},
        targets: TARGETS[COUNTY_A],
      }),
    ]);

    // A scratch region of the same city: replace, replay, then clear.
    const scratch = '439909';
    const key = `targets-${tag}`;
    const body = { targets: { signed_projects: 3, funds_arrived: '1.5' } };
    const first = await admin()
      .write(`/api/targets/${YEAR}/${scratch}`, body, { method: 'put', key })
      .expect(200);
    expect(first.body.targets).toEqual({ signed_projects: 3, funds_arrived: '1.50' });
    const again = await admin()
      .write(`/api/targets/${YEAR}/${scratch}`, body, { method: 'put', key })
      .expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const replaced = await admin()
      .write(
        `/api/targets/${YEAR}/${scratch}`,
        { targets: { landed_projects: 1 }, reason: '调整' },
        { method: 'put' },
      )
      .expect(200);
    expect(replaced.body.targets).toEqual({ landed_projects: 1 });
    expect(replaced.body.history.map((h: { targets: unknown }) => h.targets)).toEqual([
      { landed_projects: 1 },
      { signed_projects: 3, funds_arrived: '1.50' },
    ]);
    expect(replaced.body.history[0].previous).toEqual({ signed_projects: 3, funds_arrived: '1.50' });
    const cleared = await admin()
      .write(`/api/targets/${YEAR}/${scratch}`, { targets: {} }, { method: 'put' })
      .expect(200);
    expect(cleared.body.targets).toEqual({});
    expect(cleared.body.history).toHaveLength(3);
  });

  it('refuses bad targets naming the field, writes without a key, and callers outside the region', async () => {
    const path = `/api/targets/${YEAR}/${COUNTY_A}`;
    const put = (body: unknown) => admin().write(path, body, { method: 'put' });
    const unknown = await put({ targets: { signed_projects: 1, colour: 3 } }).expect(400);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'targets.colour' })]);
    const negative = await put({ targets: { signed_projects: -1 } }).expect(400);
    expect(negative.body.errors[0].field).toBe('targets.signed_projects');
    const fraction = await put({ targets: { started_projects: 1.5 } }).expect(400);
    expect(fraction.body.errors[0].field).toBe('targets.started_projects');
    const floatMoney = await put({ targets: { funds_arrived: 100.5 } }).expect(400);
    expect(floatMoney.body.errors[0].field).toBe('targets.funds_arrived');
    const missing = await put({ reason: '无目标' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('targets');
    const badRegion = await admin()
      .write(`/api/targets/${YEAR}/12345`, { targets: {} }, { method: 'put' })
      .expect(400);
    expect(badRegion.body.errors[0].field).toBe('region');
    const badYear = await admin().get(`/api/targets/abcd/${COUNTY_A}`).expect(400);
    expect(badYear.body.errors[0].field).toBe('year');

    const noKey = await request(system.app.getHttpServer())
      .put(path)
      .set('Authorization', `Bearer ${admin().token}`)
      .send({ targets: {} })
      .expect(400);
    expect(noKey.body.errors[0].field).toBe('Idempotency-Key');

    const outsider = new ApiClient(system, {
      role: 'leader',
      regions: [OTHER_CITY_COUNTY],
      sub: `far-${tag}`,
    });
    const refused = await outsider
      .write(path, { targets: { signed_projects: 1 } }, { method: 'put' })
      .expect(403);
    expect(refused.body.code).toBe('REGION_NOT_IN_SCOPE');
    await outsider.get(path).expect(403);
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY_A], sub: `officer-${tag}` });
    expect((await officer.write(path, { targets: {} }, { method: 'put' }).expect(403)).body.code).toBe(
      'ROLE_NOT_ALLOWED',
    );
    // A county's leader does not set its city's targets.
    const countyLeader = new ApiClient(system, { role: 'leader', regions: [COUNTY_A], sub: `county-${tag}` });
    await countyLeader.write(`/api/targets/${YEAR}/${CITY}`, { targets: {} }, { method: 'put' }).expect(403);

    await request(system.app.getHttpServer()).get(`/api/progress?year=${YEAR}`).expect(401);
    await request(system.app.getHttpServer()).get(`/api/bulletins/2024-06`).expect(401);
    // The target stayed as it was.
    expect((await admin().get(path).expect(200)).body.targets).toEqual(TARGETS[COUNTY_A]);
  });

  it('reports each target against its actual beside 时序进度, a city counting its counties', async () => {
    const res = await cityLeader().get(`/api/progress?year=${YEAR}&asOf=${AS_OF}`).expect(200);
    expect(res.body).toMatchObject({ year: YEAR, asOf: AS_OF, timeProgressPercent: '49.73' });
    // Only the regions with targets that the leader covers, whatever other tests have stored.
    expect(res.body.regions.map((r: { region: string }) => r.region)).toEqual([CITY, COUNTY_A, COUNTY_B]);

    for (const region of res.body.regions as {
      region: string;
      metrics: Record<string, unknown>[];
    }[]) {
      const actuals = expectedActuals(region.region, AS_OF);
      expect(region.metrics.map((m) => m.metric)).toEqual(
        Object.keys(TARGETS[region.region]).sort(
          (a, b) => Object.keys(actuals).indexOf(a) - Object.keys(actuals).indexOf(b),
        ),
      );
      for (const m of region.metrics) {
        const metric = m.metric as string;
        const target = TARGETS[region.region][metric];
        expect(m.actual).toEqual(actuals[metric]);
        expect(m.target).toEqual(target);
        expect(m.timeProgressPercent).toBe('49.73');
        if (Number(target) === 0) {
          expect(m).toMatchObject({ completionPercent: null, aheadByPoints: null });
          continue;
        }
        const p = progressAgainstTarget(actuals[metric], target, AS_OF);
        expect(m).toMatchObject({
          completionPercent: p.completionPercent,
          aheadByPoints: p.aheadByPoints,
          assessment: sentence(p.aheadByPoints),
        });
      }
    }

    // Worked by hand: 439901 signed p0, p1 and the dropped p4 in the year up to 30 June.
    const a = res.body.regions[1].metrics;
    expect(a[0]).toMatchObject({
      metric: 'signed_projects',
      actual: 3,
      completionPercent: '75.00',
      aheadByPoints: '25.27',
      assessment: '超时序进度 25.27 个百分点',
      summary: '签约项目数完成 3 个,目标 4 个,完成率 75.00%,超时序进度 25.27 个百分点',
    });
    // p0 (1.5亿 contract) and p1 (exactly 1亿 planned); p3's contract is under 1亿.
    expect(a[1]).toMatchObject({
      metric: 'new_started_100m_projects',
      actual: 2,
      completionPercent: '100.00',
    });
    // 30000000.00 + 12345678.91 of 100000000.00: 42.35% against 49.73%.
    expect(a[2]).toMatchObject({
      metric: 'funds_arrived',
      actual: '42345678.91',
      completionPercent: '42.35',
      assessment: '落后时序进度 7.38 个百分点',
    });
    // 439902 nets a negative adjustment: 1000.50 − 200.25.
    expect(res.body.regions[2].metrics[1]).toMatchObject({ actual: '800.25', completionPercent: '40.01' });
    // The city: p0, p1, p4 and 439902's project; not 439801's.
    expect(res.body.regions[0].metrics[0]).toMatchObject({ actual: 4, completionPercent: '40.00' });

    const one = await cityLeader()
      .get(`/api/progress?year=${YEAR}&asOf=${AS_OF}&region=${COUNTY_B}`)
      .expect(200);
    expect(one.body.regions.map((r: { region: string }) => r.region)).toEqual([COUNTY_B]);
    // A past year's default asOf is its last day.
    const whole = await cityLeader().get(`/api/progress?year=${YEAR}&region=${COUNTY_A}`).expect(200);
    expect(whole.body).toMatchObject({ asOf: '2024-12-31', timeProgressPercent: '100.00' });
    expect(whole.body.regions[0].metrics[0].actual).toBe(
      expectedActuals(COUNTY_A, '2024-12-31').signed_projects,
    );

    const outside = await cityLeader().get(`/api/progress?year=${YEAR}&asOf=2025-01-01`).expect(400);
    expect(outside.body.errors[0].field).toBe('asOf');
    await cityLeader().get(`/api/progress?year=${YEAR}&region=${OTHER_CITY_COUNTY}`).expect(403);
    const unknownParam = await cityLeader().get(`/api/progress?year=${YEAR}&colour=red`).expect(400);
    expect(unknownParam.body.errors[0].field).toBe('colour');
  });

  it('ranks the regions in the monthly bulletin, and gives the same figures as a spreadsheet', async () => {
    const res = await cityLeader().get('/api/bulletins/2024-06').expect(200);
    expect(res.body).toMatchObject({
      month: '2024-06',
      year: YEAR,
      asOf: AS_OF,
      timeProgressPercent: '49.73',
    });
    expect(res.body.rankingRule).toContain('时序进度');
    const expected = [CITY, COUNTY_A, COUNTY_B]
      .map((region) => ({ region, score: expectedScore(region, AS_OF)! }))
      .sort((x, y) => y.score - x.score || (x.region < y.region ? -1 : 1));
    expect(
      res.body.regions.map((r: { rank: number; region: string; scorePoints: string }) => [
        r.rank,
        r.region,
        Number(r.scorePoints),
      ]),
    ).toEqual(expected.map((e, i) => [i + 1, e.region, e.score]));
    // By hand: 439901 (25.27 + 50.27 − 7.38 + 50.27) ÷ 4 = 29.6075 → 29.61, its zero target left out;
    // 439902 (50.27 − 9.71) ÷ 2 = 20.28; the city (−9.73 + 50.27) ÷ 2 = 20.27.
    expect(
      res.body.regions.map((r: Record<string, unknown>) => [r.rank, r.region, r.scorePoints, r.assessment]),
    ).toEqual([
      [1, COUNTY_A, '29.61', '超时序进度 29.61 个百分点'],
      [2, COUNTY_B, '20.28', '超时序进度 20.28 个百分点'],
      [3, CITY, '20.27', '超时序进度 20.27 个百分点'],
    ]);

    for (const path of ['/api/bulletins/2024-06.xlsx', '/api/bulletins/2024-06?format=xlsx']) {
      const file = await cityLeader().get(path).buffer(true).parse(binary).expect(200);
      expect(file.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(file.headers['content-disposition']).toMatch(/^attachment; filename="bulletin-2024-06\.xlsx"/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.body as ExcelJS.Buffer);
      const sheet = workbook.worksheets[0];
      const headers = (sheet.getRow(2).values as unknown[]).slice(1);
      expect(headers).toEqual([
        '排名',
        '地区',
        '签约项目数 目标',
        '签约项目数 完成',
        '签约项目数 完成率(%)',
        '新开工亿元以上项目数 目标',
        '新开工亿元以上项目数 完成',
        '新开工亿元以上项目数 完成率(%)',
        '到位资金(万元) 目标',
        '到位资金(万元) 完成',
        '到位资金(万元) 完成率(%)',
        '落地项目数 目标',
        '落地项目数 完成',
        '落地项目数 完成率(%)',
        '新开工项目数 目标',
        '新开工项目数 完成',
        '新开工项目数 完成率(%)',
        '入统项目数 目标',
        '入统项目数 完成',
        '入统项目数 完成率(%)',
        '时序进度(%)',
        '超/落后时序进度(百分点)',
      ]);
      const column = (header: string) => headers.indexOf(header) + 1;
      for (const [i, e] of expected.entries()) {
        const row = sheet.getRow(3 + i);
        const actuals = expectedActuals(e.region, AS_OF);
        expect(row.getCell(column('排名')).value).toBe(i + 1);
        expect(row.getCell(column('地区')).value).toBe(e.region);
        expect(row.getCell(column('时序进度(%)')).value).toBe(49.73);
        expect(row.getCell(column('超/落后时序进度(百分点)')).value).toBe(e.score);
        const signedTarget = TARGETS[e.region].signed_projects;
        expect(row.getCell(column('签约项目数 目标')).value).toBe(signedTarget);
        expect(row.getCell(column('签约项目数 完成')).value).toBe(actuals.signed_projects);
        expect(row.getCell(column('签约项目数 完成率(%)')).value).toBe(
          Number(progressAgainstTarget(actuals.signed_projects, signedTarget, AS_OF).completionPercent),
        );
        const fundsTarget = TARGETS[e.region].funds_arrived;
        const fundsCell = row.getCell(column('到位资金(万元) 完成')).value;
        if (fundsTarget === undefined) expect(fundsCell).toBeNull();
        else expect(fundsCell).toBe(Number(toWanYuan(String(actuals.funds_arrived), 6)));
      }
    }

    const future = await cityLeader().get('/api/bulletins/2999-01').expect(400);
    expect(future.body.errors[0].field).toBe('month');
    const malformed = await cityLeader().get('/api/bulletins/2024-13').expect(400);
    expect(malformed.body.errors[0].field).toBe('month');
    await cityLeader().get('/api/bulletins/2024-06?format=pdf').expect(400);
  });
});
