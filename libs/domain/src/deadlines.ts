import { SYSTEM_ACTOR } from './actor';
import {
  ADDRESSEE_LABELS,
  ADDRESSEE_ROLES,
  LIGHT_SEVERITY,
  type Addressee,
  type Light,
  type Rung,
} from './alerts';
import { spansUnannouncedYear, type BusinessCalendar } from './calendar';
import type { ProjectCommand } from './commands';
import { addDays, isIsoInstant, shanghaiDate, shanghaiStartOfDay, type IsoDate } from './dates';
import { decide } from './decide';
import { evolve } from './evolve';
import { parseYuan } from './money';
import { addDuration, policyForRegion, type DeadlineStep, type ProjectPolicy, type SlaRule } from './policy';
import { effectiveInvestment, extensionFor, type ProjectState } from './state';

export interface OpenDeadline {
  /** Stable: the rule id, plus ':' and the subject for per-subject rules ('blocker_due:B-1'). */
  id: string;
  rule: string;
  ruleLabel: string;
  step: DeadlineStep;
  /** The blocker id for blocker deadlines, else null. */
  subject: string | null;
  anchorDate: IsoDate;
  /** Due date after any extension; the step is overdue from the next day. */
  dueDate: IsoDate;
  /** Due date under the rule, before any extension. */
  ruleDueDate: IsoDate;
  extended: boolean;
  light: Light;
  /** 0 = not yet overdue; 1–4 the rung reached. */
  rung: Rung;
  /** Who the deadline is addressed to at this rung (rung 0: the officer it will go to first). */
  addressee: Addressee;
  /** The due date depends on a year whose holidays are not announced yet; it will be recomputed. */
  provisional: boolean;
  overdue: boolean;
  /** Calendar days past due (0 when not overdue). */
  daysOverdue: number;
  /** When this deadline next changes (light or rung), as an instant; null if it never will. */
  nextChangeAt: string | null;
}

export interface OpenDeadlines {
  deadlines: OpenDeadline[];
  /** The earliest nextChangeAt of all deadlines: how long a workflow may sleep. */
  nextChangeAt: string | null;
}

interface Candidate {
  rule: SlaRule;
  subject: string | null;
  anchorDate: IsoDate;
  /** Set when the due date is not computed from the rule's limit (blockers). */
  fixedDueDate?: IsoDate;
}

/**
 * The open deadlines of a project at an instant: due date, light, rung and addressee, and when the
 * next change happens. Pure: the same state, policy, calendar and instant give the same answer.
 * Dates are Asia/Shanghai business dates; a day's changes happen at its 00:00 (UTC+8).
 */
export function openDeadlines(
  state: ProjectState,
  policy: ProjectPolicy,
  calendar: BusinessCalendar,
  nowIso: string,
): OpenDeadlines {
  if (!state.exists || state.stage === null || state.stage === 'dropped' || !isIsoInstant(nowIso)) {
    return { deadlines: [], nextChangeAt: null };
  }
  const effective = policyForRegion(policy, state.region);
  const today = shanghaiDate(nowIso);
  const deadlines = candidates(state, effective).map((c) => evaluate(c, state, effective, calendar, today));
  const changes = deadlines.map((d) => d.nextChangeAt).filter((x): x is string => x !== null);
  return { deadlines, nextChangeAt: changes.length ? changes.reduce((a, b) => (a < b ? a : b)) : null };
}

function meetsMinimum(rule: SlaRule, state: ProjectState): boolean {
  if (rule.minInvestment === null) return true;
  const investment = effectiveInvestment(state);
  return investment !== null && parseYuan(investment) >= parseYuan(rule.minInvestment);
}

