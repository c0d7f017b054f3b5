import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/domain';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import type { AlertPageView, AlertView, ListAlertsQuery } from './dto/alert.dto';

interface AlertRow {
  id: string;
  kind: 'alert' | 'escalation';
  project_id: string;
  project_name: string;
  region: string;
  deadline_id: string;
  step: string | null;
  due_date: string | null;
  rung: number;
  addressee: Record<string, unknown>;
  created_at: Date;
  open: boolean;
  acknowledged_at: Date | null;
  note: string | null;
}

/**
 * Whether an alert is addressed to the caller ($1 user id, $2 role, $3 regions): to them by name, or
 * to their role in a region they cover (a city covers its counties, a province its cities).
 */
const ADDRESSED_TO_CALLER = `(
  o.addressee->>'id' = $1
  OR (o.addressee->>'id' IS NULL AND o.addressee->>'role' = $2 AND EXISTS (
    SELECT 1 FROM unnest($3::text[]) AS r(code)
    WHERE r.code = COALESCE(o.addressee->>'region', p.region)
       OR (r.code LIKE '__0000' AND left(COALESCE(o.addressee->>'region', p.region), 2) = left(r.code, 2))
       OR (r.code LIKE '____00' AND left(COALESCE(o.addressee->>'region', p.region), 4) = left(r.code, 4))
  ))
)`;

const SELECT_ALERTS = `
  SELECT o.id::text AS id, o.kind, o.project_id, p.name AS project_name, p.region, o.deadline_id,
         raised.data->>'step' AS step, raised.data->>'dueDate' AS due_date, o.rung, o.addressee, o.created_at,
         EXISTS (SELECT 1 FROM jsonb_array_elements(p.state->'alerts') AS x
                 WHERE x->>'deadlineId' = o.deadline_id) AS open,
         a.acknowledged_at, a.note
  FROM outbox o
  JOIN projects p ON p.project_id = o.project_id
  LEFT JOIN LATERAL (
    SELECT r.payload->'data' AS data FROM outbox r
    WHERE r.project_id = o.project_id AND r.deadline_id = o.deadline_id AND r.kind = 'alert' AND r.id <= o.id
    ORDER BY r.id DESC LIMIT 1
  ) raised ON true
  LEFT JOIN alert_acknowledgements a ON a.outbox_id = o.id AND a.user_id = $1`;

/** Each user's inbox: the alerts and escalations the timers raised, addressed to them. */
@Injectable()
export class AlertsService {
  constructor(private readonly dataSource: DataSource) {}

  async inbox(actor: Actor, query: ListAlertsQuery): Promise<AlertPageView> {
    const params: unknown[] = [actor.id, actor.role, actor.regions];
    const where = [ADDRESSED_TO_CALLER];
    if (query.status === 'acknowledged') where.push('a.acknowledged_at IS NOT NULL');
    if (query.status === 'unacknowledged') where.push('a.acknowledged_at IS NULL');
    if (query.open !== undefined) {
      params.push(query.open);
      where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(p.state->'alerts') AS x
                          WHERE x->>'deadlineId' = o.deadline_id) = $${params.length}`);
    }
    if (query.projectId) {
      params.push(query.projectId);
      where.push(`o.project_id = $${params.length}`);
    }
    if (query.cursor) {
      params.push(query.cursor);
      where.push(`o.id < $${params.length}::bigint`);
    }
    params.push(query.limit + 1);
    const rows = await this.dataSource.query<AlertRow[]>(
      `${SELECT_ALERTS} WHERE ${where.join(' AND ')} ORDER BY o.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toView),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
    };
  }

  /** Marks an alert read by the caller; acknowledging twice keeps the first time. */
  async acknowledge(actor: Actor, alertId: string, note: string | undefined): Promise<AlertView> {
    const alert = await this.find(actor, alertId);
    await this.dataSource.query(
      `INSERT INTO alert_acknowledgements (outbox_id, user_id, role, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (outbox_id, user_id) DO NOTHING`,
      [alert.id, actor.id, actor.role, note ?? null],
    );
    return this.find(actor, alertId);
  }

  private async find(actor: Actor, alertId: string): Promise<AlertView> {
    const [row] = /^\d{1,18}$/.test(alertId)
      ? await this.dataSource.query<AlertRow[]>(
          `${SELECT_ALERTS} WHERE ${ADDRESSED_TO_CALLER} AND o.id = $4::bigint`,
          [actor.id, actor.role, actor.regions, alertId],
        )
      : [];
    if (!row) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}not-found`,
        title: 'No such alert in your inbox',
        status: HttpStatus.NOT_FOUND,
        detail: `alert ${alertId} is not addressed to you`,
      });
    }
    return toView(row);
  }
}

function toView(r: AlertRow): AlertView {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: r.kind === 'alert' ? '预警' : '督办升级',
    projectId: r.project_id,
    projectName: r.project_name,
    region: r.region,
    deadlineId: r.deadline_id,
    step: r.step,
    dueDate: r.due_date,
    rung: r.rung,
    addressee: r.addressee,
    raisedAt: r.created_at.toISOString(),
    open: r.open,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    note: r.note,
  };
}
