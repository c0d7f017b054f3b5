import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { positionalParameters, scopeSql, type IsoDate, type RegionScope } from '@app/domain';
import type { AgendaReasonKind } from './meeting.dto';

export interface AgendaReasonRow {
  kind: AgendaReasonKind;
  /** A deadline id or rule id (red lights, escalations), a 督办 rule label, a blocker's description. */
  subject: string;
  department: string | null;
  due_date: string | null;
  rung: number | null;
  item_id: string | null;
  opened_in: string | null;
  /** The deadline it is about: a red light's, an escalation's, an overdue blocker's (blocker_due:…). */
  deadline_id: string | null;
}

export interface AgendaRow {
  project_id: string;
  name: string;
  region: string;
  stage: string;
  light: string;
  last_visit_date: string | null;
  reasons: AgendaReasonRow[];
}

/** How many projects the list holds at most: a meeting discusses dozens, not thousands. */
export const AGENDA_LIMIT = 300;

/** The 调度会 list, read from the projects read model and the 督办 items in one statement. */
@Injectable()
export class MeetingQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The projects in `scope` that a meeting should discuss, each with every reason it is listed;
   * the gravest first (red, then the highest rung), at most AGENDA_LIMIT + 1 to tell truncation.
   */
  agenda(scope: RegionScope, today: IsoDate): Promise<AgendaRow[]> {
    const params: unknown[] = [];
    const bind = positionalParameters(params);
    const inScope = scopeSql(scope, 'p.region', bind);
    const day = bind(today);
    const limit = bind(AGENDA_LIMIT + 1);
    return this.dataSource.query<AgendaRow[]>(
      `WITH scoped AS (
         SELECT p.project_id, p.name, p.region, p.stage, p.light, p.state
         FROM projects p WHERE ${inScope} AND p.stage <> 'dropped'
       ), reasons AS (
         SELECT s.project_id, 'red_light' AS kind, l.key AS subject, NULL::text AS department,
                NULL::text AS due_date, NULL::int AS rung, NULL::text AS item_id, NULL::text AS opened_in,
                l.key AS deadline_id, 4 AS weight
         FROM scoped s, jsonb_each_text(s.state->'lights') l
         WHERE s.light = 'red' AND l.value = 'red'
         UNION ALL
         SELECT s.project_id, 'escalated', a->>'deadlineId', NULL, a->>'dueDate', (a->>'rung')::int, NULL, NULL,
                a->>'deadlineId', (a->>'rung')::int
         FROM scoped s, jsonb_array_elements(s.state->'alerts') a
         WHERE (a->>'rung')::int >= 3
         UNION ALL
         SELECT i.project_id, 'unrectified', i.rule_label, NULL, to_char(i.due_date, 'YYYY-MM-DD'), i.rung,
                i.item_id::text, i.opened_in, NULL, i.rung
         FROM supervision_items i JOIN scoped s ON s.project_id = i.project_id
         WHERE i.unrectified AND i.status <> 'closed'
         UNION ALL
         SELECT s.project_id, 'blocker_overdue', b->>'description', b->>'responsibleDepartment', b->>'dueDate',
                NULL, NULL, NULL, 'blocker_due:' || (b->>'blockerId'), 2
         FROM scoped s, jsonb_array_elements(s.state->'openBlockers') b
         WHERE (b->>'dueDate') < ${day}
       )
       SELECT s.project_id, s.name, s.region, s.stage, s.light, s.state->>'lastVisitDate' AS last_visit_date,
              json_agg(json_build_object('kind', r.kind, 'subject', r.subject, 'department', r.department,
                                         'due_date', r.due_date, 'rung', r.rung, 'item_id', r.item_id,
                                         'opened_in', r.opened_in, 'deadline_id', r.deadline_id)
                       ORDER BY r.weight DESC, r.kind, r.subject) AS reasons
       FROM reasons r JOIN scoped s ON s.project_id = r.project_id
       GROUP BY s.project_id, s.name, s.region, s.stage, s.light, s.state->>'lastVisitDate'
       ORDER BY (s.light = 'red') DESC, max(r.weight) DESC, s.region, s.name, s.project_id
       LIMIT ${limit}`,
      params,
    );
  }
}