function candidates(state: ProjectState, policy: ProjectPolicy): Candidate[] {
  const out: Candidate[] = [];
  const notInStats = state.anomalies.find((a) => a.code === 'not_in_statistics');
  for (const rule of policy.rules) {
    if (!rule.enabled || !meetsMinimum(rule, state)) continue;
    const add = (anchorDate: IsoDate | null, subject: string | null = null, fixedDueDate?: IsoDate): void => {
      if (anchorDate) out.push({ rule, subject, anchorDate, ...(fixedDueDate ? { fixedDueDate } : {}) });
    };
    switch (rule.step) {
      case 'land':
        if (state.signedDate && !state.landedDate) add(state.signedDate);
        break;
      case 'start_construction':
        if (state.signedDate && !state.startedDate) add(state.signedDate);
        break;
      case 'assign_chief_officer':
        if (state.signedDate && !state.chiefServiceOfficerId) add(state.signedDate);
        break;
      case 'enter_statistics':
        if (state.inStatsDate) break;
        if (rule.from === 'production_without_statistics') add(notInStats?.since ?? null);
        else if (!notInStats) add(state.startedDate);
        break;
      case 'start_production':
        if (!state.productionDate) add(state.plannedProductionDate);
        break;
      case 'follow_up_lead':
        if (state.stage === 'lead') add(state.lastActivityDate ?? state.leadDate);
        break;
      case 'follow_up_talks':
        if (state.stage === 'negotiating') add(state.lastActivityDate ?? state.talksDate);
        break;
      case 'resolve_blocker':
        for (const b of state.openBlockers) add(b.raisedDate, b.blockerId, b.dueDate);
        break;
      default: {
        const _exhaustive: never = rule.step;
        void _exhaustive;
      }
    }
  }
  return out;
}

function evaluate(
  c: Candidate,
  state: ProjectState,
  policy: ProjectPolicy,
  calendar: BusinessCalendar,
  today: IsoDate,
): OpenDeadline {
  const { rule } = c;
  const id = c.subject === null ? rule.id : `${rule.id}:${c.subject}`;
  const ruleDueDate = c.fixedDueDate ?? addDuration(c.anchorDate, rule.limit, calendar);
  const extension = extensionFor(state, id);
  const extended = extension !== null && extension.newDueDate > ruleDueDate;
  const dueDate = extended ? extension.newDueDate : ruleDueDate;
  const provisional =
    c.fixedDueDate === undefined &&
    rule.limit.unit === 'working_day' &&
    spansUnannouncedYear(calendar, c.anchorDate, dueDate);

  // The ladder counts from the first overdue day, when the officer is alerted: rung k starts its
  // `after` past rung k-1 ("unresolved after 5 working days, escalate"), so escalations fall on
  // working days even when the alert fell on a weekend.
  const overdueFrom = addDays(dueDate, 1);
  const ladder = rule.escalates ? policy.escalation : policy.escalation.slice(0, 1);
  const rungStarts: { rung: Rung; from: IsoDate }[] = [];
  let ladderFrom = overdueFrom;
  for (const r of ladder) {
    ladderFrom = addDuration(ladderFrom, r.after, calendar);
    rungStarts.push({ rung: r.rung, from: ladderFrom });
  }
  let rung: Rung = 0;
  for (const r of rungStarts) if (today >= r.from) rung = r.rung;
  const overdue = today >= overdueFrom;

  const yellowFrom = rule.light.yellowWithin
    ? addDuration(dueDate, rule.light.yellowWithin, calendar, -1)
    : overdueFrom;
  const redByAge = rule.light.redAfter
    ? addDays(addDuration(dueDate, rule.light.redAfter, calendar), 1)
    : null;
  const redByRung = rungStarts.find((r) => r.rung === policy.redFromRung)?.from ?? null;
  const redFrom = [redByAge, redByRung].filter((d): d is IsoDate => d !== null).sort()[0] ?? null;
  const light: Light =
    redFrom !== null && today >= redFrom ? 'red' : today >= yellowFrom ? 'yellow' : 'green';

  const upcoming = [yellowFrom, overdueFrom, redFrom, ...rungStarts.map((r) => r.from)]
    .filter((d): d is IsoDate => d !== null && d > today)
    .sort();
  const nextChangeAt = upcoming.length ? shanghaiStartOfDay(upcoming[0]) : null;

  return {
    id,
    rule: rule.id,
    ruleLabel: rule.label,
    step: rule.step,
    subject: c.subject,
    anchorDate: c.anchorDate,
    dueDate,
    ruleDueDate,
    extended,
    light,
    rung,
    addressee: addresseeFor(state, policy, rung === 0 ? 1 : rung),
    provisional,
    overdue,
    daysOverdue: overdue ? daysFrom(dueDate, today) : 0,
    nextChangeAt,
  };
}

