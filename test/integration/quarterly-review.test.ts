import type { DataSource } from 'typeorm';
import { addDays, DEFAULT_VERSIONED_POLICY, shanghaiStartOfDay } from '../../libs/domain/src';
import { groupSnapshots, redFlags, toSnapshot, reviewRatesOf } from '../support/metrics-oracle';
import { runQuarterlyReview } from '../../libs/quarterly-review/src';
import {
  dropDatabase,
  freshDatabase,
  generatePortfolio,
  storePortfolio,
  type GeneratedProject,
} from '../support/portfolio';

const AS_OF = '2025-09-30';
let db: DataSource;
let portfolio: GeneratedProject[];

beforeAll(async () => {
  db = await freshDatabase();
  portfolio = generatePortfolio(400, 20250930, AS_OF);
  await storePortfolio(db, portfolio);
}, 120_000);
afterAll(() => (db ? dropDatabase(db) : undefined));

/** Open deadlines at the end of asOf, from the generated alert histories. */
function expectedDeadlines(asOf: string): string[] {
  const cutoff = shanghaiStartOfDay(addDays(asOf, 1));
  return portfolio.flatMap(({ state, alerts }) => {
    if (state.stage === 'dropped' && state.droppedDate! <= asOf) return [];
    const latest = new Map<string, string>();
    for (const a of alerts) if (shanghaiStartOfDay(a.at) < cutoff) latest.set(a.deadlineId, a.type);
    return [...latest.entries()]
      .filter(([, type]) => type !== 'AlertResolved')
      .map(([id]) => `${state.projectId}|${id}`);
  });
}

