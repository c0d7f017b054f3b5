import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  formatYuan,
  lightColumns,
  lightOnSql,
  positionalParameters,
  readableProjectsSql,
  regionsScope,
  scopeSql,
  stageDateColumns,
  stageOnSql,
  YI_YUAN,
  type Actor,
  type IsoDate,
  type IsoMonth,
} from '@app/domain';

/** 10 亿元, the size from which a leader follows a project by name. */
export const MAJOR_PROJECT_YUAN = formatYuan(10n * YI_YUAN);
export const RED_LIST_LIMIT = 20;
export const MAJOR_LIST_LIMIT = 50;

/**
 * The dashboard's reach: what the actor may read, within `region` when one is asked for; as of a
 * past day `on`, only the projects recorded by then, each in the stage and with the light it had
 * that day.
 */
export interface DashboardReach {
  actor: Actor;
  region?: string;
  on?: IsoDate;
}

/** The signing cohorts of the year before asOf's and of asOf's year, as the 回头看 counts them. */
export interface CohortWindow {
  previous: { from: IsoDate; to: IsoDate };
  current: { from: IsoDate; to: IsoDate };
  startedBy: IsoDate;
}

export interface CountsRow {
  projects: number;
  lead: number;
  negotiating: number;
  signed: number;
  landed: number;
  started: number;
  in_stats: number;
  producing: number;
  dropped: number;
  green: number;
  yellow: number;
  red: number;
  prev_signed: number;
  prev_started: number;
  prev_signed_ind: number;
  prev_started_ind: number;
  cur_signed: number;
  cur_started: number;
  cur_signed_ind: number;
  cur_started_ind: number;
  major: number;
}

export interface ListedProjectRow {
  project_id: string;
  name: string;
  region: string;
  stage: string;
  light: string;
  investment: string;
}

export interface FundsMonthRow {
  month: IsoMonth;
  amount: string;
  projects: number;
}

/**
 * The dashboard's SQL over the projects read model and project_funds: set-based, one pass for the
 * counts and one statement per list, each restricted as the project list restricts
 * (readableProjectsSql, then the region asked for), so each figure is what its 台账 filter lists.
 */
