import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  canonicalTargets,
  dateParts,
  HUNDRED_MILLION_YUAN,
  isTargetMetric,
  metricValue,
  monthOf,
  normaliseYuan,
  outsideProvinceSql,
  positionalParameters,
  regionsScope,
  scopeSql,
  type IsoDate,
  type MetricValue,
  type RegionScope,
  type TargetMetric,
  type TargetSet,
} from '@app/domain';

/** A region's target on one metric, who set it and when. */
export interface StoredTarget {
  metric: TargetMetric;
  target: MetricValue;
  updatedBy: string;
  updatedAt: Date;
}

/** One effective change of a region's set of targets. */
export interface StoredTargetChange {
  changedAt: Date;
  changedBy: string;
  reason: string | null;
  previous: TargetSet;
  targets: TargetSet;
}

/** Which regions' targets a read takes: those a scope covers, or one region exactly. */
export type TargetRegions = { scope: RegionScope } | { region: string };

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
  signed_amount: string;
  new_signed_100m_projects: number;
  funds_outside_province: string;
  new_started_100m_projects: number;
  landed_projects: number;
  started_projects: number;
  in_stats_projects: number;
  funds_arrived: string;
}

/** A value as the numeric column takes it. */
const storedValue = (metric: TargetMetric, value: MetricValue): string => String(metricValue(metric, value));

/** The SQL of the targets read model (region_targets, region_target_changes) and of the actuals. */
@Injectable()
export class TargetsQueries {
  constructor(private readonly dataSource: DataSource) {}

  async targets(year: number, region: string): Promise<StoredTarget[]> {
    const rows = await this.dataSource.query<TargetRow[]>(
      `SELECT region, metric, target::text AS target, updated_by, updated_at
       FROM region_targets WHERE year = $1 AND region = $2`,
      [year, region],
    );
    return rows.flatMap((r) =>
      isTargetMetric(r.metric)
        ? [
            {
              metric: r.metric,
              target: metricValue(r.metric, r.target),
              updatedBy: r.updated_by,
              updatedAt: r.updated_at,
            },
          ]
        : [],
    );
  }

  /** Every change of the region's targets for the year, newest first. */
  async changes(year: number, region: string): Promise<StoredTargetChange[]> {
    const rows = await this.dataSource.query<
      {
        changed_at: Date;
        changed_by: string;
        reason: string | null;
        previous: TargetSet;
        targets: TargetSet;
      }[]
    >(
      `SELECT changed_at, changed_by, reason, previous, targets FROM region_target_changes
       WHERE year = $1 AND region = $2 ORDER BY id DESC`,
      [year, region],
    );
    return rows.map((c) => ({
      changedAt: c.changed_at,
      changedBy: c.changed_by,
      reason: c.reason,
      previous: c.previous,
      targets: c.targets,
    }));
  }

