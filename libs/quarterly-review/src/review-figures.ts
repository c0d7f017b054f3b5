import type { EntityManager } from 'typeorm';
import {
  addDays,
  addYuan,
  addMonthsToMonth,
  amountRatio,
  countRatio,
  monthOf,
  normaliseYuan,
  parseYuan,
  RED_FLAG_LABELS,
  shanghaiStartOfDay,
  STATISTICS_THRESHOLD,
  formatYuan,
  type AmountRatio,
  type CountRatio,
  type IsoDate,
  type RedFlag,
  type Yuan,
} from '@app/domain';

/** Every rate of the 回头看 for one scope, as of the review's date. */
export interface ReviewRates {
  projects: number;
  /** 开工率 of the cohort signed the year before and the year of the review, all and industrial. */
  startRate: {
    previousYear: { all: CountRatio; industrial: CountRatio };
    currentYear: { all: CountRatio; industrial: CountRatio };
  };
  /** 新开工项目到资率 and 入统率: projects started in the review's year. */
  fundsArrivalRate: AmountRatio;
  statisticsRate: CountRatio;
  /** 落地率 and 履约率 of the two cohorts. */
  landingRate: { previousYear: CountRatio; currentYear: CountRatio };
  performanceRate: { previousYear: CountRatio; currentYear: CountRatio };
  /** 工业项目占比 and 民营投资项目占比 of this year's signings ("7755"). */
  industrialShare: CountRatio;
  privateShare: CountRatio;
}

export interface ReviewScope {
  scope: 'overall' | 'region' | 'industry_chain';
  key: string | null;
  rates: ReviewRates;
}

/**
 * The counts and amounts every rate of one scope is a ratio of. Kept per region and industry chain
 * in a report, they sum exactly to any union of regions, whose rates follow by `ratesFromCounts`
 * with the report's own rounding.
 */
export interface ReviewCounts {
  projects: number;
  previousYearSigned: number;
  previousYearStarted: number;
  previousYearSignedIndustrial: number;
  previousYearStartedIndustrial: number;
  currentYearSigned: number;
  currentYearStarted: number;
  currentYearSignedIndustrial: number;
  currentYearStartedIndustrial: number;
  previousYearLanded: number;
  currentYearLanded: number;
  previousYearStartDue: number;
  previousYearStartedInTime: number;
  currentYearStartDue: number;
  currentYearStartedInTime: number;
  /** Funds arrived at, and investment contracted (planned where none) of, projects newly started. */
  newStartedFunds: Yuan;
  newStartedContracted: Yuan;
  newStartedQualifying: number;
  newStartedInStats: number;
  currentYearPrivate: number;
}

/** The counts of one region's projects in one industry chain. */
export interface RegionChainCounts {
  region: string;
  industryChain: string;
  counts: ReviewCounts;
}

/** Every rate of a scope from its counts: the one place a rate is derived, stored or summed. */
export function ratesFromCounts(c: ReviewCounts): ReviewRates {
  return {
    projects: c.projects,
    startRate: {
      previousYear: {
        all: countRatio(c.previousYearStarted, c.previousYearSigned),
        industrial: countRatio(c.previousYearStartedIndustrial, c.previousYearSignedIndustrial),
      },
      currentYear: {
        all: countRatio(c.currentYearStarted, c.currentYearSigned),
        industrial: countRatio(c.currentYearStartedIndustrial, c.currentYearSignedIndustrial),
      },
    },
    fundsArrivalRate: amountRatio(parseYuan(c.newStartedFunds), parseYuan(c.newStartedContracted)),
    statisticsRate: countRatio(c.newStartedInStats, c.newStartedQualifying),
    landingRate: {
      previousYear: countRatio(c.previousYearLanded, c.previousYearSigned),
      currentYear: countRatio(c.currentYearLanded, c.currentYearSigned),
    },
    performanceRate: {
      previousYear: countRatio(c.previousYearStartedInTime, c.previousYearStartDue),
      currentYear: countRatio(c.currentYearStartedInTime, c.currentYearStartDue),
    },
    industrialShare: countRatio(c.currentYearSignedIndustrial, c.currentYearSigned),
    privateShare: countRatio(c.currentYearPrivate, c.currentYearSigned),
  };
}

/** The counts of a union of disjoint scopes: counts added, amounts added exactly in 分. */
export function sumCounts(parts: ReviewCounts[]): ReviewCounts {
  const total: Record<string, number | Yuan> = { ...ZERO_COUNTS };
  for (const part of parts) {
    for (const name of Object.keys(ZERO_COUNTS) as (keyof ReviewCounts)[]) {
      const sum = total[name];
      total[name] = typeof sum === 'string' ? addYuan(sum, part[name] as Yuan) : sum + (part[name] as number);
    }
  }
  return total as unknown as ReviewCounts;
}