/**
 * Calendar days an overdue deadline is past due on `today`: the one figure of a deadline that moves
 * on every day without a change of light or rung, so a reader of a watcher's deadlines counts it on
 * their own day.
 */
export function daysOverdueOn(deadline: Pick<OpenDeadline, 'overdue' | 'dueDate'>, today: IsoDate): number {
  return deadline.overdue ? Math.max(0, daysFrom(deadline.dueDate, today)) : 0;
}

function daysFrom(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Who a rung is addressed to for this project, with the rung's fallback where the project has no one. */
export function addresseeFor(state: ProjectState, policy: ProjectPolicy, rung: Exclude<Rung, 0>): Addressee {
  const r = policy.escalation.find((x) => x.rung === rung) ?? policy.escalation[policy.escalation.length - 1];
  let kind = r.addressee;
  if (kind === 'chief_service_officer' && !state.chiefServiceOfficerId && r.fallback) kind = r.fallback;
  if (kind === 'service_officer' && !state.serviceOfficerId && r.fallback) kind = r.fallback;
  const id =
    kind === 'service_officer'
      ? state.serviceOfficerId
      : kind === 'chief_service_officer'
        ? state.chiefServiceOfficerId
        : null;
  const addressee: Addressee = { kind, role: ADDRESSEE_ROLES[kind], label: ADDRESSEE_LABELS[kind] };
  if (id) addressee.id = id;
  if (state.region) addressee.region = state.region;
  if (r.bulletin) addressee.bulletin = true;
  return addressee;
}

/** The alert of a deadline newly overdue: at the rung it stands on, the first at least. */
export function raiseAlertFor(d: OpenDeadline): ProjectCommand {
  return {
    type: 'RaiseAlert',
    data: {
      deadlineId: d.id,
      rule: d.rule,
      step: d.step,
      dueDate: d.dueDate,
      rung: d.rung === 0 ? 1 : d.rung,
      addressee: d.addressee,
      light: d.light,
    },
  };
}

/**
 * The timer commands that bring a project's alerts and lights in line with its open deadlines:
 * raise an alert for a newly overdue step, escalate it as rungs pass, change lights, and resolve
 * alerts whose step is done or no longer overdue. Each command is checked against the state as the
 * previous ones leave it, so the whole list is accepted in order.
 */
export function deadlineCommands(
  state: ProjectState,
  result: OpenDeadlines,
  nowIso: string,
): ProjectCommand[] {
  const wanted: ProjectCommand[] = [];
  const ids = new Set(result.deadlines.map((d) => d.id));
  for (const alert of state.alerts) {
    if (!ids.has(alert.deadlineId)) {
      wanted.push({ type: 'ResolveAlert', data: { deadlineId: alert.deadlineId, resolution: 'met' } });
    }
  }
  for (const deadlineId of Object.keys(state.lights)) {
    if (!ids.has(deadlineId)) wanted.push({ type: 'ChangeLight', data: { deadlineId, light: 'green' } });
  }
  for (const d of result.deadlines) {
    const alert = state.alerts.find((a) => a.deadlineId === d.id);
    if (d.overdue && !alert) {
      wanted.push(raiseAlertFor(d));
      continue;
    }
    if (d.overdue && alert && d.rung > alert.rung) {
      wanted.push({ type: 'Escalate', data: { deadlineId: d.id, rung: d.rung, addressee: d.addressee } });
    }
    if (!d.overdue && alert) {
      wanted.push({
        type: 'ResolveAlert',
        data: { deadlineId: d.id, resolution: d.extended ? 'extended' : 'met' },
      });
    }
    const current = state.lights[d.id] ?? 'green';
    if (LIGHT_SEVERITY[current] !== LIGHT_SEVERITY[d.light]) {
      wanted.push({ type: 'ChangeLight', data: { deadlineId: d.id, light: d.light } });
    }
  }
  const accepted: ProjectCommand[] = [];
  let s = state;
  for (const command of wanted) {
    const decision = decide(command, s, { actor: SYSTEM_ACTOR, now: nowIso });
    if (decision.outcome !== 'accepted') continue;
    accepted.push(command);
    s = decision.events.reduce(evolve, s);
  }
  return accepted;
}
