import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  monthOf,
  positionalParameters,
  readableProjectsSql,
  regionsScope,
  scopeSql,
  type Actor,
  type IsoDate,
} from '@app/domain';

/** The steps a form counts in its period, as the read model dates them. */
export const PROGRESS_STEPS = ['signed', 'landed', 'started', 'inStats', 'producing'] as const;
export type ProgressStep = (typeof PROGRESS_STEPS)[number];

/** A project's columns every list of the form shows, with its service officer's name. */
export interface ProjectColumns {
  project_id: string;
  name: string;
  region: string;
  investor_name: string;
  stage: string;
  service_officer_id: string | null;
  service_officer_name: string | null;
}

export interface ProgressRow extends ProjectColumns {
  step: ProgressStep;
  date: string;
  amount: string;
}

export interface FundsRow extends ProjectColumns {
  amount: string;
}

export interface RedLightRow extends ProjectColumns {
  deadline_id: string | null;
  rule: string | null;
  step_code: string | null;
  due_date: string | null;
  rung: number | null;
  addressed_to: string | null;
  alert_light: string | null;
}

export interface StaleRow extends ProjectColumns {
  last_activity_date: string | null;
}

/** The form's selection: what the actor may read, narrowed to a region when one is asked for. */
export interface FormScope {
  actor: Actor;
  region: string | null;
}

const PROJECT_COLUMNS = `p.project_id, p.name, p.region, p.investor_name, p.stage, p.service_officer_id,
  officer.name AS service_officer_name`;
const OFFICER_JOIN = `LEFT JOIN people officer ON officer.person_id = p.service_officer_id`;

/** A business time (a date, or an instant) as its Asia/Shanghai date, as the domain's businessDateOf reads it. */
const BUSINESS_DATE = `CASE WHEN e.business_time ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN e.business_time
  ELSE to_char((e.business_time::timestamptz AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') END`;