@Injectable()
export class DashboardQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The WHERE of the reach over `projects p`, its parameters appended to `params`. */
  private reachSql(reach: DashboardReach, params: unknown[]): string {
    const bind = positionalParameters(params);
    const parts = [
      readableProjectsSql(
        reach.actor,
        { region: 'p.region', chiefServiceOfficerId: 'p.chief_service_officer_id' },
        bind,
      ),
    ];
    if (reach.region !== undefined) parts.push(scopeSql(regionsScope([reach.region]), 'p.region', bind));
    if (reach.on !== undefined) parts.push(`${this.stageSql(reach, params)} IS NOT NULL`);
    return parts.join(' AND ');
  }

  /** The stage each project is in: today's, or the one it was in on the reach's day. */
  private stageSql(reach: DashboardReach, params: unknown[]): string {
    if (reach.on === undefined) return 'p.stage';
    return stageOnSql(stageDateColumns('p'), `${positionalParameters(params)(reach.on)}::date`);
  }

  /** Each project's light: today's, or the one it had at the end of the reach's day. */
  private lightSql(reach: DashboardReach, params: unknown[]): string {
    if (reach.on === undefined) return 'p.light';
    return lightOnSql('project_lights', lightColumns('p'), `${positionalParameters(params)(reach.on)}::date`);
  }

  async counts(reach: DashboardReach, cohorts: CohortWindow): Promise<CountsRow> {
    const params: unknown[] = [
      cohorts.previous.from,
      cohorts.previous.to,
      cohorts.current.from,
      cohorts.current.to,
      cohorts.startedBy,
      MAJOR_PROJECT_YUAN,
    ];
    const where = this.reachSql(reach, params);
    const stage = this.stageSql(reach, params);
    const light = this.lightSql(reach, params);
    const [row] = await this.dataSource.query<CountsRow[]>(
      `WITH base AS (
         SELECT ${stage} AS stage, ${light} AS light, p.industrial,
                COALESCE(p.contract_investment, p.planned_investment) >= $6::numeric AS major,
                CASE WHEN p.signed_date BETWEEN $1::date AND $2::date THEN 'prev'
                     WHEN p.signed_date BETWEEN $3::date AND $4::date THEN 'cur' END AS cohort,
                COALESCE(p.started_date <= $5::date, false) AS started
         FROM projects p WHERE ${where}
       )
       SELECT count(*)::int AS projects,
              count(*) FILTER (WHERE stage = 'lead')::int AS lead,
              count(*) FILTER (WHERE stage = 'negotiating')::int AS negotiating,
              count(*) FILTER (WHERE stage = 'signed')::int AS signed,
              count(*) FILTER (WHERE stage = 'landed')::int AS landed,
              count(*) FILTER (WHERE stage = 'started')::int AS started,
              count(*) FILTER (WHERE stage = 'in_stats')::int AS in_stats,
              count(*) FILTER (WHERE stage = 'producing')::int AS producing,
              count(*) FILTER (WHERE stage = 'dropped')::int AS dropped,
              count(*) FILTER (WHERE light = 'green')::int AS green,
              count(*) FILTER (WHERE light = 'yellow')::int AS yellow,
              count(*) FILTER (WHERE light = 'red')::int AS red,
              count(*) FILTER (WHERE cohort = 'prev')::int AS prev_signed,
              count(*) FILTER (WHERE cohort = 'prev' AND started)::int AS prev_started,
              count(*) FILTER (WHERE cohort = 'prev' AND industrial)::int AS prev_signed_ind,
              count(*) FILTER (WHERE cohort = 'prev' AND industrial AND started)::int AS prev_started_ind,
              count(*) FILTER (WHERE cohort = 'cur')::int AS cur_signed,
              count(*) FILTER (WHERE cohort = 'cur' AND started)::int AS cur_started,
              count(*) FILTER (WHERE cohort = 'cur' AND industrial)::int AS cur_signed_ind,
              count(*) FILTER (WHERE cohort = 'cur' AND industrial AND started)::int AS cur_started_ind,
              count(*) FILTER (WHERE major)::int AS major
       FROM base`,
      params,
    );
    return row;
  }

  /** The first red-light projects, by name then id (the list's order for the same filter). */
  redList(reach: DashboardReach): Promise<ListedProjectRow[]> {
    return this.listed(reach, (light) => `${light} = 'red'`, 'p.name, p.project_id', RED_LIST_LIMIT);
  }

  /** The projects of 10 亿元 and more, largest first. */
  majorProjects(reach: DashboardReach): Promise<ListedProjectRow[]> {
    return this.listed(
      reach,
      () => `COALESCE(p.contract_investment, p.planned_investment) >= '${MAJOR_PROJECT_YUAN}'::numeric`,
      'COALESCE(p.contract_investment, p.planned_investment) DESC, p.project_id',
      MAJOR_LIST_LIMIT,
    );
  }

  /** The projects meeting `condition` (given the reach's light expression), first `limit` of them. */
  private listed(reach: DashboardReach, condition: (light: string) => string, order: string, limit: number) {
    const params: unknown[] = [limit];
    const where = this.reachSql(reach, params);
    const stage = this.stageSql(reach, params);
    const light = this.lightSql(reach, params);
    return this.dataSource.query<ListedProjectRow[]>(
      `SELECT p.project_id, p.name, p.region, ${stage} AS stage, ${light} AS light,
              round(COALESCE(p.contract_investment, p.planned_investment), 2)::text AS investment
       FROM projects p WHERE ${where} AND ${condition(light)}
       ORDER BY ${order} LIMIT $1`,
      params,
    );
  }

  /**
   * Funds arrived per month in each of the month ranges (both ends YYYY-MM, inclusive), and how
   * many projects had funds recorded in each month: the sums exact, as numeric, written with two
   * decimals. One pass for every range: this year's months and the year before's are read together.
   */
  async fundsByMonth(
    reach: DashboardReach,
    ranges: readonly { from: IsoMonth; to: IsoMonth }[],
  ): Promise<FundsMonthRow[]> {
    if (ranges.length === 0) return [];
    const params: unknown[] = [];
    const bind = positionalParameters(params);
    const months = ranges.map((r) => `f.month BETWEEN ${bind(r.from)} AND ${bind(r.to)}`).join(' OR ');
    const where = this.reachSql(reach, params);
    return this.dataSource.query<FundsMonthRow[]>(
      `SELECT f.month::text AS month, round(sum(f.amount), 2)::text AS amount, count(*)::int AS projects
       FROM project_funds f JOIN projects p ON p.project_id = f.project_id
       WHERE (${months}) AND ${where}
       GROUP BY f.month ORDER BY f.month`,
      params,
    );
  }
}
