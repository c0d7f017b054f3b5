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
import { projectRowFromState, stableUuid, upsertProjectRow } from '@app/persistence';
import { leadRegistered } from '../../libs/domain/src/testing/fixtures';
import { ApiClient, today } from '../support/api';
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
  /** The investor's type and origin, when not the fixture's (private, no origin). */
  investor?: { type: 'private' | 'foreign' | 'central_soe' | 'hk_macao_taiwan'; origin?: string };
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

async function seed(seeds: Seed[] = SEEDS, prefix = tag): Promise<void> {
  for (const [i, s] of seeds.entries()) {
    // A UUID, as every project id is (the 督办 items a review opens on it say so).
    const projectId = stableUuid('targets-e2e', prefix, String(i));
    const state = foldEvents([
      makeEvent('LeadRegistered', '2023-10-01', {
        ...leadRegistered.data,
        projectId,
        name: `${tag} 目标测试项目 ${i}`,
        investor: { ...leadRegistered.data.investor, ...s.investor },
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

function expectedActuals(
  region: string,
  asOf: string,
  seeds: Seed[] = SEEDS,
): Record<string, number | string> {
  const mine = seeds.filter((s) => covers(region, s.region));
  const effective = (s: Seed) => parseYuan(s.contract ?? s.planned);
  const count = (pick: (s: Seed) => boolean) => mine.filter(pick).length;
  let funds = 0n;
  for (const s of mine) {
    for (const [month, amount] of Object.entries(s.funds ?? {})) {
      if (month >= `${asOf.slice(0, 4)}-01` && month <= asOf.slice(0, 7)) funds += parseYuan(amount);
    }
  }
  let signedAmount = 0n;
  let outside = 0n;
  for (const s of mine) {
    if (inYear(s.signed, asOf)) signedAmount += effective(s);
    const origin = s.investor?.origin;
    const domestic = s.investor?.type !== 'foreign' && s.investor?.type !== 'hk_macao_taiwan';
    if (!domestic || origin === undefined || origin.slice(0, 2) === s.region.slice(0, 2)) continue;
    for (const [month, amount] of Object.entries(s.funds ?? {})) {
      if (month >= `${asOf.slice(0, 4)}-01` && month <= asOf.slice(0, 7)) outside += parseYuan(amount);
    }
  }
  return {
    signed_projects: count((s) => inYear(s.signed, asOf)),
    signed_amount: formatYuan(signedAmount),
    new_signed_100m_projects: count((s) => inYear(s.signed, asOf) && effective(s) >= YI_YUAN),
    new_started_100m_projects: count((s) => inYear(s.started, asOf) && effective(s) >= YI_YUAN),
    funds_arrived: formatYuan(funds),
    funds_outside_province: formatYuan(outside),
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
    const body = { targets: { signed_projects: 3, funds_arrived: '1.5' }, reason: '试设' };
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
      .write(`/api/targets/${YEAR}/${scratch}`, { targets: {}, reason: '取消' }, { method: 'put' })
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

// ---- 签约金额, 新签约亿元以上项目数, 实际利用省外资金; the reason a change gives, and who may make it ----

// Regions of this block alone (4397xx is not a real division, and no other test uses it).
const NEW_CITY = '439700';
const NEW_COUNTY_A = '439701';
const NEW_COUNTY_B = '439702';
const newTag = `${tag}n`;

/** Projects in 439700's counties, with investors of known and unknown origin. */
const NEW_SEEDS: Seed[] = [
  // From 广东 (44): 省外. July is after asOf's month.
  {
    region: NEW_COUNTY_A,
    planned: '120000000.00',
    contract: '150000000.00',
    signed: '2024-02-01',
    investor: { type: 'private', origin: '440300' },
    funds: { '2024-03': '30000000.00', '2024-07': '5.00' },
  },
  // From this province (43): not 省外, though 亿元以上 and signed.
  {
    region: NEW_COUNTY_A,
    planned: '200000000.00',
    contract: '200000000.00',
    signed: '2024-03-01',
    investor: { type: 'private', origin: '430100' },
    funds: { '2024-04': '1000.00' },
  },
  // Foreign money is 外资, not 省外资金; 1分 short of 1亿元.
  {
    region: NEW_COUNTY_A,
    planned: '99999999.99',
    contract: '99999999.99',
    signed: '2024-04-01',
    investor: { type: 'foreign', origin: '440300' },
    funds: { '2024-05': '7000.00' },
  },
  // No origin recorded: not counted as 省外; exactly 1亿元 planned and no contract figure, signed on asOf.
  {
    region: NEW_COUNTY_A,
    planned: '100000000.00',
    contract: null,
    signed: '2024-06-30',
    funds: { '2024-06': '123.45' },
  },
  // A central SOE from 北京, signed last year: its funds this year count, its signing does not.
  {
    region: NEW_COUNTY_A,
    planned: '50000000.00',
    contract: '50000000.00',
    signed: '2023-12-31',
    investor: { type: 'central_soe', origin: '110000' },
    funds: { '2023-12': '999.00', '2024-01': '10000.01' },
  },
  // The other county: from 江苏 (32).
  {
    region: NEW_COUNTY_B,
    planned: '100000000.00',
    contract: '100000000.00',
    signed: '2024-05-05',
    investor: { type: 'private', origin: '320500' },
    funds: { '2024-06': '2500000.50' },
  },
];

const NEW_TARGETS: Record<string, Record<string, number | string>> = {
  [NEW_COUNTY_A]: {
    signed_amount: '1000000000.00',
    new_signed_100m_projects: 6,
    funds_outside_province: '60000000.00',
  },
  [NEW_COUNTY_B]: { funds_outside_province: '5000000.00', new_signed_100m_projects: 1 },
  [NEW_CITY]: { signed_amount: '1300000000.00' },
};

const newLeader = () =>
  new ApiClient(system, { role: 'leader', regions: [NEW_CITY], sub: `leader-${newTag}` });

describe('the targets the reports set on signings and on money from outside the province', () => {
  beforeAll(async () => {
    await seed(NEW_SEEDS, newTag);
    for (const region of [NEW_COUNTY_A, NEW_COUNTY_B, NEW_CITY]) {
      await newLeader()
        .write(
          `/api/targets/${YEAR}/${region}`,
          { targets: NEW_TARGETS[region], reason: '2024年目标责任书' },
          { method: 'put' },
        )
        .expect(200);
    }
  });

  it('computes 签约金额, 新签约亿元以上项目数 and 实际利用省外资金 over the portfolio, exactly', async () => {
    const res = await newLeader().get(`/api/progress?year=${YEAR}&asOf=${AS_OF}`).expect(200);
    expect(res.body.regions.map((r: { region: string }) => r.region)).toEqual([
      NEW_CITY,
      NEW_COUNTY_A,
      NEW_COUNTY_B,
    ]);
    for (const region of res.body.regions as { region: string; metrics: Record<string, unknown>[] }[]) {
      const actuals = expectedActuals(region.region, AS_OF, NEW_SEEDS);
      for (const m of region.metrics) {
        const metric = m.metric as string;
        const target = NEW_TARGETS[region.region][metric];
        const p = progressAgainstTarget(actuals[metric], target, AS_OF);
        expect(m).toMatchObject({
          actual: actuals[metric],
          target,
          completionPercent: p.completionPercent,
          aheadByPoints: p.aheadByPoints,
          assessment: sentence(p.aheadByPoints),
        });
      }
    }
    // By hand, 439701: signed 150000000.00 + 200000000.00 + 99999999.99 + 100000000.00 (the plan);
    // 亿元以上 all but the 99999999.99; 省外 the 广东 March and the 北京 January only.
    const a = res.body.regions[1].metrics;
    expect(a.map((m: Record<string, unknown>) => [m.metric, m.actual, m.completionPercent])).toEqual([
      ['signed_amount', '549999999.99', '55.00'],
      ['new_signed_100m_projects', 3, '50.00'],
      ['funds_outside_province', '30010000.01', '50.02'],
    ]);
    expect(a[0].summary).toBe(
      '签约金额完成 55000.00 万元,目标 100000.00 万元,完成率 55.00%,超时序进度 5.27 个百分点',
    );
    expect(a[2].summary).toBe(
      '实际利用省外资金完成 3001.00 万元,目标 6000.00 万元,完成率 50.02%,超时序进度 0.29 个百分点',
    );
    // The city counts both counties.
    expect(res.body.regions[0].metrics[0]).toMatchObject({ actual: '649999999.99' });
    expect(res.body.regions[2].metrics).toEqual([
      expect.objectContaining({ metric: 'new_signed_100m_projects', actual: 1 }),
      expect.objectContaining({ metric: 'funds_outside_province', actual: '2500000.50' }),
    ]);
  });

  it('ranks on the new metrics in the bulletin and its spreadsheet', async () => {
    const res = await newLeader().get(`/api/bulletins/2024-06?region=${NEW_CITY}`).expect(200);
    const scores = [NEW_CITY, NEW_COUNTY_A, NEW_COUNTY_B].map((region) => {
      const actuals = expectedActuals(region, AS_OF, NEW_SEEDS);
      const points = Object.entries(NEW_TARGETS[region]).map(([metric, target]) =>
        Math.round(Number(progressAgainstTarget(actuals[metric], target, AS_OF).aheadByPoints) * 100),
      );
      const sum = points.reduce((x, y) => x + y, 0);
      return { region, score: (Math.sign(sum) * Math.round(Math.abs(sum) / points.length)) / 100 };
    });
    scores.sort((x, y) => y.score - x.score || (x.region < y.region ? -1 : 1));
    expect(
      res.body.regions.map((r: { rank: number; region: string; scorePoints: string }) => [
        r.rank,
        r.region,
        Number(r.scorePoints),
      ]),
    ).toEqual(scores.map((e, i) => [i + 1, e.region, e.score]));

    const file = await newLeader()
      .get(`/api/bulletins/2024-06.xlsx?region=${NEW_CITY}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    const headers = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(headers.slice(2, -2)).toEqual([
      '签约金额(万元) 目标',
      '签约金额(万元) 完成',
      '签约金额(万元) 完成率(%)',
      '新签约亿元以上项目数 目标',
      '新签约亿元以上项目数 完成',
      '新签约亿元以上项目数 完成率(%)',
      '实际利用省外资金(万元) 目标',
      '实际利用省外资金(万元) 完成',
      '实际利用省外资金(万元) 完成率(%)',
    ]);
    const rowOf = (region: string) =>
      sheet.getRow(3 + res.body.regions.findIndex((r: { region: string }) => r.region === region));
    // Every 分 kept: 30010000.01 yuan is 3001.000001 万元.
    expect(rowOf(NEW_COUNTY_A).getCell(headers.indexOf('实际利用省外资金(万元) 完成') + 1).value).toBe(
      3001.000001,
    );
    expect(rowOf(NEW_COUNTY_A).getCell(headers.indexOf('签约金额(万元) 完成') + 1).value).toBe(54999.999999);
  });

  it('requires a reason for every change, 422 naming the field, and keeps who, when and why', async () => {
    const path = `/api/targets/${YEAR}/${NEW_COUNTY_B}`;
    const before = (await newLeader().get(path).expect(200)).body;
    for (const body of [
      { targets: { funds_outside_province: '1.00' } },
      { targets: { funds_outside_province: '1.00' }, reason: '   ' },
    ]) {
      const refused = await newLeader().write(path, body, { method: 'put' }).expect(422);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ code: 'TARGET_REASON_REQUIRED' });
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'reason', rule: 'required' })]);
    }
    const long = await newLeader()
      .write(path, { targets: {}, reason: '因'.repeat(501) }, { method: 'put' })
      .expect(400);
    expect(long.body.errors[0].field).toBe('reason');
    // Nothing changed.
    expect((await newLeader().get(path).expect(200)).body).toEqual(before);

    const changed = await newLeader()
      .write(
        path,
        {
          targets: { funds_outside_province: '6000000.00', new_signed_100m_projects: 1 },
          reason: '  市里追加任务 ',
        },
        { method: 'put' },
      )
      .expect(200);
    expect(changed.body.history).toHaveLength(2);
    expect(changed.body.history[0]).toMatchObject({
      changedBy: `leader-${newTag}`,
      reason: '市里追加任务',
      previous: NEW_TARGETS[NEW_COUNTY_B],
      targets: { new_signed_100m_projects: 1, funds_outside_province: '6000000.00' },
    });
    expect(Date.parse(changed.body.history[0].changedAt)).toBeGreaterThan(
      Date.parse(changed.body.history[1].changedAt) - 1,
    );
    expect(changed.body.history[1]).toMatchObject({ reason: '2024年目标责任书', previous: {} });
    // Not in the people directory: the id alone.
    expect(changed.body.history[0].changedByName).toBeNull();
    // Only the changed metric has a new setter time.
    const entry = (metric: string) =>
      changed.body.entries.find((e: { metric: string }) => e.metric === metric);
    expect(entry('funds_outside_province').updatedAt).toBe(changed.body.history[0].changedAt);
    // Put back, so the ranking above holds whichever order the tests run in.
    await newLeader()
      .write(path, { targets: NEW_TARGETS[NEW_COUNTY_B], reason: '恢复' }, { method: 'put' })
      .expect(200);
  });

  it('lets admins and the region’s leaders set targets; others get 403 problem+json', async () => {
    const path = `/api/targets/${YEAR}/${NEW_COUNTY_A}`;
    const body = { targets: { signed_amount: '1.00' }, reason: '越权' };
    for (const [caller, code] of [
      [{ role: 'officer', regions: [NEW_COUNTY_A] }, 'ROLE_NOT_ALLOWED'],
      [{ role: 'chief_officer', regions: [NEW_COUNTY_A] }, 'ROLE_NOT_ALLOWED'],
      [{ role: 'auditor', regions: [] }, 'ROLE_NOT_ALLOWED'],
      [{ role: 'leader', regions: [NEW_COUNTY_B] }, 'REGION_NOT_IN_SCOPE'],
      [{ role: 'leader', regions: [COUNTY_A] }, 'REGION_NOT_IN_SCOPE'],
    ] as const) {
      const client = new ApiClient(system, { ...caller, regions: [...caller.regions], sub: `x-${newTag}` });
      const refused = await client.write(path, body, { method: 'put' }).expect(403);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.code).toBe(code);
    }
    // Refused before the reason is looked at: a missing reason from an outsider is still a 403.
    const officer = new ApiClient(system, { role: 'officer', regions: [NEW_COUNTY_A], sub: `o-${newTag}` });
    await officer.write(path, { targets: {} }, { method: 'put' }).expect(403);
    // The region's officers read them.
    await officer.get(path).expect(200);
    expect((await newLeader().get(path).expect(200)).body.targets).toEqual(NEW_TARGETS[NEW_COUNTY_A]);
  });

  it('counts the funds of a project registered through the API with an investor from another province', async () => {
    // Through the workflow and its projection, as officers record it: today's year and month.
    const county = '439703';
    const officer = new ApiClient(system, { role: 'officer', regions: [county], sub: `o-${newTag}` });
    const month = today().slice(0, 7);
    const year = Number(month.slice(0, 4));
    const path = `/api/targets/${year}/${county}`;
    await newLeader()
      .write(
        path,
        {
          targets: { funds_outside_province: '100000000.00', signed_amount: '300000000.00' },
          reason: '测试',
        },
        { method: 'put' },
      )
      .expect(200);
    // What this run adds: the region is this file's, but an earlier run against the same database
    // may have registered its projects there too.
    const actuals = async (): Promise<bigint[]> => {
      const res = await newLeader()
        .get(`/api/progress?year=${year}&asOf=${today()}&region=${county}`)
        .expect(200);
      const metrics = res.body.regions[0].metrics as { metric: string; actual: string }[];
      expect(metrics.map((m) => m.metric)).toEqual(['signed_amount', 'funds_outside_province']);
      return metrics.map((m) => parseYuan(m.actual));
    };
    const before = await actuals();
    const outside = await officer.projectAt('signed', {
      region: county,
      investor: { name: `广东某某公司${newTag}`, type: 'private', flags: [], origin: '440000' },
    });
    await officer.command(outside, '/funds', { month, amount: '12345678.91' });
    const local = await officer.projectAt('signed', {
      region: county,
      investor: { name: `湖南某某公司${newTag}`, type: 'private', flags: [], origin: '430100' },
    });
    await officer.command(local, '/funds', { month, amount: '1000.00' });
    const after = await actuals();
    // Both signed today for 150000000.00 each (the evidence's contract); 省外 only the 广东 investor's funds.
    expect(after.map((a, i) => formatYuan(a - before[i]))).toEqual(['300000000.00', '12345678.91']);
  }, 120_000);

  it('takes an investor’s origin as a division code, naming the field when it is not one', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [NEW_COUNTY_A], sub: `o-${newTag}` });
    const res = await officer
      .write('/api/projects', {
        name: '省外资金测试项目',
        investor: { name: `某某公司${newTag}`, type: 'private', flags: [], origin: '44' },
        industryChain: '新材料',
        region: NEW_COUNTY_A,
        industrial: true,
        plannedInvestment: '150000000.00',
        source: '以商招商',
        leadDate: AS_OF,
      })
      .expect(400);
    expect(res.body.errors[0].field).toBe('investor.origin');
  });
});
