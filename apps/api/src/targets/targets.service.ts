import { HttpStatus, Injectable } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { DataSource } from 'typeorm';
import {
  dateParts,
  divideToDecimal,
  lastDayOfMonth,
  monthOf,
  normaliseYuan,
  parseYuan,
  progressAgainstTarget,
  regionCovers,
  shanghaiDate,
  timeProgress,
  type Actor,
  type IsoDate,
  type IsoMonth,
} from '@app/domain';
import { PROBLEM_BASE, ProblemException, validationProblem } from '../common/problem-details';
import {
  describeValue,
  HUNDRED_MILLION_YUAN,
  isTargetMetric,
  TARGET_METRIC_BY_CODE,
  TARGET_METRICS,
  type MetricValue,
  type TargetMetric,
} from './target-metrics';
import type {
  BulletinRegionView,
  BulletinView,
  MetricProgressView,
  ProgressQuery,
  ProgressView,
  PutTargetsDto,
  RegionProgressView,
  RegionTargetsView,
} from './targets.dto';

type Targets = Partial<Record<TargetMetric, MetricValue>>;

interface TargetRow {
  region: string;
  metric: string;
  target: string;
  updated_by: string;
  updated_at: Date;
}

interface ActualsRow {
  region: string;
  signed_projects: number;
  new_started_100m_projects: number;
  landed_projects: number;
  started_projects: number;
  in_stats_projects: number;
  funds_arrived: string;
}

/** The ranking rule, as the bulletin prints it. */
export const RANKING_RULE =
  '按各项目标"完成率减时序进度"(百分点,保留两位小数)的算术平均值从高到低排名;平均值相同的按地区代码升序;' +
  '目标为 0 的指标不参与平均,没有可比指标的地区列于最后、不排名。';

/** A 400 naming the field, shaped as the validation pipe shapes its errors. */
const fieldProblem = (field: string, rule: string, message: string): ProblemException =>
  validationProblem([
    Object.assign(new ValidationError(), { property: field, constraints: { [rule]: message }, children: [] }),
  ]);

/** Reads as the domain's `mayRead` does for projects: auditors and admins everywhere, others where they act. */
export function mayReadRegion(actor: Actor, region: string): boolean {
  return (
    actor.role === 'auditor' ||
    actor.role === 'admin' ||
    actor.regions.some((r) => typeof r === 'string' && regionCovers(r, region))
  );
}

/** Targets are set by admins anywhere and by leaders for the regions they cover. */
export function maySetTargets(actor: Actor, region: string): boolean {
  return (
    actor.role === 'admin' ||
    (actor.role === 'leader' && actor.regions.some((r) => typeof r === 'string' && regionCovers(r, region)))
  );
}

function regionRefused(region: string, doing: string): ProblemException {
  const en = `region ${region} is outside the regions you may ${doing}`;
  return new ProblemException({
    type: `${PROBLEM_BASE}refused/region-not-in-scope`,
    title: en,
    status: HttpStatus.FORBIDDEN,
    detail: '该地区不在您负责的范围内',
    code: 'REGION_NOT_IN_SCOPE',
    message: { zh: '该地区不在您负责的范围内', en },
  });
}

/** "超时序进度 3.21 个百分点" / "落后时序进度 5.00 个百分点" / "与时序进度持平". */
export function aheadSentence(points: string): string {
  if (/^-?0\.00$/.test(points)) return '与时序进度持平';
  return points.startsWith('-')
    ? `落后时序进度 ${points.slice(1)} 个百分点`
    : `超时序进度 ${points} 个百分点`;
}

/** Two-decimal percentage points as integer hundredths (they have the shape of yuan amounts). */
const hundredths = (points: string): bigint => parseYuan(points);

function storedValue(metric: TargetMetric, value: MetricValue): string {
  return TARGET_METRIC_BY_CODE[metric].kind === 'count' ? String(value) : normaliseYuan(String(value));
}

function fromStored(metric: TargetMetric, text: string): MetricValue {
  return TARGET_METRIC_BY_CODE[metric].kind === 'count' ? Number(text.split('.')[0]) : normaliseYuan(text);
}

function isPositive(metric: TargetMetric, value: MetricValue): boolean {
  return TARGET_METRIC_BY_CODE[metric].kind === 'count' ? Number(value) > 0 : parseYuan(String(value)) > 0n;
}

