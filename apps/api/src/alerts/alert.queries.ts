import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  actingScope,
  positionalParameters,
  scopeSql,
  type Actor,
  type AlertAcknowledgement,
  type Light,
} from '@app/domain';

/** An acknowledgement with the version of the alert event it acknowledges. */
export type ProjectAcknowledgementRow = AlertAcknowledgement & { version: number };

export interface AlertRow {
  id: string;
  kind: 'alert' | 'escalation';
  project_id: string;
  project_name: string;
  region: string;
  deadline_id: string;
  rule: string | null;
  step: string | null;
  light: Light;
  due_date: string | null;
  rung: number;
  addressee: Record<string, unknown>;
  created_at: Date;
  open: boolean;
  acknowledged_at: Date | null;
  note: string | null;
}

/** What the inbox may be narrowed to. */
export interface InboxFilter {
  status?: 'all' | 'acknowledged' | 'unacknowledged';
  open?: boolean;
  projectId?: string;
  /** Alerts older than this outbox id. */
  before?: string;
  limit: number;
}

/** The region an alert is addressed in: its addressee's, or else its project's. */
const ADDRESSEE_REGION = `COALESCE(o.addressee->>'region', p.region)`;

/** The caller's own rows, $1 being the caller's user id (their acknowledgements join on it). */
const SELECT_ALERTS = `
  SELECT o.id::text AS id, o.kind, o.project_id, p.name AS project_name, p.region, o.deadline_id,
         raised.data->>'rule' AS rule, raised.data->>'step' AS step,
         COALESCE(p.state->'lights'->>o.deadline_id, 'green') AS light, raised.data->>'dueDate' AS due_date, o.rung, o.addressee, o.created_at,
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

/**
 * Whether an alert is addressed to the caller: to them by name, or to their role in a region where
 * they act (a city covers its counties, a province its cities), the domain's scope as SQL. Starts
 * the statement's parameters with the caller's id, which SELECT_ALERTS takes as $1.
 */
function addressedTo(actor: Actor, params: unknown[]): string {
  const bind = positionalParameters(params);
  const id = bind(actor.id);
  return `(
  o.addressee->>'id' = ${id}
  OR (o.addressee->>'id' IS NULL AND o.addressee->>'role' = ${bind(actor.role)}
      AND ${scopeSql(actingScope(actor), ADDRESSEE_REGION, bind)})
)`;
}

/** The alerts inbox: the outbox's alerts and escalations with each user's acknowledgements. */
@Injectable()
export class AlertQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The caller's alerts, newest first: at most `limit` rows. */
  inbox(actor: Actor, filter: InboxFilter): Promise<AlertRow[]> {
    const params: unknown[] = [];
    const where = [addressedTo(actor, params)];
    if (filter.status === 'acknowledged') where.push('a.acknowledged_at IS NOT NULL');
    if (filter.status === 'unacknowledged') where.push('a.acknowledged_at IS NULL');
    if (filter.open !== undefined) {
      params.push(filter.open);
      where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(p.state->'alerts') AS x
                          WHERE x->>'deadlineId' = o.deadline_id) = $${params.length}`);
    }
    if (filter.projectId) {
      params.push(filter.projectId);
      where.push(`o.project_id = $${params.length}`);
    }
    if (filter.before) {
      params.push(filter.before);
      where.push(`o.id < $${params.length}::bigint`);
    }
    params.push(filter.limit);
    return this.dataSource.query<AlertRow[]>(
      `${SELECT_ALERTS} WHERE ${where.join(' AND ')} ORDER BY o.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** One alert of the caller's inbox, by its outbox id (digits only). */
  async find(actor: Actor, alertId: string): Promise<AlertRow | undefined> {
    const params: unknown[] = [];
    const addressed = addressedTo(actor, params);
    params.push(alertId);
    const [row] = await this.dataSource.query<AlertRow[]>(
      `${SELECT_ALERTS} WHERE ${addressed} AND o.id = $${params.length}::bigint`,
      params,
    );
    return row;
  }

  /**
   * A project's acknowledgements, oldest first, each with the version of the alert event it
   * acknowledges: they live beside the events (alert_acknowledgements, by outbox row), not in them.
   */
  acknowledgementsOf(projectId: string): Promise<ProjectAcknowledgementRow[]> {
    return this.dataSource.query<ProjectAcknowledgementRow[]>(
      `SELECT a.user_id AS "userId", a.note, o.deadline_id AS "deadlineId", o.rung, e.version,
              to_char(a.acknowledged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "acknowledgedAt"
       FROM alert_acknowledgements a
       JOIN outbox o ON o.id = a.outbox_id
       JOIN events e ON e.event_id = o.event_id
       WHERE o.project_id = $1
       ORDER BY a.acknowledged_at, o.id, a.user_id`,
      [projectId],
    );
  }

  /** Records that the user saw the alert; a second acknowledgement keeps the first. */
  async acknowledge(alertId: string, actor: Actor, note: string | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO alert_acknowledgements (outbox_id, user_id, role, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (outbox_id, user_id) DO NOTHING`,
      [alertId, actor.id, actor.role, note],
    );
  }
}