/** Set-based reads of the projects read model for the weekly and monthly forms (周报, 月报). */
@Injectable()
export class PeriodicReportQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The scope's condition on `p`, its parameters appended to `params`. */
  private where(scope: FormScope, params: unknown[]): string {
    const bind = positionalParameters(params);
    const parts = [
      readableProjectsSql(
        scope.actor,
        { region: 'p.region', chiefServiceOfficerId: 'p.chief_service_officer_id' },
        bind,
      ),
    ];
    if (scope.region !== null) parts.push(scopeSql(regionsScope([scope.region]), 'p.region', bind));
    return parts.join(' AND ');
  }

  /** Each step taken in the period, by its business date: a signing with its contract, others with the effective investment. */
  progress(scope: FormScope, firstDay: IsoDate, lastDay: IsoDate): Promise<ProgressRow[]> {
    const params: unknown[] = [firstDay, lastDay];
    const where = this.where(scope, params);
    return this.dataSource.query<ProgressRow[]>(
      `SELECT s.step, to_char(s.date, 'YYYY-MM-DD') AS date, s.amount::text AS amount, ${PROJECT_COLUMNS}
       FROM projects p
       CROSS JOIN LATERAL (VALUES
         ('signed', p.signed_date, COALESCE(p.contract_investment, p.planned_investment)),
         ('landed', p.landed_date, COALESCE(p.contract_investment, p.planned_investment)),
         ('started', p.started_date, COALESCE(p.contract_investment, p.planned_investment)),
         ('inStats', p.in_stats_date, COALESCE(p.contract_investment, p.planned_investment)),
         ('producing', p.production_date, COALESCE(p.contract_investment, p.planned_investment))
       ) AS s(step, date, amount)
       ${OFFICER_JOIN}
       WHERE s.date BETWEEN $1::date AND $2::date AND ${where}
       ORDER BY s.date, p.name, p.project_id`,
      params,
    );
  }

  /**
   * 到位资金 dated in the period, per project, as the state holds each entry now (corrections
   * applied). The domain dates funds within their month (its last day, or the day of recording within
   * the month), so a month's form holds that month's funds and a week's those recorded in it; only
   * months the period touches can hold such entries, which the funds table finds.
   */
  funds(scope: FormScope, firstDay: IsoDate, lastDay: IsoDate): Promise<FundsRow[]> {
    const params: unknown[] = [firstDay, lastDay, monthOf(firstDay), monthOf(lastDay)];
    const where = this.where(scope, params);
    return this.dataSource.query<FundsRow[]>(
      `SELECT round(SUM((f->>'amount')::numeric), 2)::text AS amount, ${PROJECT_COLUMNS}
       FROM projects p
       CROSS JOIN LATERAL jsonb_array_elements(p.state->'fundsArrived') AS f
       JOIN events e ON e.project_id = p.project_id AND e.version = (f->>'version')::int
       CROSS JOIN LATERAL (SELECT ${BUSINESS_DATE} AS recorded) AS d
       ${OFFICER_JOIN}
       WHERE p.project_id IN (SELECT project_id FROM project_funds WHERE month BETWEEN $3 AND $4)
         AND f->>'month' BETWEEN $3 AND $4
         -- An entry whose month a correction moved counts on its new month's last day.
         AND (CASE WHEN left(d.recorded, 7) = f->>'month' THEN d.recorded
                   ELSE to_char(to_date(f->>'month', 'YYYY-MM') + interval '1 month' - interval '1 day', 'YYYY-MM-DD')
              END) BETWEEN $1 AND $2
         AND ${where}
       GROUP BY p.project_id, officer.name
       HAVING SUM((f->>'amount')::numeric) <> 0
       ORDER BY p.name, p.project_id`,
      params,
    );
  }

  /** 红灯项目 as they stand: one row per open alert (or one bare row), most escalated first. */
  redLights(scope: FormScope): Promise<RedLightRow[]> {
    const params: unknown[] = [];
    const where = this.where(scope, params);
    return this.dataSource.query<RedLightRow[]>(
      `SELECT ${PROJECT_COLUMNS}, a->>'deadlineId' AS deadline_id, a->>'rule' AS rule, a->>'step' AS step_code,
              a->>'dueDate' AS due_date, (a->>'rung')::int AS rung, a->'addressee'->>'label' AS addressed_to,
              COALESCE(p.state->'lights'->>(a->>'deadlineId'), a->>'light') AS alert_light
       FROM projects p
       LEFT JOIN LATERAL jsonb_array_elements(p.state->'alerts') AS a ON true
       ${OFFICER_JOIN}
       WHERE p.light = 'red' AND ${where}
       ORDER BY p.region, p.name, p.project_id,
                CASE COALESCE(p.state->'lights'->>(a->>'deadlineId'), a->>'light') WHEN 'red' THEN 0 ELSE 1 END,
                (a->>'rung')::int DESC, a->>'dueDate', a->>'deadlineId'`,
      params,
    );
  }

  /**
   * Open projects whose last activity a person recorded is on or before `cutoff`: dropped projects
   * and those in production and in the statistics have nothing left to report.
   */
  stale(scope: FormScope, cutoff: IsoDate): Promise<StaleRow[]> {
    const params: unknown[] = [cutoff];
    const where = this.where(scope, params);
    return this.dataSource.query<StaleRow[]>(
      `SELECT ${PROJECT_COLUMNS}, p.state->>'lastActivityDate' AS last_activity_date
       FROM projects p
       ${OFFICER_JOIN}
       WHERE p.stage <> 'dropped' AND NOT (p.stage = 'producing' AND p.in_stats_date IS NOT NULL)
         AND COALESCE(p.state->>'lastActivityDate', to_char(p.lead_date, 'YYYY-MM-DD')) <= $1
         AND ${where}
       ORDER BY COALESCE(p.state->>'lastActivityDate', to_char(p.lead_date, 'YYYY-MM-DD')), p.name, p.project_id`,
      params,
    );
  }
}
