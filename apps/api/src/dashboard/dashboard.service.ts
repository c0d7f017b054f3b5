import { HttpStatus, Injectable } from '@nestjs/common';
import {
  addMonthsToMonth,
  countRatio,
  dateParts,
  isIsoDate,
  LIGHT_LABELS,
  LIGHTS,
  monthOf,
  RANKING_RULE,
  rankRegions,
  readingScope,
  scopeCovers,
  shanghaiDate,
  STAGE_LABELS,
  STAGE_ORDER,
  timeProgress,
  type Actor,
  type IsoDate,
  type TargetMetric,
} from '@app/domain';
import { PROBLEM_BASE, ProblemException, regionOutsideScope } from '../common/problem-details';
import { TargetsService } from '../targets/targets.service';
import {
  DashboardQueries,
  type CohortWindow,
  type DashboardReach,
  type FundsMonthRow,
  type ListedProjectRow,
} from './dashboard.queries';
import type {
  DashboardCohortView,
  DashboardQuery,
  DashboardView,
  DashboardCount,
  DashboardFundsMonthView,
  DashboardProjectView,
  DashboardStartRateView,
} from './dashboard.dto';

/** A 422 naming asOf and the rule it broke. */
function asOfProblem(rule: string, message: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}validation`,
    title: 'The request is not valid',
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    detail: `asOf: ${message}`,
    errors: [{ field: 'asOf', rule, message }],
  });
}

/** The 台账 query string of a filter: the region asked for first, then the figure's own terms. */
function filterOf(region: string | undefined, terms: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  if (region !== undefined) params.set('region', region);
  for (const [key, value] of Object.entries(terms)) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}

/**
 * What each target's actual counts, as list filters over the year up to asOf (TargetsQueries.actuals):
 * the projects signed, started, … in the period; for an amount, the projects it is summed over.
 */
function metricTerms(metric: TargetMetric, from: IsoDate, to: IsoDate): Record<string, string> {
  const terms: Record<string, Record<string, string>> = {
    signed_projects: { signedFrom: from, signedTo: to },
    signed_amount: { signedFrom: from, signedTo: to },
    new_signed_100m_projects: { signedFrom: from, signedTo: to, sizeBand: '100m_plus' },
    new_started_100m_projects: { startedFrom: from, startedTo: to, sizeBand: '100m_plus' },
    landed_projects: { landedFrom: from, landedTo: to },
    started_projects: { startedFrom: from, startedTo: to },
    in_stats_projects: { inStatsFrom: from, inStatsTo: to },
    funds_arrived: { fundsFrom: monthOf(from), fundsTo: monthOf(to) },
    funds_outside_province: { fundsFrom: monthOf(from), fundsTo: monthOf(to) },
  };
  return terms[metric] ?? {};
}

const listed = (r: ListedProjectRow): DashboardProjectView => ({
  projectId: r.project_id,
  name: r.name,
  region: r.region,
  stage: r.stage,
  light: r.light,
  investment: r.investment,
});

/**
 * The 领导驾驶舱: a leader's portfolio as of a day, each figure with the 台账 filter that lists what
 * it counts. Progress and ranking are the targets' own (TargetsService, rankRegions); the counts are
 * DashboardQueries'.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly queries: DashboardQueries,
    private readonly targets: TargetsService,
  ) {}

  async dashboard(query: DashboardQuery, actor: Actor): Promise<DashboardView> {
    const today = shanghaiDate(new Date().toISOString());
    const asOf = query.asOf ?? today;
    if (!isIsoDate(asOf)) throw asOfProblem('isDate', 'asOf must be a date YYYY-MM-DD');
    if (asOf > today) throw asOfProblem('notInFuture', `asOf must be ${today} or earlier`);
    if (asOf < '2000-01-01') throw asOfProblem('min', 'asOf must be 2000-01-01 or later');
    const region = query.region;
    if (region !== undefined && !scopeCovers(readingScope(actor), region)) throw regionOutsideScope(region);

    const { year } = dateParts(asOf);
    // As of a past day, the projects recorded by then in the stage and light each had; today, as they are.
    const on = asOf < today ? asOf : undefined;
    const reach: DashboardReach = { actor, region, on };
    const cohorts: CohortWindow = {
      previous: { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` },
      current: { from: `${year}-01-01`, to: asOf },
      startedBy: asOf,
    };
    const month = monthOf(asOf);
    const firstMonth = `${year}-01`;
    const [counts, red, major, funds, regions] = await Promise.all([
      this.queries.counts(reach, cohorts),
      this.queries.redList(reach),
      this.queries.majorProjects(reach),
      this.queries.fundsByMonth(reach, [
        { from: firstMonth, to: month },
        { from: addMonthsToMonth(firstMonth, -12), to: addMonthsToMonth(month, -12) },
      ]),
      this.targets.progressWithin(asOf, actor, region),
    ]);

    // The 台账 filter of a figure of the reach: the same day's stages when it is a past one.
    const reachFilter = (terms: Record<string, string | number | undefined>) =>
      filterOf(region, { ...terms, stageOn: on });
    const count = (n: number, terms: Record<string, string | number | undefined>): DashboardCount => ({
      count: n,
      filter: reachFilter(terms),
    });

    const yearStart = `${year}-01-01`;

    const startRate = (
      signed: number,
      started: number,
      terms: Record<string, string>,
    ): DashboardStartRateView => ({
      signed: count(signed, terms),
      started: count(started, { ...terms, startedTo: asOf }),
      percent: countRatio(started, signed).percent,
    });
    const cohort = (
      cohortYear: number,
      window: { from: IsoDate; to: IsoDate },
      c: { signed: number; started: number; signedInd: number; startedInd: number },
    ): DashboardCohortView => {
      const terms = { signedFrom: window.from, signedTo: window.to };
      return {
        year: cohortYear,
        signedFrom: window.from,
        signedTo: window.to,
        all: startRate(c.signed, c.started, terms),
        industrial: startRate(c.signedInd, c.startedInd, { ...terms, industrial: 'true' }),
      };
    };

    const monthView = (m: string, rows: FundsMonthRow[]): DashboardFundsMonthView => {
      const row = rows.find((r) => r.month === m);
      return {
        month: m,
        amount: row?.amount ?? '0.00',
        projects: row?.projects ?? 0,
        filter: reachFilter({ fundsFrom: m, fundsTo: m }),
      };
    };
    const months: string[] = [];
    for (let m = firstMonth; m <= month; m = addMonthsToMonth(m, 1)) months.push(m);

    return {
      asOf,
      lightsOn: asOf,
      year,
      region: region ?? null,
      timeProgressPercent: timeProgress(asOf),
      projects: count(counts.projects, {}),
      funnel: STAGE_ORDER.map((stage) => ({
        stage,
        label: STAGE_LABELS[stage],
        ...count(counts[stage], { stage }),
      })),
      dropped: count(counts.dropped, { stage: 'dropped' }),
      lights: LIGHTS.map((light) => ({
        light,
        label: LIGHT_LABELS[light],
        percent: countRatio(counts[light], counts.projects).percent,
        ...count(counts[light], { light }),
      })),
      redList: { total: counts.red, filter: reachFilter({ light: 'red' }), items: red.map(listed) },
      targets: regions.map((r) => ({
        region: r.region,
        metrics: r.metrics.map((m) => ({
          ...m,
          filter: filterOf(r.region, metricTerms(m.metric, yearStart, asOf)),
        })),
      })),
      rankingRule: RANKING_RULE,
      ranking: rankRegions(regions).map((r) => ({
        rank: r.rank,
        region: r.region,
        scorePoints: r.scorePoints,
        assessment: r.assessment,
        filter: filterOf(r.region, {}),
      })),
      cohorts: [
        cohort(year - 1, cohorts.previous, {
          signed: counts.prev_signed,
          started: counts.prev_started,
          signedInd: counts.prev_signed_ind,
          startedInd: counts.prev_started_ind,
        }),
        cohort(year, cohorts.current, {
          signed: counts.cur_signed,
          started: counts.cur_started,
          signedInd: counts.cur_signed_ind,
          startedInd: counts.cur_started_ind,
        }),
      ],
      funds: months.map((m) => ({
        current: monthView(m, funds),
        previous: monthView(addMonthsToMonth(m, -12), funds),
      })),
      majorProjects: {
        total: counts.major,
        filter: reachFilter({ sizeBand: '1b_plus' }),
        items: major.map(listed),
      },
    };
  }
}