describe('the quarterly 回头看 over a generated portfolio', () => {
  it('computes every rate overall, per region and per chain as the domain defines it', async () => {
    const { report } = await runQuarterlyReview(db, {
      quarter: '2025Q3',
      policy: DEFAULT_VERSIONED_POLICY,
      actorId: 'system',
    });
    // Projects registered after the quarter had not begun; the portfolio adds some.
    const snapshots = portfolio.filter((p) => p.state.leadDate! <= AS_OF).map((p) => toSnapshot(p.state)!);
    expect(snapshots.length).toBeLessThan(portfolio.length);
    expect(report.asOf).toBe(AS_OF);
    expect(report.rates.overall).toEqual(reviewRatesOf(snapshots, AS_OF));
    expect(report.rates.byRegion).toEqual(
      groupSnapshots(snapshots, 'region').map((g) => ({
        region: g.key,
        rates: reviewRatesOf(g.snapshots, AS_OF),
      })),
    );
    expect(report.rates.byIndustryChain).toEqual(
      groupSnapshots(snapshots, 'industryChain').map((g) => ({
        industryChain: g.key,
        rates: reviewRatesOf(g.snapshots, AS_OF),
      })),
    );
    // The portfolio exercises every rate: none is empty.
    expect(report.rates.overall.startRate.previousYear.all.denominator).toBeGreaterThan(10);
    expect(report.rates.overall.fundsArrivalRate.percent).not.toBeNull();
    expect(report.rates.overall.performanceRate.currentYear.denominator).toBeGreaterThan(0);
  });

  it('lists every stalled project with each rule it broke: missed deadlines and the four red flags', async () => {
    const { report } = await runQuarterlyReview(db, {
      quarter: '2025Q3',
      policy: DEFAULT_VERSIONED_POLICY,
      actorId: 'system',
    });
    const flags = portfolio.flatMap(({ state }) =>
      redFlags(toSnapshot(state)!, AS_OF).map((flag) => `${state.projectId}|${flag}`),
    );
    const found = report.stalled.map((s) => `${s.projectId}|${s.rule}`);
    expect([...found].sort()).toEqual([...flags, ...expectedDeadlines(AS_OF)].sort());
    // Each of the four red flags occurs in this portfolio.
    for (const flag of [
      'signed_over_a_year_not_started',
      'no_funds_three_months_running',
      'funds_below_15_percent_after_six_months',
      'producing_not_in_statistics',
    ]) {
      expect(report.stalled.some((s) => s.rule === flag)).toBe(true);
    }
    expect(report.stalled.find((s) => s.rule === 'land_after_signing')?.ruleLabel).toBe('签约后3个月内落地');
  });

  it('gives the same report for the same quarter reviewed twice, stored once', async () => {
    const first = await runQuarterlyReview(db, {
      quarter: '2025Q3',
      policy: DEFAULT_VERSIONED_POLICY,
      actorId: 'system',
    });
    const second = await runQuarterlyReview(db, {
      quarter: '2025Q3',
      policy: DEFAULT_VERSIONED_POLICY,
      actorId: 'system',
    });
    expect(second.report).toEqual(first.report);
    expect(second.reportHash).toBe(first.reportHash);
    expect(second.stored).toBe(false);
    const revisions = await db.query(`SELECT revision FROM review_reports WHERE quarter = '2025Q3'`);
    expect(revisions).toEqual([{ revision: 1 }]);
    // Stored reports cannot be changed, even by the table's owner through SQL.
    await expect(db.query(`UPDATE review_reports SET report = '{}'::jsonb`)).rejects.toThrow(/immutable/);
    await expect(db.query(`DELETE FROM review_reports`)).rejects.toThrow(/immutable/);
  });

  it('opens one 督办 item per stalled project and rule, and settles them at the next quarter', async () => {
    const q3 = await runQuarterlyReview(db, {
      quarter: '2025Q3',
      policy: DEFAULT_VERSIONED_POLICY,
      actorId: 'system',
    });
    const items = await db.query<{ project_id: string; rule: string }[]>(
      `SELECT project_id, rule FROM supervision_items WHERE opened_in = '2025Q3'`,
    );
    expect(items.map((i) => `${i.project_id}|${i.rule}`).sort()).toEqual(
      q3.report.stalled.map((s) => `${s.projectId}|${s.rule}`).sort(),
    );
    expect(q3.report.supervision.opened).toHaveLength(items.length);

    // Before Q4 ends, fix one red-flag project: it starts construction and gets funds.
    const fixed = q3.report.stalled.find((s) => s.rule === 'signed_over_a_year_not_started')!;
    await db.query(`UPDATE projects SET started_date = '2025-10-15' WHERE project_id = $1`, [
      fixed.projectId,
    ]);
    const q4 = await runQuarterlyReview(db, {
      quarter: '2025Q4',
      policy: DEFAULT_VERSIONED_POLICY,
      actorId: 'system',
    });
    const resolved = q4.report.supervision.resolved.map((i) => `${i.projectId}|${i.rule}`);
    expect(resolved).toContain(`${fixed.projectId}|signed_over_a_year_not_started`);

    const stillStalled = new Set(q4.report.stalled.map((s) => `${s.projectId}|${s.rule}`));
    for (const item of q4.report.supervision.escalated) {
      expect(stillStalled.has(`${item.projectId}|${item.rule}`)).toBe(true);
      expect(item).toMatchObject({ openedIn: '2025Q3', rung: 2, unrectified: true });
    }
    // Every Q3 item is either escalated or resolved by Q4, and none is opened twice.
    expect(q4.report.supervision.escalated.length + q4.report.supervision.resolved.length).toBe(items.length);
    const open = await db.query<{ n: number }[]>(
      `SELECT COUNT(*)::int AS n FROM supervision_items WHERE status <> 'closed' GROUP BY project_id, rule HAVING COUNT(*) > 1`,
    );
    expect(open).toEqual([]);
    expect(q4.report.supervision.opened.every((i) => i.openedIn === '2025Q4')).toBe(true);

    // Reviewing Q4 again escalates nothing twice.
    const again = await runQuarterlyReview(db, {
      quarter: '2025Q4',
      policy: DEFAULT_VERSIONED_POLICY,
      actorId: 'system',
    });
    expect(again.report).toEqual(q4.report);
  });
});
