import { foldEvents } from '../../libs/domain/src';
import {
  fundsArrivalRate,
  groupSnapshots,
  industrialShare,
  landingRate,
  performanceRate,
  privateShare,
  redFlags,
  startRate,
  startRatesByCohort,
  startRatesByYear,
  statisticsRate,
  targetActuals,
  toSnapshot,
  type ProjectSnapshot,
} from '../support/metrics-oracle';
import { historyTo } from '../../libs/domain/src/testing/fixtures';

const snap = (id: string, s: Partial<ProjectSnapshot>): ProjectSnapshot => ({
  projectId: id,
  name: id,
  region: '420506',
  park: null,
  industryChain: '生物医药',
  industrial: true,
  investorType: 'private',
  investorFlags: [],
  investorOrigin: null,
  stage: 'signed',
  plannedInvestment: '100000000.00',
  contractInvestment: '100000000.00',
  fundsArrivedTotal: '0.00',
  fundsByMonth: [],
  leadDate: '2024-01-01',
  signedDate: null,
  landedDate: null,
  startedDate: null,
  inStatsDate: null,
  productionDate: null,
  productionScope: null,
  droppedDate: null,
  ...s,
});

const ASOF = '2025-06-30';
const A = snap('A', {
  investorOrigin: '440300', // 广东: its funds are 省外 to 湖北's 420506
  signedDate: '2024-03-01',
  landedDate: '2024-05-01',
  startedDate: '2024-08-01',
  fundsByMonth: [
    { month: '2024-09', amount: '30000000.00' },
    { month: '2025-05', amount: '10000000.00' },
  ],
});
const B = snap('B', { signedDate: '2024-06-15', investorType: 'local_soe' });
const C = snap('C', {
  industrial: false,
  signedDate: '2024-11-20',
  landedDate: '2024-12-20',
  startedDate: '2025-02-10',
  plannedInvestment: '4000000.00',
  contractInvestment: '4000000.00',
  fundsByMonth: [{ month: '2025-03', amount: '1000000.00' }],
});
const D = snap('D', {
  signedDate: '2025-01-15',
  landedDate: '2025-02-01',
  startedDate: '2025-04-01',
  inStatsDate: '2025-05-10',
  plannedInvestment: '200000000.00',
  contractInvestment: '200000000.00',
  fundsByMonth: [
    { month: '2025-04', amount: '20000000.00' },
    { month: '2025-06', amount: '10000000.00' },
    { month: '2025-07', amount: '99000000.00' }, // after asOf: not counted
  ],
});
const E = snap('E', { industrial: false, investorType: 'foreign', signedDate: '2025-03-01' });
const F = snap('F', { signedDate: '2025-07-05' }); // signed after asOf
const G = snap('G', {
  signedDate: '2025-02-01',
  landedDate: '2025-03-01',
  startedDate: '2025-06-01',
  productionDate: '2025-06-20',
  plannedInvestment: '50000000.00',
  contractInvestment: '50000000.00',
});
const H = snap('H', { stage: 'dropped', signedDate: '2025-02-20', droppedDate: '2025-05-01' });
const ALL = [A, B, C, D, E, F, G, H];