/** One metric's progress against its target beside 时序进度. */
export function metricProgress(
  metric: TargetMetric,
  target: MetricValue,
  actual: MetricValue,
  asOf: IsoDate,
): MetricProgressView {
  const { label } = TARGET_METRIC_BY_CODE[metric];
  const done = `${label}完成 ${describeValue(metric, actual)},目标 ${describeValue(metric, target)}`;
  const time = timeProgress(asOf);
  if (!isPositive(metric, target)) {
    // A zero target has no completion rate; it is shown but left out of the ranking.
    const assessment = '目标为 0,不计进度';
    return {
      metric,
      label,
      target,
      actual,
      completionPercent: null,
      timeProgressPercent: time,
      aheadByPoints: null,
      assessment,
      summary: `${done},${assessment}`,
    };
  }
  const progress = progressAgainstTarget(actual, target, asOf);
  const assessment = aheadSentence(progress.aheadByPoints);
  return {
    metric,
    label,
    target,
    actual,
    completionPercent: progress.completionPercent,
    timeProgressPercent: progress.timeProgressPercent,
    aheadByPoints: progress.aheadByPoints,
    assessment,
    summary: `${done},完成率 ${progress.completionPercent}%,${assessment}`,
  };
}

/**
 * Ranks regions by the mean of their metrics' aheadByPoints as printed (two decimals), so anyone can
 * check the order from the bulletin itself; ties by region code; regions with nothing to score last.
 */
export function rankRegions(regions: RegionProgressView[]): BulletinRegionView[] {
  const scored = regions.map((r) => {
    const points = r.metrics.flatMap((m) => (m.aheadByPoints === null ? [] : [hundredths(m.aheadByPoints)]));
    const score =
      points.length === 0
        ? null
        : divideToDecimal(
            points.reduce((a, b) => a + b, 0n),
            BigInt(points.length) * 100n,
            2,
          );
    return { ...r, score };
  });
  scored.sort((a, b) => {
    if (a.score === null || b.score === null) {
      if (a.score !== b.score) return a.score === null ? 1 : -1;
    } else {
      const diff = hundredths(b.score) - hundredths(a.score);
      if (diff !== 0n) return diff > 0n ? 1 : -1;
    }
    return a.region < b.region ? -1 : a.region > b.region ? 1 : 0;
  });
  let rank = 0;
  return scored.map(({ score, ...r }) => ({
    ...r,
    rank: score === null ? null : ++rank,
    scorePoints: score,
    assessment: score === null ? '无可比指标,不排名' : aheadSentence(score),
  }));
}

