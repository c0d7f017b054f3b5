import { SYSTEM_ACTOR } from './actor';
import { LIGHT_SEVERITY } from './alerts';
import type { BusinessCalendar } from './calendar';
import type { ProjectCommand } from './commands';
import { shanghaiDate } from './dates';
import { decide } from './decide';
import { deadlineCommands, openDeadlines, raiseAlertFor, type OpenDeadlines } from './deadlines';
import type { ProjectEvent } from './events';
import { evolve } from './evolve';
import type { ProjectPolicy } from './policy';
import type { ProjectState } from './state';

/**
 * Deadlines told as they fell due: a project whose steps are dated in the past gets each alert,
 * escalation and light change on the day it fell due (its business time that day), rung by rung on
 * the working-day calendar, instead of all at once on the day the history was entered. A past
 * quarter's 回头看 then sees the projects that were stalled in it.
 */

export interface DeadlineRules {
  policy: ProjectPolicy;
  calendar: BusinessCalendar;
}

/**
 * At most this many change points are walked in one catch-up: a deadline changes a handful of times
 * (yellow, overdue, red, each rung), so a decade of history stays far below; the cap keeps a
 * pathological policy from walking without end.
 */
export const MAX_CATCH_UP_CHANGE_POINTS = 5000;

export interface CatchUpOptions {
  /**
   * The state may already hold what happened later (a person's backdated entry on a running
   * project): then only raise, escalate and redden, never resolve an alert or lower a light, and
   * leave alone the deadlines anchored after the instant and the alerts raised after it.
   */
  monotone?: boolean;
  /** Also decide the timer commands at `fromIso` itself (else only after it). */
  includeFrom?: boolean;
  maxChangePoints?: number;
}

export interface CatchUp {
  events: ProjectEvent[];
  state: ProjectState;
  /** Change points walked. */
  changePoints: number;
  /** True when the cap stopped the walk before `toIso`. */
  truncated: boolean;
}

/** The timer commands due at an instant, each decided with that instant as `now`, and their events. */
export function timerEventsAt(
  state: ProjectState,
  rules: DeadlineRules,
  atIso: string,
  monotone = false,
): { events: ProjectEvent[]; state: ProjectState; nextChangeAt: string | null } {
  const open = openDeadlines(state, rules.policy, rules.calendar, atIso);
  const commands = monotone ? monotoneCommands(state, open, atIso) : deadlineCommands(state, open, atIso);
  const { events, state: s } = timerCommandsAt(state, commands, atIso);
  // The timers' events move no anchor or due date, so the next change is the one announced before them.
  return { events, state: s, nextChangeAt: open.nextChangeAt };
}

/**
 * Walks the project's deadlines from one instant to another over the change points openDeadlines
 * announces (nextChangeAt), deciding at each the timer commands due then, with it as `now`.
 */
export function catchUpDeadlines(
  state: ProjectState,
  rules: DeadlineRules,
  fromIso: string,
  toIso: string,
  options: CatchUpOptions = {},
): CatchUp {
  const cap = options.maxChangePoints ?? MAX_CATCH_UP_CHANGE_POINTS;
  const monotone = options.monotone ?? false;
  const to = Date.parse(toIso);
  let s = state;
  const events: ProjectEvent[] = [];
  let changePoints = 0;
  let next: string | null;
  if (options.includeFrom && Date.parse(fromIso) <= to) {
    const step = timerEventsAt(s, rules, fromIso, monotone);
    events.push(...step.events);
    s = step.state;
    changePoints++;
    next = step.nextChangeAt;
  } else {
    next = openDeadlines(s, rules.policy, rules.calendar, fromIso).nextChangeAt;
  }
  for (;;) {
    if (next === null || Date.parse(next) > to) return { events, state: s, changePoints, truncated: false };
    if (changePoints >= cap) return { events, state: s, changePoints, truncated: true };
    const step = timerEventsAt(s, rules, next, monotone);
    events.push(...step.events);
    s = step.state;
    changePoints++;
    next = step.nextChangeAt;
  }
}

/**
 * The timer commands of a past instant that only add what fell due then: raise, escalate and
 * redden, for deadlines anchored on or before it and alerts not raised after it.
 */
function monotoneCommands(state: ProjectState, open: OpenDeadlines, atIso: string): ProjectCommand[] {
  const today = shanghaiDate(atIso);
  const at = Date.parse(atIso);
  const out: ProjectCommand[] = [];
  for (const d of open.deadlines) {
    if (d.anchorDate > today) continue;
    const alert = state.alerts.find((a) => a.deadlineId === d.id);
    if (alert && raisedAfter(alert.raisedAt, at)) continue;
    if (d.overdue && !alert) {
      out.push(raiseAlertFor(d));
    } else if (d.overdue && alert && d.rung > alert.rung) {
      out.push({ type: 'Escalate', data: { deadlineId: d.id, rung: d.rung, addressee: d.addressee } });
    }
    const current = state.lights[d.id] ?? 'green';
    // Raising sets the alert's light itself; otherwise only a worse light is told.
    if ((!d.overdue || alert) && LIGHT_SEVERITY[d.light] > LIGHT_SEVERITY[current]) {
      out.push({ type: 'ChangeLight', data: { deadlineId: d.id, light: d.light } });
    }
  }
  return out;
}

function raisedAfter(raisedAt: string, at: number): boolean {
  const t = Date.parse(raisedAt.length === 10 ? `${raisedAt}T00:00:00+08:00` : raisedAt);
  return Number.isFinite(t) && t > at;
}

/**
 * The alerts a backdated entry ended, closed on the entry's own day: those the normal pass would
 * resolve now (their deadline is gone, or no longer overdue) that were raised on or before `atIso`,
 * with the lights of the deadlines gone turned green, each decided with `atIso` as `now`. An alert
 * raised after that instant is left to the normal pass.
 */
export function resolutionsAt(
  state: ProjectState,
  rules: DeadlineRules,
  atIso: string,
  nowIso: string,
): { events: ProjectEvent[]; state: ProjectState } {
  const open = openDeadlines(state, rules.policy, rules.calendar, nowIso);
  const gone = new Set(
    [...state.alerts.map((a) => a.deadlineId), ...Object.keys(state.lights)].filter(
      (id) => !open.deadlines.some((d) => d.id === id),
    ),
  );
  const at = Date.parse(atIso);
  const commands = deadlineCommands(state, open, nowIso).filter((c) => {
    if (c.type === 'ResolveAlert') {
      const alert = state.alerts.find((a) => a.deadlineId === c.data.deadlineId);
      return alert !== undefined && !raisedAfter(alert.raisedAt, at);
    }
    return c.type === 'ChangeLight' && c.data.light === 'green' && gone.has(c.data.deadlineId);
  });
  return timerCommandsAt(state, commands, atIso);
}

/** Timer commands decided in order at an instant, each on the state the previous one left. */
function timerCommandsAt(
  state: ProjectState,
  commands: ProjectCommand[],
  atIso: string,
): { events: ProjectEvent[]; state: ProjectState } {
  let s = state;
  const events: ProjectEvent[] = [];
  for (const command of commands) {
    const decision = decide(command, s, { actor: SYSTEM_ACTOR, now: atIso });
    if (decision.outcome !== 'accepted') continue;
    events.push(...decision.events);
    s = decision.events.reduce(evolve, s);
  }
  return { events, state: s };
}