describe('the metrics oracle, worked by hand', () => {
  it('开工率 by signing-year cohort, industrial too', () => {
    // 2024 cohort: A, B, C; started by 30 Jun 2025: A, C → 2/3. Industrial: A, B → 1/2.
    // 2025 cohort signed by 30 Jun: D, E, G, H; started: D, G → 2/4. Industrial: D, G, H → 2/3.
    expect(startRatesByCohort(ALL, ASOF)).toEqual({
      previousYear: {
        all: { numerator: 2, denominator: 3, percent: '66.67' },
        industrial: { numerator: 1, denominator: 2, percent: '50.00' },
      },
      currentYear: {
        all: { numerator: 2, denominator: 4, percent: '50.00' },
        industrial: { numerator: 2, denominator: 3, percent: '66.67' },
      },
    });
    // Leaving out H, dropped on 1 May: D, E, G → 2/3.
    expect(startRate(ALL, 2025, ASOF, { excludeDropped: true })).toEqual({
      numerator: 2,
      denominator: 3,
      percent: '66.67',
    });
    // As of the end of 2024, C had not started: A only, of A, B, C.
    expect(startRate(ALL, 2024, '2024-12-31')).toEqual({ numerator: 1, denominator: 3, percent: '33.33' });
    expect(startRatesByYear(ALL, 2023, ASOF).map((r) => [r.signingYear, r.rate.percent])).toEqual([
      [2023, null],
      [2024, '66.67'],
      [2025, '50.00'],
    ]);
  });

  it('新开工项目到资率', () => {
    // Started in 2025 by 30 Jun: C, D, G. Funds to June: 1,000,000 + 30,000,000 + 0 = 31,000,000.
    // Contract: 4,000,000 + 200,000,000 + 50,000,000 = 254,000,000. 31/254 = 12.2047…%.
    expect(fundsArrivalRate(ALL, ASOF)).toEqual({
      numerator: '31000000.00',
      denominator: '254000000.00',
      percent: '12.20',
    });
  });

  it('新开工项目入统率, of the projects that qualify', () => {
    // Started in 2025: C (400万, does not qualify), D, G. In statistics: D → 1/2.
    expect(statisticsRate(ALL, ASOF)).toEqual({ numerator: 1, denominator: 2, percent: '50.00' });
  });

  it('落地率 and 履约率', () => {
    // 2025 cohort D, E, G, H: landed D, G → 2/4.
    expect(landingRate(ALL, 2025, ASOF)).toEqual({ numerator: 2, denominator: 4, percent: '50.00' });
    // 2024 cohort, start due 6 months after signing: A by 1 Sep 2024 (started 1 Aug ✓), B by 15 Dec 2024 (✗),
    // C by 20 May 2025 (started 10 Feb ✓) → 2/3.
    expect(performanceRate(ALL, 2024, ASOF)).toEqual({ numerator: 2, denominator: 3, percent: '66.67' });
    // 2025 cohort: the earliest, D signed 15 Jan, is due 15 Jul — none is due by 30 Jun.
    expect(performanceRate(ALL, 2025, ASOF)).toEqual({ numerator: 0, denominator: 0, percent: null });
  });

  it('工业项目占比 and 民营投资项目占比', () => {
    // Signed in 2025 by 30 Jun: D, E, G, H. Industrial: D, G, H → 3/4. Private: D, G, H → 3/4.
    expect(industrialShare(ALL, ASOF)).toEqual({ numerator: 3, denominator: 4, percent: '75.00' });
    expect(privateShare(ALL, ASOF)).toEqual({ numerator: 3, denominator: 4, percent: '75.00' });
  });

  it('渭南’s four red flags', () => {
    expect(redFlags(B, ASOF)).toEqual(['signed_over_a_year_not_started']); // signed 15 Jun 2024
    expect(redFlags(A, ASOF)).toEqual([]); // funds in May; 40% of the contract
    expect(redFlags(C, ASOF)).toEqual(['no_funds_three_months_running']); // nothing in Apr, May, Jun
    expect(redFlags(D, ASOF)).toEqual([]); // started in April: not three full months yet
    expect(redFlags(G, ASOF)).toEqual(['producing_not_in_statistics']);
    expect(redFlags(H, ASOF)).toEqual([]);
    // Started over six months ago with 10% of the contract arrived.
    const thin = snap('T', {
      signedDate: '2024-01-10',
      startedDate: '2024-06-01',
      fundsByMonth: [{ month: '2025-06', amount: '10000000.00' }],
    });
    expect(redFlags(thin, ASOF)).toEqual(['funds_below_15_percent_after_six_months']);
  });

  it('the targets’ actuals of a region, from 1 January to asOf', () => {
    const X = snap('X', { region: '420100', signedDate: '2025-03-01' });
    // Started this year: C (4百万), D (2亿), G (5千万); signed this year: D, E, G, H (dropped, still counted).
    expect(targetActuals([...ALL, X], '420506', ASOF)).toEqual({
      signed_projects: 4,
      // D 2亿, E and H 1亿 (the default contract), G 5千万.
      signed_amount: '450000000.00',
      new_signed_100m_projects: 3,
      new_started_100m_projects: 1,
      funds_arrived: '41000000.00', // A's May, C's March, D's April and June; not A's 2024 nor D's July
      landed_projects: 2,
      started_projects: 3,
      in_stats_projects: 1,
      // A's May only: its investor is based in 广东; A's 2024 funds are last year's.
      funds_outside_province: '10000000.00',
    });
    expect(targetActuals([...ALL, X], '420500', ASOF).signed_projects).toBe(4);
    expect(targetActuals([...ALL, X], '420000', ASOF).signed_projects).toBe(5);
    expect(targetActuals([...ALL, X], '420502', ASOF).funds_arrived).toBe('0.00');
  });

  it('groups by region or industry chain', () => {
    const groups = groupSnapshots([A, snap('X', { region: '420100' }), B], 'region');
    expect(groups.map((g) => [g.key, g.snapshots.map((s) => s.projectId)])).toEqual([
      ['420100', ['X']],
      ['420506', ['A', 'B']],
    ]);
  });

  it('takes snapshots from states', () => {
    expect(toSnapshot(foldEvents([]))).toBeNull();
    expect(toSnapshot(foldEvents(historyTo('in_stats')))).toMatchObject({
      projectId: 'P-2025-001',
      stage: 'in_stats',
      investorType: 'private',
      signedDate: '2025-02-10',
      startedDate: '2025-03-01',
      inStatsDate: '2025-03-05',
      fundsByMonth: [],
    });
  });
});
