import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  addDays,
  daysBetween,
  formatYuan,
  parseReportPeriod,
  parseYuan,
  readingScope,
  scopeCovers,
  shanghaiDate,
  type Actor,
  type ReportPeriodKind,
} from '@app/domain';
import { currentPolicy } from '@app/persistence';
import { regionOutsideScope } from '../common/problem-details';
import type {
  PeriodicProjectView,
  PeriodicReportView,
  ProgressGroupView,
  RedLightEntryView,
} from './periodic-report.dto';
import {
  PeriodicReportQueries,
  PROGRESS_STEPS,
  type FormScope,
  type ProjectColumns,
} from './periodic-report.queries';

/** 德清 asks staff to explain any project with no update in a month: the form lists those of 30 days. */
export const STALE_AFTER_DAYS = 30;

function project(row: ProjectColumns): PeriodicProjectView {
  return {
    projectId: row.project_id,
    name: row.name,
    region: row.region,
    investorName: row.investor_name,
    stage: row.stage,
    serviceOfficerId: row.service_officer_id,
    serviceOfficerName: row.service_officer_name,
  };
}

const sum = (amounts: string[]): string => formatYuan(amounts.reduce((total, a) => total + parseYuan(a), 0n));

/** The weekly and monthly forms (周报, 月报) bureaus hand in, from the read model. */
@Injectable()
export class PeriodicReportService {
  constructor(
    private readonly queries: PeriodicReportQueries,
    private readonly dataSource: DataSource,
  ) {}

  async report(
    kind: ReportPeriodKind,
    code: string,
    region: string | undefined,
    actor: Actor,
  ): Promise<PeriodicReportView> {
    if (region !== undefined && !scopeCovers(readingScope(actor), region)) throw regionOutsideScope(region);
    const period = parseReportPeriod(kind, code);
    const asOf = shanghaiDate(new Date().toISOString());
    const scope: FormScope = { actor, region: region ?? null };

    const [progressRows, fundsRows, redRows, staleRows, policy] = await Promise.all([
      this.queries.progress(scope, period.firstDay, period.lastDay),
      this.queries.funds(scope, period.firstDay, period.lastDay),
      this.queries.redLights(scope),
      this.queries.stale(scope, addDays(asOf, -STALE_AFTER_DAYS)),
      currentPolicy(this.dataSource.manager),
    ]);
    const ruleLabels = new Map(policy.policy.rules.map((r) => [r.id, r.label]));

    const progress = Object.fromEntries(
      PROGRESS_STEPS.map((step): [string, ProgressGroupView] => {
        const items = progressRows
          .filter((r) => r.step === step)
          .map((r) => ({ ...project(r), date: r.date, amount: r.amount }));
        return [step, { count: items.length, amount: sum(items.map((i) => i.amount)), items }];
      }),
    ) as unknown as PeriodicReportView['progress'];

    const fundsItems = fundsRows.map((r) => ({ ...project(r), amount: r.amount }));

    const redLights: RedLightEntryView[] = [];
    for (const row of redRows) {
      let entry = redLights[redLights.length - 1];
      if (entry?.projectId !== row.project_id) {
        entry = { ...project(row), reasons: [] };
        redLights.push(entry);
      }
      if (row.deadline_id === null) continue;
      entry.reasons.push({
        deadlineId: row.deadline_id,
        rule: row.rule ?? '',
        ruleLabel: ruleLabels.get(row.rule ?? '') ?? row.rule ?? '',
        step: row.step_code ?? '',
        dueDate: row.due_date ?? '',
        rung: row.rung ?? 0,
        addressedTo: row.addressed_to ?? '',
        light: row.alert_light ?? 'green',
      });
    }

    return {
      kind,
      period: period.code,
      label: period.label,
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      region: region ?? null,
      asOf,
      staleAfterDays: STALE_AFTER_DAYS,
      progress,
      funds: { total: sum(fundsItems.map((i) => i.amount)), items: fundsItems },
      redLights,
      stale: staleRows.map((r) => ({
        ...project(r),
        lastActivityDate: r.last_activity_date,
        daysWithoutUpdate: r.last_activity_date === null ? null : daysBetween(r.last_activity_date, asOf),
      })),
    };
  }
}