const ZERO_COUNTS: ReviewCounts = {
  projects: 0,
  previousYearSigned: 0,
  previousYearStarted: 0,
  previousYearSignedIndustrial: 0,
  previousYearStartedIndustrial: 0,
  currentYearSigned: 0,
  currentYearStarted: 0,
  currentYearSignedIndustrial: 0,
  currentYearStartedIndustrial: 0,
  previousYearLanded: 0,
  currentYearLanded: 0,
  previousYearStartDue: 0,
  previousYearStartedInTime: 0,
  currentYearStartDue: 0,
  currentYearStartedInTime: 0,
  newStartedFunds: '0.00',
  newStartedContracted: '0.00',
  newStartedQualifying: 0,
  newStartedInStats: 0,
  currentYearPrivate: 0,
};

/** Every figure of a review: the scopes it reports, and the counts per region and chain. */
export interface ReviewFigures {
  scopes: ReviewScope[];
  byRegionAndChain: RegionChainCounts[];
}

function countsOf(r: RateRow): ReviewCounts {
  return {
    projects: r.projects,
    previousYearSigned: r.prev_signed,
    previousYearStarted: r.prev_started,
    previousYearSignedIndustrial: r.prev_signed_ind,
    previousYearStartedIndustrial: r.prev_started_ind,
    currentYearSigned: r.cur_signed,
    currentYearStarted: r.cur_started,
    currentYearSignedIndustrial: r.cur_signed_ind,
    currentYearStartedIndustrial: r.cur_started_ind,
    previousYearLanded: r.prev_landed,
    currentYearLanded: r.cur_landed,
    previousYearStartDue: r.prev_due,
    previousYearStartedInTime: r.prev_kept,
    currentYearStartDue: r.cur_due,
    currentYearStartedInTime: r.cur_kept,
    newStartedFunds: normaliseYuan(r.new_funds),
    newStartedContracted: normaliseYuan(r.new_contracted),
    newStartedQualifying: r.new_qualifying,
    newStartedInStats: r.new_in_stats,
    currentYearPrivate: r.cur_private,
  };
}

interface RateRow {
  g_region: number;
  g_chain: number;
  region: string | null;
  industry_chain: string | null;
  projects: number;
  prev_signed: number;
  prev_started: number;
  prev_signed_ind: number;
  prev_started_ind: number;
  cur_signed: number;
  cur_started: number;
  cur_signed_ind: number;
  cur_started_ind: number;
  prev_landed: number;
  cur_landed: number;
  prev_due: number;
  prev_kept: number;
  cur_due: number;
  cur_kept: number;
  new_funds: string;
  new_contracted: string;
  new_qualifying: number;
  new_in_stats: number;
  cur_private: number;
}

/**
 * Every rate, overall, per region and per industry chain, and the counts per region and chain, in
 * one pass over the read model: a project's facts as of the date are computed once, then counted
 * under GROUPING SETS. This SQL is the rates' definition (what the API serves and what reproduces
 * the published figures); the tests hold it to an oracle of snapshot formulas
 * (test/support/metrics-oracle.ts) over generated portfolios.
 */
