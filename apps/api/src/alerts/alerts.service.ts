import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_POLICY, LIGHT_LABELS, type Actor } from '@app/domain';
import { currentPolicy } from '@app/persistence';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { AlertQueries, type AlertRow } from './alert.queries';
import type { AlertPageView, AlertView, ListAlertsQuery } from './dto/alert.dto';

/** Each user's inbox: the alerts and escalations the timers raised, addressed to them. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly queries: AlertQueries,
    private readonly dataSource: DataSource,
  ) {}

  async inbox(actor: Actor, query: ListAlertsQuery): Promise<AlertPageView> {
    const rows = await this.queries.inbox(actor, {
      status: query.status,
      open: query.open,
      projectId: query.projectId,
      before: query.cursor,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const labels = await this.ruleLabels();
    return {
      items: page.map((r) => toView(r, labels)),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
    };
  }

  /** Marks an alert read by the caller; acknowledging twice keeps the first time. */
  async acknowledge(actor: Actor, alertId: string, note: string | undefined): Promise<AlertView> {
    const alert = await this.find(actor, alertId);
    await this.queries.acknowledge(alert.id, actor, note ?? null);
    return this.find(actor, alertId);
  }

  private async find(actor: Actor, alertId: string): Promise<AlertView> {
    const row = /^\d{1,18}$/.test(alertId) ? await this.queries.find(actor, alertId) : undefined;
    if (!row) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}not-found`,
        title: 'No such alert in your inbox',
        status: HttpStatus.NOT_FOUND,
        detail: `alert ${alertId} is not addressed to you`,
      });
    }
    return toView(row, await this.ruleLabels());
  }

  /** What users read for each rule: the policy in force, and the default's for a rule it dropped. */
  private async ruleLabels(): Promise<Map<string, string>> {
    const { policy } = await currentPolicy(this.dataSource.manager);
    return new Map([...DEFAULT_POLICY.rules, ...policy.rules].map((r) => [r.id, r.label]));
  }
}

function toView(r: AlertRow, ruleLabels: Map<string, string>): AlertView {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: r.kind === 'alert' ? '预警' : '督办升级',
    projectId: r.project_id,
    projectName: r.project_name,
    region: r.region,
    deadlineId: r.deadline_id,
    rule: r.rule,
    ruleLabel: (r.rule && ruleLabels.get(r.rule)) ?? r.rule ?? r.deadline_id,
    step: r.step,
    light: { code: r.light, label: LIGHT_LABELS[r.light] },
    dueDate: r.due_date,
    rung: r.rung,
    addressee: r.addressee,
    raisedAt: r.created_at.toISOString(),
    open: r.open,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    note: r.note,
  };
}
