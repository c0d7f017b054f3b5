import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import {
  addDays,
  addMonthsToMonth,
  formatYuan,
  isoWeekOf,
  lastDayOfMonth,
  minDate,
  monthOf,
  parseReportPeriod,
  parseYuan,
  toWanYuan,
  weekday,
} from '@app/domain';
import { ApiClient, CREDIT_CODE, evidence, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

// Codes no other test uses (4395xx and 4396xx are not real divisions), so that rows other files
// write into the shared database never fall inside these regions.
const CITY = '439500';
const COUNTY_A = '439501';
const COUNTY_B = '439502';
const OTHER_COUNTY = '439601';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

/** A project as seeded: the business date of each step it took, and the funds it recorded by month. */
interface Seed {
  key: string;
  region: string;
  leadDate: string;
  signed?: string;
  landed?: string;
  started?: string;
  inStats?: string;
  producing?: string;
  contract?: string;
  /** Each entry's month and amount, and the month a correction then moves it to. */
  funds?: [month: string, amount: string, correctedTo?: string][];
}

interface Entry {
  projectId: string;
  name: string;
  region: string;
  date?: string;
  amount: string;
  serviceOfficerName: string | null;
}

const t = today();
/** Monday of the current ISO week. */
const monday = addDays(t, -((weekday(t) + 6) % 7));
const thisMonth = monthOf(t);
const lastMonth = addMonthsToMonth(thisMonth, -1);
const tag = randomUUID().slice(0, 6);

/**
 * Every project the forms below are read over; what each form should hold is derived from this list
 * alone. Steps are dated this week (today and its Monday), just before it, and long ago; funds are
 * recorded today, so this month's count today and last month's on last month's last day.
 */
const SEEDS: Seed[] = [
  {
    key: 'all-today',
    region: COUNTY_A,
    leadDate: t,
    signed: t,
    landed: t,
    started: t,
    inStats: t,
    producing: t,
    contract: '150000000.00',
    funds: [
      [thisMonth, '12345678.91'],
      [thisMonth, '-345678.91'],
    ],
  },
  { key: 'signed-monday', region: COUNTY_B, leadDate: monday, signed: monday, contract: '80000000.00' },
  {
    key: 'signed-sunday-before',
    region: COUNTY_A,
    leadDate: addDays(monday, -1),
    signed: addDays(monday, -1),
    contract: '60000000.00',
  },
  {
    key: 'funds-two-months',
    region: COUNTY_B,
    leadDate: addDays(t, -41),
    signed: addDays(t, -40),
    contract: '300000000.00',
    funds: [
      [lastMonth, '1000000.00'],
      [thisMonth, '500000.00'],
    ],
  },
  // Signed long ago and never landed: its 落地 and 开工 deadlines are long missed, so it is red.
  {
    key: 'red',
    region: COUNTY_A,
    leadDate: addDays(t, -400),
    signed: addDays(t, -300),
    contract: '200000000.00',
  },
  // Last month's funds, corrected to this month: they count in this month's form, not last month's.
  {
    key: 'funds-moved',
    region: COUNTY_B,
    leadDate: addDays(t, -41),
    signed: addDays(t, -40),
    contract: '250000000.00',
    funds: [[lastMonth, '700000.00', thisMonth]],
  },
  // A lead nobody has touched for 45 days.
  { key: 'stale-lead', region: COUNTY_B, leadDate: addDays(t, -45) },
  // Elsewhere: in no form of the city's.
  { key: 'elsewhere', region: OTHER_COUNTY, leadDate: t, signed: t, contract: '90000000.00' },
];

const names = new Map(
  SEEDS.map((s, i) => [s.key, `${tag}号${['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛'][i]}项目`]),
);
const ids = new Map<string, string>();
const OFFICER_NAME = '周报专员';

let officer: ApiClient;
let admin: ApiClient;
let stranger: ApiClient;

async function seed(client: ApiClient, s: Seed, i: number): Promise<void> {
  const { id } = await client.register({
    name: names.get(s.key),
    investor: { name: `${tag}第${i}投资有限公司`, type: 'private', flags: [] },
    region: s.region,
    leadDate: s.leadDate,
    plannedInvestment: s.contract ?? '50000000.00',
  });
  ids.set(s.key, id);
  const steps: [keyof Seed, Record<string, unknown>][] = [
    ['signed', { contractInvestment: s.contract, contractNumber: `HT-${tag}-${i}`, contractDate: s.signed }],
    ['landed', { landedDate: s.landed, creditCode: CREDIT_CODE }],
    ['started', { startDate: s.started }],
    ['inStats', { inStatsDate: s.inStats, statisticsCode: `TJ-${tag}-${i}` }],
    ['producing', { productionDate: s.producing }],
  ];
  const to = {
    signed: 'signed',
    landed: 'landed',
    started: 'started',
    inStats: 'in_stats',
    producing: 'producing',
  };
  for (const [step, body] of steps) {
    if (!s[step]) break;
    await client.command(id, '/transitions', { ...evidence(to[step as keyof typeof to]), ...body });
  }
  for (const [month, amount, correctedTo] of s.funds ?? []) {
    await client.command(id, '/funds', { month, amount });
    if (!correctedTo) continue;
    const history = (await admin.get(`/api/projects/${id}/history`).expect(200)).body as {
      version: number;
      type: string;
    }[];
    const recorded = history.filter((e) => e.type === 'FundsArrivedRecorded').pop()!;
    await client.command(id, '/corrections', {
      correctsVersion: recorded.version,
      reason: '到位资金月份填错',
      changes: { eventType: 'FundsArrivedRecorded', month: correctedTo },
    });
  }
}

beforeAll(async () => {
  admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-${tag}` });
  const officerId = `officer-forms-${tag}`;
  await admin
    .write('/api/people', { personId: officerId, name: OFFICER_NAME, role: 'officer', regions: [CITY] })
    .expect(201);
  officer = new ApiClient(system, { role: 'officer', regions: [CITY], sub: officerId });
  stranger = new ApiClient(system, { role: 'officer', regions: [OTHER_COUNTY], sub: `officer-else-${tag}` });
  await Promise.all(SEEDS.map((s, i) => seed(s.region === OTHER_COUNTY ? stranger : officer, s, i)));
  // The red project's alerts come from its workflow's timers: wait until the read model has them.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await system.dataSource.query<{ light: string }[]>(
      'SELECT light FROM projects WHERE project_id = $1',
      [ids.get('red')],
    );
    if (row?.light === 'red') break;
    if (Date.now() > deadline) throw new Error(`the red project is ${row?.light}, not red`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 180_000);

const STEP_OF = {
  signed: 'signed',
  landed: 'landed',
  started: 'started',
  inStats: 'inStats',
  producing: 'producing',
} as const;

/** What a form for these days should list among the city's seeds: each step dated in them. */
function expectedProgress(firstDay: string, lastDay: string, step: keyof typeof STEP_OF): string[] {
  return SEEDS.filter((s) => s.region !== OTHER_COUNTY)
    .filter((s) => s[step] !== undefined && s[step] >= firstDay && s[step] <= lastDay)
    .map((s) => names.get(s.key)!)
    .sort();
}

/**
 * The funds a form for these days should hold, per project name, in yuan: the domain dates an entry
 * on its month's last day, or on the day it was recorded (today) within that month.
 */
function expectedFunds(firstDay: string, lastDay: string): [string, string][] {
  const byName = new Map<string, bigint>();
  for (const s of SEEDS.filter((x) => x.region !== OTHER_COUNTY)) {
    for (const [month, amount, correctedTo] of s.funds ?? []) {
      // A correction moving the month dates the entry on its new month's last day.
      const dated = correctedTo ? lastDayOfMonth(correctedTo) : minDate(lastDayOfMonth(month), t)!;
      if (dated < firstDay || dated > lastDay) continue;
      const name = names.get(s.key)!;
      byName.set(name, (byName.get(name) ?? 0n) + parseYuan(amount));
    }
  }
  return [...byName].map(([name, fen]): [string, string] => [name, formatYuan(fen)]).sort();
}

const totalOf = (funds: [string, string][]) => formatYuan(funds.reduce((a, [, y]) => a + parseYuan(y), 0n));

const namesOf = (items: Entry[]) => items.map((i) => i.name).sort();

describe('the weekly and monthly forms (周报, 月报)', () => {
  it('lists this week’s steps with their dates and amounts, and the funds recorded in it', async () => {
    const week = isoWeekOf(t);
    const res = await officer.get(`/api/reports/periodic?kind=weekly&period=${week}`).expect(200);
    const { firstDay, lastDay } = parseReportPeriod('weekly', week);
    expect(res.body).toMatchObject({
      kind: 'weekly',
      period: week,
      firstDay,
      lastDay,
      region: null,
      asOf: t,
    });
    expect(firstDay).toBe(monday);
    for (const step of Object.keys(STEP_OF) as (keyof typeof STEP_OF)[]) {
      expect(namesOf(res.body.progress[step].items)).toEqual(expectedProgress(firstDay, lastDay, step));
      expect(res.body.progress[step].count).toBe(expectedProgress(firstDay, lastDay, step).length);
    }
    const signed: Entry[] = res.body.progress.signed.items;
    expect(signed.find((i) => i.name === names.get('all-today'))).toMatchObject({
      projectId: ids.get('all-today'),
      region: COUNTY_A,
      date: t,
      amount: '150000000.00',
      serviceOfficerName: OFFICER_NAME,
    });
    expect(signed.find((i) => i.name === names.get('signed-monday'))).toMatchObject({
      date: monday,
      amount: '80000000.00',
    });
    // This week's two signings, whichever day of it today is; the Sunday before is last week's.
    expect(res.body.progress.signed.amount).toBe('230000000.00');
    // This month's funds were recorded today, in this week; last month's count on its last day,
    // which may be in this week too.
    const funds = expectedFunds(firstDay, lastDay);
    expect(funds).toContainEqual([names.get('all-today'), '12000000.00']);
    expect(res.body.funds.items.map((i: Entry) => [i.name, i.amount]).sort()).toEqual(funds);
    expect(res.body.funds.total).toBe(totalOf(funds));
  });

  it('lists this month’s steps, and only this month’s funds; last month’s form has last month’s', async () => {
    const res = await officer.get(`/api/reports/periodic?kind=monthly&period=${thisMonth}`).expect(200);
    expect(res.body).toMatchObject({
      kind: 'monthly',
      period: thisMonth,
      firstDay: `${thisMonth}-01`,
      lastDay: lastDayOfMonth(thisMonth),
    });
    for (const step of Object.keys(STEP_OF) as (keyof typeof STEP_OF)[]) {
      expect(namesOf(res.body.progress[step].items)).toEqual(
        expectedProgress(`${thisMonth}-01`, lastDayOfMonth(thisMonth), step),
      );
    }
    expect(res.body.funds.items.map((i: Entry) => [i.name, i.amount]).sort()).toEqual(
      [
        [names.get('all-today'), '12000000.00'],
        [names.get('funds-two-months'), '500000.00'],
        [names.get('funds-moved'), '700000.00'],
      ].sort(),
    );
    expect(res.body.funds.total).toBe('13200000.00');

    const before = await officer.get(`/api/reports/periodic?kind=monthly&period=${lastMonth}`).expect(200);
    expect(before.body.funds.items).toEqual([
      expect.objectContaining({ name: names.get('funds-two-months'), amount: '1000000.00' }),
    ]);
    expect(before.body.funds.total).toBe('1000000.00');
    for (const step of Object.keys(STEP_OF) as (keyof typeof STEP_OF)[]) {
      expect(namesOf(before.body.progress[step].items)).toEqual(
        expectedProgress(`${lastMonth}-01`, lastDayOfMonth(lastMonth), step),
      );
    }
  });

  it('lists the red-light projects with each open deadline’s rule, due date, rung and officer', async () => {
    const res = await officer.get(`/api/reports/periodic?kind=weekly&period=${isoWeekOf(t)}`).expect(200);
    const listed = await officer.get(`/api/projects?light=red&region=${CITY}&limit=200`).expect(200);
    // The form's red list is the ledger's red projects.
    expect(res.body.redLights.map((r: Entry) => r.projectId).sort()).toEqual(
      listed.body.items.map((p: { projectId: string }) => p.projectId).sort(),
    );
    const red = res.body.redLights.find((r: Entry) => r.projectId === ids.get('red'));
    expect(red).toMatchObject({ name: names.get('red'), serviceOfficerName: OFFICER_NAME, stage: 'signed' });
    const rules = red.reasons.map((r: { ruleLabel: string }) => r.ruleLabel);
    expect(rules).toEqual(expect.arrayContaining(['签约后3个月内落地', '签约后6个月内开工']));
    const landing = red.reasons.find((r: { ruleLabel: string }) => r.ruleLabel === '签约后3个月内落地');
    expect(landing.dueDate < t).toBe(true);
    expect(landing).toMatchObject({ light: 'red', rung: expect.any(Number) });
    expect(landing.rung).toBeGreaterThanOrEqual(1);
    expect(res.body.redLights.some((r: Entry) => r.projectId === ids.get('all-today'))).toBe(false);
  });

  it('lists the open projects with no update in 30 days, with their officer', async () => {
    const res = await officer.get(`/api/reports/periodic?kind=monthly&period=${thisMonth}`).expect(200);
    expect(res.body.staleAfterDays).toBe(30);
    const stale = res.body.stale as (Entry & { lastActivityDate: string; daysWithoutUpdate: number })[];
    expect(stale.map((s) => s.name).sort()).toEqual([names.get('red'), names.get('stale-lead')].sort());
    expect(stale.find((s) => s.name === names.get('stale-lead'))).toMatchObject({
      lastActivityDate: addDays(t, -45),
      daysWithoutUpdate: 45,
      serviceOfficerName: OFFICER_NAME,
    });
  });

  it('keeps to a region: the county asked for, and nothing of another county for its officer', async () => {
    const week = isoWeekOf(t);
    const a = await officer
      .get(`/api/reports/periodic?kind=weekly&period=${week}&region=${COUNTY_A}`)
      .expect(200);
    expect(a.body.region).toBe(COUNTY_A);
    expect(a.body.progress.signed.items.map((i: Entry) => i.region)).not.toContain(COUNTY_B);
    expect(namesOf(a.body.progress.signed.items)).toContain(names.get('all-today'));
    expect(a.body.funds.items.map((i: Entry) => i.name)).toEqual([names.get('all-today')]);

    const other = await stranger.get(`/api/reports/periodic?kind=weekly&period=${week}`).expect(200);
    const seen = [
      ...Object.values(other.body.progress as Record<string, { items: Entry[] }>).flatMap((g) => g.items),
      ...other.body.funds.items,
      ...other.body.redLights,
      ...other.body.stale,
    ].map((i: Entry) => i.region);
    expect(seen.every((r) => r === OTHER_COUNTY)).toBe(true);
    expect(namesOf(other.body.progress.signed.items)).toEqual([names.get('elsewhere')]);

    const refused = await stranger.get(`/api/reports/periodic?kind=weekly&period=${week}&region=${CITY}`);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ field: 'region', rule: 'inScope' }));
  });

  it('gives the form as a workbook: 本期进展 in 万元, 红灯项目, 30日未更新, under a Chinese file name', async () => {
    const week = isoWeekOf(t);
    const res = await request(system.app.getHttpServer())
      .get(`/api/reports/periodic.xlsx?kind=weekly&period=${week}&region=${CITY}`)
      .set('Authorization', `Bearer ${officer.token}`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="weekly-report-${week}-${CITY}.xlsx"; filename*=UTF-8''${encodeURIComponent(`招商引资项目周报-${week}-${CITY}.xlsx`)}`,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['本期进展', '红灯项目', '30日未更新']);

    const rows = (name: string) => {
      const out: unknown[][] = [];
      book.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    const progress = rows('本期进展');
    expect(progress[1]).toEqual([
      '类别',
      '项目名称',
      '地区',
      '投资方',
      '当前阶段',
      '服务专员',
      '日期',
      '金额(万元)',
    ]);
    expect(progress).toContainEqual([
      '新签约',
      names.get('all-today'),
      COUNTY_A,
      `${tag}第0投资有限公司`,
      '投产',
      OFFICER_NAME,
      t,
      Number(toWanYuan('150000000.00', 6)),
    ]);
    expect(progress).toContainEqual([
      '新签约小计',
      '2 个',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      23000,
    ]);
    const funds = expectedFunds(
      parseReportPeriod('weekly', week).firstDay,
      parseReportPeriod('weekly', week).lastDay,
    );
    expect(progress).toContainEqual([
      '到位资金小计',
      `${funds.length} 个`,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      Number(toWanYuan(totalOf(funds), 6)),
    ]);
    expect(progress).toContainEqual([
      '到位资金',
      names.get('all-today'),
      COUNTY_A,
      `${tag}第0投资有限公司`,
      '投产',
      OFFICER_NAME,
      undefined,
      1200,
    ]);

    const red = rows('红灯项目');
    expect(
      red.some((r) => r[0] === names.get('red') && r[5] === '签约后3个月内落地' && r[9] === '红灯'),
    ).toBe(true);
    const stale = rows('30日未更新');
    expect(stale).toContainEqual([
      names.get('stale-lead'),
      COUNTY_B,
      `${tag}第6投资有限公司`,
      '线索',
      OFFICER_NAME,
      addDays(t, -45),
      45,
    ]);
  });

  it('answers a bad kind, period or region with 400 naming the field', async () => {
    const cases: [string, string, string][] = [
      ['kind=daily&period=2026-11', 'kind', 'isIn'],
      ['period=2026-11', 'kind', 'isIn'],
      ['kind=weekly', 'period', 'isReportPeriod'],
      ['kind=weekly&period=2026-11', 'period', 'isReportPeriod'],
      ['kind=monthly&period=2026-W48', 'period', 'isReportPeriod'],
      ['kind=monthly&period=2026-13', 'period', 'isReportPeriod'],
      ['kind=weekly&period=2025-W53', 'period', 'isReportPeriod'],
      ['kind=weekly&period=1999-W10', 'period', 'isReportPeriod'],
      [`kind=monthly&period=${addMonthsToMonth(thisMonth, 1)}`, 'period', 'isReportPeriod'],
      [`kind=monthly&period=${thisMonth}&region=4395`, 'region', 'matches'],
      [`kind=monthly&period=${thisMonth}&region=%E5%AE%9C%E6%98%8C`, 'region', 'matches'],
    ];
    for (const [query, field, rule] of cases) {
      for (const path of ['/api/reports/periodic', '/api/reports/periodic.xlsx']) {
        const res = await officer.get(`${path}?${query}`);
        expect([query, res.status]).toEqual([query, 400]);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.errors).toContainEqual(expect.objectContaining({ field, rule }));
      }
    }
  });
});