export async function reviewFigures(
  manager: EntityManager,
  asOf: IsoDate,
  options: { startWithinMonths: number },
): Promise<ReviewFigures> {
  const year = Number(asOf.slice(0, 4));
  const rows = await manager.query<RateRow[]>(
    `WITH funds AS (
       SELECT project_id, SUM(amount) AS total FROM project_funds WHERE month <= $3 GROUP BY project_id
     ), base AS (
       SELECT p.region, p.industry_chain, p.industrial,
              p.investor_type = 'private' AS private,
              CASE WHEN p.signed_date <= $1 THEN EXTRACT(YEAR FROM p.signed_date)::int END AS cohort,
              COALESCE(p.started_date <= $1, false) AS started,
              COALESCE(p.landed_date <= $1, false) AS landed,
              COALESCE(p.started_date <= $1 AND EXTRACT(YEAR FROM p.started_date) = $2, false) AS new_started,
              COALESCE(p.in_stats_date <= $1, false) AS in_stats,
              p.planned_investment >= $5 AS qualifies,
              COALESCE(funds.total, 0) AS funds,
              COALESCE(p.contract_investment, p.planned_investment) AS contracted,
              COALESCE((p.signed_date + make_interval(months => $4))::date <= $1, false) AS start_due,
              COALESCE(p.started_date <= (p.signed_date + make_interval(months => $4))::date, false) AS started_in_time
       FROM projects p LEFT JOIN funds USING (project_id)
       -- A project registered after the date did not exist yet.
       WHERE p.lead_date <= $1
     )
     SELECT GROUPING(region) AS g_region, GROUPING(industry_chain) AS g_chain, region, industry_chain,
            COUNT(*)::int AS projects,
            COUNT(*) FILTER (WHERE cohort = $2 - 1)::int AS prev_signed,
            COUNT(*) FILTER (WHERE cohort = $2 - 1 AND started)::int AS prev_started,
            COUNT(*) FILTER (WHERE cohort = $2 - 1 AND industrial)::int AS prev_signed_ind,
            COUNT(*) FILTER (WHERE cohort = $2 - 1 AND industrial AND started)::int AS prev_started_ind,
            COUNT(*) FILTER (WHERE cohort = $2)::int AS cur_signed,
            COUNT(*) FILTER (WHERE cohort = $2 AND started)::int AS cur_started,
            COUNT(*) FILTER (WHERE cohort = $2 AND industrial)::int AS cur_signed_ind,
            COUNT(*) FILTER (WHERE cohort = $2 AND industrial AND started)::int AS cur_started_ind,
            COUNT(*) FILTER (WHERE cohort = $2 - 1 AND landed)::int AS prev_landed,
            COUNT(*) FILTER (WHERE cohort = $2 AND landed)::int AS cur_landed,
            COUNT(*) FILTER (WHERE cohort = $2 - 1 AND start_due)::int AS prev_due,
            COUNT(*) FILTER (WHERE cohort = $2 - 1 AND start_due AND started_in_time)::int AS prev_kept,
            COUNT(*) FILTER (WHERE cohort = $2 AND start_due)::int AS cur_due,
            COUNT(*) FILTER (WHERE cohort = $2 AND start_due AND started_in_time)::int AS cur_kept,
            COALESCE(SUM(funds) FILTER (WHERE new_started), 0)::text AS new_funds,
            COALESCE(SUM(contracted) FILTER (WHERE new_started), 0)::text AS new_contracted,
            COUNT(*) FILTER (WHERE new_started AND qualifies)::int AS new_qualifying,
            COUNT(*) FILTER (WHERE new_started AND qualifies AND in_stats)::int AS new_in_stats,
            COUNT(*) FILTER (WHERE cohort = $2 AND private)::int AS cur_private
     FROM base
     GROUP BY GROUPING SETS ((), (region), (industry_chain), (region, industry_chain))`,
    [asOf, year, monthOf(asOf), options.startWithinMonths, formatYuan(STATISTICS_THRESHOLD)],
  );
  const scopes = rows
    .filter((r) => r.g_region === 1 || r.g_chain === 1)
    .map((r): ReviewScope => {
      const scope = r.g_region === 0 ? 'region' : r.g_chain === 0 ? 'industry_chain' : 'overall';
      return {
        scope,
        key: scope === 'region' ? r.region : scope === 'industry_chain' ? r.industry_chain : null,
        rates: ratesFromCounts(countsOf(r)),
      };
    });
  const byRegionAndChain = rows
    .filter((r) => r.g_region === 0 && r.g_chain === 0)
    .map((r): RegionChainCounts => ({
      region: r.region!,
      industryChain: r.industry_chain!,
      counts: countsOf(r),
    }))
    .sort((a, b) => compare(a.region, b.region) || compare(a.industryChain, b.industryChain));
  const order = { overall: 0, region: 1, industry_chain: 2 };
  scopes.sort((a, b) => order[a.scope] - order[b.scope] || compare(a.key ?? '', b.key ?? ''));
  return { scopes, byRegionAndChain };
}

/** The rates of every scope the report shows. */
export async function reviewRates(
  manager: EntityManager,
  asOf: IsoDate,
  options: { startWithinMonths: number },
): Promise<ReviewScope[]> {
  return (await reviewFigures(manager, asOf, options)).scopes;
}

/** A stalled project and the rule it broke. */
export interface StalledEntry {
  projectId: string;
  name: string;
  region: string;
  industryChain: string;
  /** A missed deadline (its id, e.g. 'land_after_signing' or 'blocker_due:B-1') or a red flag. */
  kind: 'deadline' | 'red_flag';
  rule: string;
  ruleLabel: string;
  /** The deadline's due date; null for red flags. */
  dueDate: IsoDate | null;
  /** The escalation rung the deadline had reached; 0 for red flags. */
  rung: number;
}

interface StalledRow {
  project_id: string;
  name: string;
  region: string;
  industry_chain: string;
  kind: 'deadline' | 'red_flag';
  rule: string;
  rule_label: string | null;
  due_date: string | null;
  rung: number;
}

/**
 * The stalled projects as of a date, each with every rule it broke: the deadlines whose alerts were
 * open at the end of that day (read from the alert events, so as the workflows saw them, policy,
 * working days and extensions included), and 渭南's four red flags. Two set-based queries.
 */