/** Annual targets per region, progress against them beside 时序进度, and the monthly bulletin. */
@Injectable()
export class TargetsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Today in Asia/Shanghai, where the year and its months are counted. */
  today(): IsoDate {
    return shanghaiDate(new Date().toISOString());
  }

  async get(year: number, region: string, actor: Actor): Promise<RegionTargetsView> {
    if (!mayReadRegion(actor, region)) throw regionRefused(region, 'read');
    const [rows, changes] = await Promise.all([
      this.dataSource.query<TargetRow[]>(
        `SELECT region, metric, target::text AS target, updated_by, updated_at
         FROM region_targets WHERE year = $1 AND region = $2`,
        [year, region],
      ),
      this.dataSource.query<
        {
          changed_at: Date;
          changed_by: string;
          reason: string | null;
          previous: Targets;
          targets: Targets;
        }[]
      >(
        `SELECT changed_at, changed_by, reason, previous, targets FROM region_target_changes
         WHERE year = $1 AND region = $2 ORDER BY id DESC`,
        [year, region],
      ),
    ]);
    const byMetric = new Map(rows.filter((r) => isTargetMetric(r.metric)).map((r) => [r.metric, r]));
    const entries = TARGET_METRICS.flatMap(({ metric, label }) => {
      const row = byMetric.get(metric);
      return row
        ? [
            {
              metric,
              label,
              target: fromStored(metric, row.target),
              updatedBy: row.updated_by,
              updatedAt: row.updated_at.toISOString(),
            },
          ]
        : [];
    });
    return {
      year,
      region,
      targets: Object.fromEntries(entries.map((e) => [e.metric, e.target])),
      entries,
      history: changes.map((c) => ({
        changedAt: c.changed_at.toISOString(),
        changedBy: c.changed_by,
        reason: c.reason,
        previous: c.previous,
        targets: c.targets,
      })),
    };
  }

  /**
   * Replaces the region's targets for the year. Only metrics whose value changes get a new
   * updated_by/updated_at; each effective change adds one history row with the sets before and after.
   */
  async put(year: number, region: string, dto: PutTargetsDto, actor: Actor): Promise<RegionTargetsView> {
    if (!maySetTargets(actor, region)) throw regionRefused(region, 'set targets for');
    const next: Targets = {};
    for (const { metric } of TARGET_METRICS) {
      const value = dto.targets[metric];
      if (value !== undefined && value !== null)
        next[metric] = fromStored(metric, storedValue(metric, value));
    }
    await this.dataSource.transaction(async (manager) => {
      // One writer per region and year, so the history's "previous" is what the change replaced.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`region_targets:${year}:${region}`]);
      const rows = await manager.query<TargetRow[]>(
        `SELECT metric, target::text AS target FROM region_targets WHERE year = $1 AND region = $2`,
        [year, region],
      );
      const previous: Targets = {};
      for (const row of rows) {
        if (isTargetMetric(row.metric)) previous[row.metric] = fromStored(row.metric, row.target);
      }
      if (JSON.stringify(canonical(previous)) === JSON.stringify(canonical(next))) return;
      const metrics = Object.keys(next) as TargetMetric[];
      await manager.query(
        `DELETE FROM region_targets WHERE year = $1 AND region = $2 AND NOT (metric = ANY($3::text[]))`,
        [year, region, metrics],
      );
      await manager.query(
        `INSERT INTO region_targets (year, region, metric, target, updated_by, updated_at)
         SELECT $1, $2, m, t, $5, now() FROM unnest($3::text[], $4::numeric[]) AS u(m, t)
         ON CONFLICT (year, region, metric) DO UPDATE
           SET target = EXCLUDED.target, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
           WHERE region_targets.target <> EXCLUDED.target`,
        [year, region, metrics, metrics.map((m) => storedValue(m, next[m]!)), actor.id],
      );
      await manager.query(
        `INSERT INTO region_target_changes (year, region, previous, targets, changed_by, reason)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6)`,
        [
          year,
          region,
          JSON.stringify(canonical(previous)),
          JSON.stringify(canonical(next)),
          actor.id,
          dto.reason ?? null,
        ],
      );
    });
    return this.get(year, region, actor);
  }

  async progress(query: ProgressQuery, actor: Actor): Promise<ProgressView> {
    const today = this.today();
    const year = query.year ?? dateParts(query.asOf ?? today).year;
    const asOf = query.asOf ?? (year < dateParts(today).year ? `${year}-12-31` : today);
    if (dateParts(asOf).year !== year) {
      throw fieldProblem('asOf', 'withinYear', `asOf must be a day of ${year}`);
    }
    if (query.region !== undefined && !mayReadRegion(actor, query.region)) {
      throw regionRefused(query.region, 'read');
    }
    const regions = await this.progressByRegion(year, asOf, (region) =>
      query.region === undefined ? mayReadRegion(actor, region) : region === query.region,
    );
    return { year, asOf, timeProgressPercent: timeProgress(asOf), regions };
  }

  async bulletin(month: IsoMonth, actor: Actor, within?: string): Promise<BulletinView> {
    const today = this.today();
    const current = monthOf(today);
    if (month > current) {
      throw fieldProblem('month', 'notInFuture', `month must be ${current} or earlier`);
    }
    const asOf = month === current ? today : lastDayOfMonth(month);
    const year = dateParts(asOf).year;
    const regions = await this.progressByRegion(
      year,
      asOf,
      (region) => mayReadRegion(actor, region) && (within === undefined || regionCovers(within, region)),
    );
    return {
      month,
      year,
      asOf,
      timeProgressPercent: timeProgress(asOf),
      rankingRule: RANKING_RULE,
      regions: rankRegions(regions),
    };
  }

  /** Every region with targets for the year that `include` keeps, with each target's progress. */
  private async progressByRegion(
    year: number,
    asOf: IsoDate,
    include: (region: string) => boolean,
  ): Promise<RegionProgressView[]> {
    const rows = await this.dataSource.query<TargetRow[]>(
      `SELECT region, metric, target::text AS target FROM region_targets WHERE year = $1
       ORDER BY region`,
      [year],
    );
    const targets = new Map<string, Targets>();
    for (const row of rows) {
      if (!isTargetMetric(row.metric) || !include(row.region)) continue;
      const set = targets.get(row.region) ?? {};
      set[row.metric] = fromStored(row.metric, row.target);
      targets.set(row.region, set);
    }
    if (targets.size === 0) return [];
    const actuals = await this.actuals([...targets.keys()], asOf);
    return [...targets.entries()].map(([region, set]) => ({
      region,
      metrics: TARGET_METRICS.flatMap(({ metric }) =>
        set[metric] === undefined
          ? []
          : [metricProgress(metric, set[metric], actuals.get(region)![metric], asOf)],
      ),
    }));
  }

  /**
   * Each metric's actual for each region, from 1 January of asOf's year to asOf, in one query. A
   * region's scope is what `regionCovers` gives: a county itself, a city ('xxxx00') its counties, a
   * province ('xx0000') its cities and counties. Dropped projects still count for the steps they
   * reached, as the domain's metrics count them by default.
   */
  async actuals(regions: string[], asOf: IsoDate): Promise<Map<string, Record<TargetMetric, MetricValue>>> {
    const { year } = dateParts(asOf);
    const rows = await this.dataSource.query<ActualsRow[]>(
      `WITH scope AS (
         SELECT region,
                CASE WHEN region LIKE '__0000' THEN left(region, 2) || '%'
                     WHEN region LIKE '____00' THEN left(region, 4) || '%'
                     ELSE region END AS pattern
         FROM unnest($1::text[]) AS r(region)
       ),
       covered AS (
         SELECT s.region AS target_region, p.project_id, p.signed_date, p.landed_date, p.started_date,
                p.in_stats_date, COALESCE(p.contract_investment, p.planned_investment) AS investment
         FROM scope s JOIN projects p ON p.region::text LIKE s.pattern
       ),
       counts AS (
         SELECT target_region,
                count(*) FILTER (WHERE signed_date BETWEEN $2::date AND $3::date) AS signed_projects,
                count(*) FILTER (WHERE started_date BETWEEN $2::date AND $3::date
                                   AND investment >= $6::numeric) AS new_started_100m_projects,
                count(*) FILTER (WHERE landed_date BETWEEN $2::date AND $3::date) AS landed_projects,
                count(*) FILTER (WHERE started_date BETWEEN $2::date AND $3::date) AS started_projects,
                count(*) FILTER (WHERE in_stats_date BETWEEN $2::date AND $3::date) AS in_stats_projects
         FROM covered GROUP BY target_region
       ),
       funds AS (
         SELECT c.target_region, sum(f.amount) AS funds_arrived
         FROM covered c JOIN project_funds f ON f.project_id = c.project_id
         WHERE f.month BETWEEN $4 AND $5
         GROUP BY c.target_region
       )
       SELECT s.region,
              COALESCE(c.signed_projects, 0)::int AS signed_projects,
              COALESCE(c.new_started_100m_projects, 0)::int AS new_started_100m_projects,
              COALESCE(c.landed_projects, 0)::int AS landed_projects,
              COALESCE(c.started_projects, 0)::int AS started_projects,
              COALESCE(c.in_stats_projects, 0)::int AS in_stats_projects,
              COALESCE(f.funds_arrived, 0)::text AS funds_arrived
       FROM scope s
       LEFT JOIN counts c ON c.target_region = s.region
       LEFT JOIN funds f ON f.target_region = s.region`,
      [regions, `${year}-01-01`, asOf, `${year}-01`, monthOf(asOf), HUNDRED_MILLION_YUAN],
    );
    return new Map(
      rows.map((r) => [
        r.region,
        {
          signed_projects: r.signed_projects,
          new_started_100m_projects: r.new_started_100m_projects,
          funds_arrived: normaliseYuan(r.funds_arrived),
          landed_projects: r.landed_projects,
          started_projects: r.started_projects,
          in_stats_projects: r.in_stats_projects,
        },
      ]),
    );
  }
}

/** Targets in metric order, so equal sets compare and store alike. */
function canonical(targets: Targets): Targets {
  return Object.fromEntries(
    TARGET_METRICS.flatMap(({ metric }) =>
      targets[metric] === undefined ? [] : [[metric, targets[metric]]],
    ),
  );
}
