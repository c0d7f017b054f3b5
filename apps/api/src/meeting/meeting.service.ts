import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DEFAULT_POLICY,
  LIGHT_LABELS,
  narrowScope,
  readingScope,
  scopeCovers,
  shanghaiDate,
  STAGE_LABELS,
  type Actor,
  type Light,
  type StageCode,
} from '@app/domain';
import { currentPolicy } from '@app/persistence';
import { regionOutsideScope } from '../common/problem-details';
import type { AgendaReasonView, MeetingAgendaQuery, MeetingAgendaView } from './meeting.dto';
import { AGENDA_LIMIT, MeetingQueries, type AgendaReasonRow } from './meeting.queries';

const RUNG_LABELS: Record<number, string> = { 3: '分管领导', 4: '主要领导' };

@Injectable()
export class MeetingService {
  constructor(
    private readonly queries: MeetingQueries,
    private readonly dataSource: DataSource,
  ) {}

  /** The 调度会 list in the caller's regions (narrowed to `region` when asked), as of today. */
  async agenda(actor: Actor, query: MeetingAgendaQuery): Promise<MeetingAgendaView> {
    const scope = readingScope(actor);
    if (query.region !== undefined && !scopeCovers(scope, query.region))
      throw regionOutsideScope(query.region);
    const today = shanghaiDate(new Date().toISOString());
    const rows = await this.queries.agenda(query.region ? narrowScope(scope, query.region) : scope, today);
    const labels = await this.ruleLabels();
    return {
      asOf: today,
      truncated: rows.length > AGENDA_LIMIT,
      items: rows.slice(0, AGENDA_LIMIT).map((r) => ({
        projectId: r.project_id,
        name: r.name,
        region: r.region,
        stage: r.stage,
        stageLabel: STAGE_LABELS[r.stage as StageCode] ?? r.stage,
        light: r.light,
        lightLabel: LIGHT_LABELS[r.light as Light] ?? r.light,
        lastVisitDate: r.last_visit_date,
        reasons: withoutRepeats(r.reasons).map((reason) => reasonView(reason, labels)),
      })),
    };
  }

  /** What users read for each rule: the policy in force, and the default's for a rule it dropped. */
  private async ruleLabels(): Promise<Map<string, string>> {
    const { policy } = await currentPolicy(this.dataSource.manager);
    return new Map([...DEFAULT_POLICY.rules, ...policy.rules].map((r) => [r.id, r.label]));
  }
}

/**
 * A red deadline that is also escalated to rung 3 or 4, or an overdue blocker, is one reason,
 * marked red, so that the meeting reads each missed deadline once; an overdue blocker whose
 * deadline has also climbed to rung 3 or 4 is told as the blocker, which names what is stuck.
 */
function withoutRepeats(reasons: AgendaReasonRow[]): (AgendaReasonRow & { red?: boolean })[] {
  const told = new Set(reasons.filter((r) => r.kind !== 'red_light').map((r) => r.deadline_id));
  const red = new Set(reasons.filter((r) => r.kind === 'red_light').map((r) => r.deadline_id));
  const blocked = new Set(reasons.filter((r) => r.kind === 'blocker_overdue').map((r) => r.deadline_id));
  return reasons
    .filter((r) => r.kind !== 'red_light' || !told.has(r.deadline_id))
    .filter((r) => r.kind !== 'escalated' || !blocked.has(r.deadline_id))
    .map((r) =>
      r.kind !== 'red_light' && r.deadline_id !== null && red.has(r.deadline_id) ? { ...r, red: true } : r,
    );
}

/** A deadline as users read it: its rule's label ('blocker_due:B-1' is the blocker rule's). */
function deadlineLabel(deadlineId: string, labels: Map<string, string>): string {
  return labels.get(deadlineId) ?? labels.get(deadlineId.split(':')[0]) ?? deadlineId;
}

function reasonView(r: AgendaReasonRow & { red?: boolean }, labels: Map<string, string>): AgendaReasonView {
  const base = { dueDate: r.due_date, rung: r.rung, itemId: r.item_id, deadlineId: null };
  switch (r.kind) {
    case 'red_light':
      return {
        ...base,
        kind: r.kind,
        kindLabel: '红灯',
        detail: deadlineLabel(r.subject, labels),
        deadlineId: r.subject,
      };
    case 'escalated':
      return {
        ...base,
        kind: r.kind,
        kindLabel: `${r.red ? '红灯 · ' : ''}预警升级至第${r.rung}级(${RUNG_LABELS[r.rung ?? 0] ?? ''})`,
        detail: deadlineLabel(r.subject, labels),
        deadlineId: r.subject,
      };
    case 'unrectified':
      return {
        ...base,
        kind: r.kind,
        kindLabel: '督办未整改',
        detail: `${r.subject}(${r.opened_in} 回头看下发)`,
      };
    case 'blocker_overdue':
      return {
        ...base,
        kind: r.kind,
        kindLabel: `${r.red ? '红灯 · ' : ''}堵点逾期`,
        deadlineId: r.deadline_id,
        detail: r.department ? `${r.subject}(责任单位:${r.department})` : r.subject,
      };
  }
}