  /**
   * Replaces the region's targets for the year with `next`. Only metrics whose value changes get a
   * new updated_by/updated_at; an effective change adds one history row with the sets before and
   * after; a set equal to the stored one changes nothing.
   */
  async replace(
    year: number,
    region: string,
    next: TargetSet,
    change: { actorId: string; reason: string | null },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // One writer per region and year, so the history's "previous" is what the change replaced.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`region_targets:${year}:${region}`]);
      const rows = await manager.query<TargetRow[]>(
        `SELECT metric, target::text AS target FROM region_targets WHERE year = $1 AND region = $2`,
        [year, region],
      );
      const previous: TargetSet = {};
      for (const row of rows) {
        if (isTargetMetric(row.metric)) previous[row.metric] = metricValue(row.metric, row.target);
      }
      const before = canonicalTargets(previous);
      const after = canonicalTargets(next);
      if (JSON.stringify(before) === JSON.stringify(after)) return;
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
        [year, region, metrics, metrics.map((m) => storedValue(m, next[m]!)), change.actorId],
      );
      await manager.query(
        `INSERT INTO region_target_changes (year, region, previous, targets, changed_by, reason)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6)`,
        [year, region, JSON.stringify(before), JSON.stringify(after), change.actorId, change.reason],
      );
    });
  }

  /** The targets of the year of every region `regions` takes, by region code. */
  async targetsOfYear(year: number, regions: TargetRegions): Promise<Map<string, TargetSet>> {
    const params: unknown[] = [year];
    const bind = positionalParameters(params);
    const where =
      'region' in regions ? `region = ${bind(regions.region)}` : scopeSql(regions.scope, 'region', bind);
    const rows = await this.dataSource.query<TargetRow[]>(
      `SELECT region, metric, target::text AS target FROM region_targets WHERE year = $1 AND ${where}
       ORDER BY region`,
      params,
    );
    const targets = new Map<string, TargetSet>();
    for (const row of rows) {
      if (!isTargetMetric(row.metric)) continue;
      const set = targets.get(row.region) ?? {};
      set[row.metric] = metricValue(row.metric, row.target);
      targets.set(row.region, set);
    }
    return targets;
  }

  /**
   * Each metric's actual for each region, from 1 January of asOf's year to asOf, in one query. A
   * region counts the projects its own scope covers (the domain's scopeSql): a county itself, a city
   * ('xxxx00') its counties, a province ('xx0000') its cities and counties. Dropped projects still
   * count for the steps they reached.
   *
   * Every metric is a count or a sum, so the projects are read once, summed per project region, and
   * the few sums rolled up to each region asked for: a city and its counties no longer read the
   * city's projects once each.
   */
  async actuals(regions: string[], asOf: IsoDate): Promise<Map<string, Record<TargetMetric, MetricValue>>> {
    if (regions.length === 0) return new Map();
    const { year } = dateParts(asOf);
    const params: unknown[] = [
      regions,
      `${year}-01-01`,
      asOf,
      `${year}-01`,
      monthOf(asOf),
      HUNDRED_MILLION_YUAN,
    ];
    const bind = positionalParameters(params);
    const reached = scopeSql(regionsScope(regions), 'p.region', bind);
    const outsideProvince = outsideProvinceSql(
      { investorType: 'p.investor_type', origin: 'p.investor_origin', region: 'p.region' },
      bind,
    );
    const rollUp = regions
      .map(
        (region) =>
          `SELECT ${bind(region)}::text AS target_region, g.* FROM per_region g
           WHERE ${scopeSql(regionsScope([region]), 'g.region', bind)}`,
      )
      .join('\n         UNION ALL\n         ');
    const rows = await this.dataSource.query<ActualsRow[]>(
      `WITH steps AS (
         SELECT p.region,
                count(*) FILTER (WHERE signed_date BETWEEN $2::date AND $3::date) AS signed_projects,
                sum(investment) FILTER (WHERE signed_date BETWEEN $2::date AND $3::date) AS signed_amount,
                count(*) FILTER (WHERE signed_date BETWEEN $2::date AND $3::date
                                   AND investment >= $6::numeric) AS new_signed_100m_projects,
                count(*) FILTER (WHERE started_date BETWEEN $2::date AND $3::date
                                   AND investment >= $6::numeric) AS new_started_100m_projects,
                count(*) FILTER (WHERE landed_date BETWEEN $2::date AND $3::date) AS landed_projects,
                count(*) FILTER (WHERE started_date BETWEEN $2::date AND $3::date) AS started_projects,
                count(*) FILTER (WHERE in_stats_date BETWEEN $2::date AND $3::date) AS in_stats_projects
         FROM projects p
         CROSS JOIN LATERAL (SELECT COALESCE(p.contract_investment, p.planned_investment) AS investment) i
         WHERE ${reached}
         GROUP BY p.region
       ),
       funds AS (
         SELECT p.region, sum(f.amount) AS funds_arrived,
                -- 省外: a domestic investor of recorded origin in another province than the project.
                sum(f.amount) FILTER (WHERE ${outsideProvince}) AS funds_outside_province
         FROM project_funds f JOIN projects p ON p.project_id = f.project_id
         WHERE f.month BETWEEN $4 AND $5 AND ${reached}
         GROUP BY p.region
       ),
       per_region AS (
         SELECT COALESCE(s.region, f.region) AS region, s.signed_projects, s.signed_amount,
                s.new_signed_100m_projects, s.new_started_100m_projects, s.landed_projects,
                s.started_projects, s.in_stats_projects, f.funds_arrived, f.funds_outside_province
         FROM steps s FULL JOIN funds f ON f.region = s.region
       ),
       rolled AS (
         ${rollUp}
       )
       SELECT q.region,
              COALESCE(sum(r.signed_projects), 0)::int AS signed_projects,
              COALESCE(sum(r.signed_amount), 0)::text AS signed_amount,
              COALESCE(sum(r.new_signed_100m_projects), 0)::int AS new_signed_100m_projects,
              COALESCE(sum(r.funds_outside_province), 0)::text AS funds_outside_province,
              COALESCE(sum(r.new_started_100m_projects), 0)::int AS new_started_100m_projects,
              COALESCE(sum(r.landed_projects), 0)::int AS landed_projects,
              COALESCE(sum(r.started_projects), 0)::int AS started_projects,
              COALESCE(sum(r.in_stats_projects), 0)::int AS in_stats_projects,
              COALESCE(sum(r.funds_arrived), 0)::text AS funds_arrived
       FROM unnest($1::text[]) AS q(region)
       LEFT JOIN rolled r ON r.target_region = q.region
       GROUP BY q.region`,
      params,
    );
    return new Map(
      rows.map((r) => [
        r.region,
        {
          signed_projects: r.signed_projects,
          signed_amount: normaliseYuan(r.signed_amount),
          new_signed_100m_projects: r.new_signed_100m_projects,
          new_started_100m_projects: r.new_started_100m_projects,
          funds_arrived: normaliseYuan(r.funds_arrived),
          funds_outside_province: normaliseYuan(r.funds_outside_province),
          landed_projects: r.landed_projects,
          started_projects: r.started_projects,
          in_stats_projects: r.in_stats_projects,
        },
      ]),
    );
  }
}