export async function stalledProjects(
  manager: EntityManager,
  asOf: IsoDate,
  ruleLabels: Record<string, string>,
): Promise<StalledEntry[]> {
  const cutoff = shanghaiStartOfDay(addDays(asOf, 1));
  const deadlines = await manager.query<StalledRow[]>(
    `WITH latest AS (
       SELECT DISTINCT ON (project_id, data->>'deadlineId') project_id, data->>'deadlineId' AS deadline_id,
              type, (data->>'rung')::int AS rung
       FROM events
       WHERE type IN ('AlertRaised', 'AlertEscalated', 'AlertResolved') AND business_time < $2
       ORDER BY project_id, data->>'deadlineId', global_position DESC
     ), raised AS (
       SELECT DISTINCT ON (project_id, data->>'deadlineId') project_id, data->>'deadlineId' AS deadline_id,
              data->>'rule' AS rule, data->>'dueDate' AS due_date
       FROM events
       WHERE type = 'AlertRaised' AND business_time < $2
       ORDER BY project_id, data->>'deadlineId', global_position DESC
     )
     SELECT l.project_id, p.name, p.region, p.industry_chain, 'deadline' AS kind, l.deadline_id AS rule,
            r.rule AS rule_label, r.due_date, l.rung
     FROM latest l
     JOIN raised r USING (project_id, deadline_id)
     JOIN projects p USING (project_id)
     WHERE l.type <> 'AlertResolved' AND NOT (p.stage = 'dropped' AND p.dropped_date <= $1)`,
    [asOf, cutoff],
  );
  const newest =
    monthOf(asOf) === monthOf(addDays(asOf, 1)) ? addMonthsToMonth(monthOf(asOf), -1) : monthOf(asOf);
  const lastThree = [newest, addMonthsToMonth(newest, -1), addMonthsToMonth(newest, -2)];
  const flags = await manager.query<StalledRow[]>(
    `WITH funds AS (
       SELECT project_id, SUM(amount) AS total FROM project_funds WHERE month <= $2 GROUP BY project_id
     ), recent AS (
       SELECT project_id, bool_or(amount > 0) AS any FROM project_funds WHERE month = ANY($3::text[]) GROUP BY project_id
     )
     -- Each project's four flags as one array of the raised ones, unnested: one pass over the
     -- projects, no per-project join against a list of the flags.
     SELECT project_id, name, region, industry_chain, 'red_flag' AS kind, rule,
            NULL AS rule_label, NULL AS due_date, 0 AS rung
     FROM (
       SELECT p.project_id, p.name, p.region, p.industry_chain,
              unnest(array_remove(ARRAY[
                CASE WHEN p.signed_date <= $1 AND NOT COALESCE(p.started_date <= $1, false)
                          AND (p.signed_date + interval '12 months')::date < $1
                     THEN 'signed_over_a_year_not_started' END,
                CASE WHEN COALESCE(p.started_date <= $1, false) AND to_char(p.started_date, 'YYYY-MM') < $4
                          AND NOT COALESCE(recent.any, false)
                     THEN 'no_funds_three_months_running' END,
                CASE WHEN COALESCE(p.started_date <= $1, false) AND (p.started_date + interval '6 months')::date < $1
                          AND COALESCE(p.contract_investment, p.planned_investment) > 0
                          AND COALESCE(funds.total, 0) * 100 < COALESCE(p.contract_investment, p.planned_investment) * 15
                     THEN 'funds_below_15_percent_after_six_months' END,
                CASE WHEN p.production_date <= $1 AND NOT COALESCE(p.in_stats_date <= $1, false)
                          AND p.planned_investment >= $5
                     THEN 'producing_not_in_statistics' END
              ]::text[], NULL)) AS rule
       FROM projects p
       LEFT JOIN funds ON funds.project_id = p.project_id
       LEFT JOIN recent ON recent.project_id = p.project_id
       WHERE p.lead_date <= $1 AND NOT (p.stage = 'dropped' AND COALESCE(p.dropped_date <= $1, false))
     ) AS flagged`,
    [asOf, monthOf(asOf), lastThree, lastThree[2], formatYuan(STATISTICS_THRESHOLD)],
  );
  return [...deadlines, ...flags]
    .map((r): StalledEntry => ({
      projectId: r.project_id,
      name: r.name,
      region: r.region,
      industryChain: r.industry_chain,
      kind: r.kind,
      rule: r.rule,
      ruleLabel:
        r.kind === 'red_flag'
          ? RED_FLAG_LABELS[r.rule as RedFlag]
          : (ruleLabels[r.rule_label ?? ''] ?? r.rule_label ?? r.rule),
      dueDate: r.due_date,
      rung: r.rung,
    }))
    .sort(
      (a, b) => compare(a.region, b.region) || compare(a.projectId, b.projectId) || compare(a.rule, b.rule),
    );
}

/** Code-point order, the same on every machine, so a report is byte for byte reproducible. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
