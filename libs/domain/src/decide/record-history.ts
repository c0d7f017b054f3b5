import { catchUpDeadlines, timerEventsAt } from '../catch-up';
import type { EventCorrection, ProjectCommand } from '../commands';
import { isIsoDate, isIsoMonth, lastDayOfMonth, minDate, shanghaiStartOfDay, type IsoDate } from '../dates';
import { decide } from '../decide';
import { accepted, refused, type Decision, type DecisionInput } from '../decision';
import { checkDuplicateConfirmation } from '../duplicates';
import { makeEvent, type ProjectEvent } from '../events';
import { evolve } from '../evolve';
import { normaliseEvidence, normaliseInvestor, normaliseSite } from '../field-checks';
import {
  HISTORY_STEP_TYPES,
  type HistoryStep,
  type HistoryStepType,
  type RecordHistoryData,
} from '../history';
import { normaliseYuan } from '../money';
import { refusal, type Refusal } from '../refusals';
import type { ProjectState } from '../state';
import { checkOptionalText, checkText, isRecord, optionalText } from '../validation';
import { duplicateConfirmed } from './stage-transitions';

/**
 * RecordHistory: a ledger row's project recorded in one command, decided step by step by the
 * commands' own handlers, in date order, with the deadlines that fell due between the steps told on
 * their own days. Imported again, the row becomes the corrections of what changed and the steps it
 * adds; the same row again is refused as unchanged.
 */

/** More steps than any ledger row holds: the bound keeps a malformed command from running long. */
export const MAX_HISTORY_STEPS = 500;

/** The field of each step that dates it (for funds, the month). */
const DATE_FIELD: Record<HistoryStepType, string> = {
  StartTalks: 'talksDate',
  Sign: 'contractDate',
  Land: 'landedDate',
  StartConstruction: 'startDate',
  EnterStatistics: 'inStatsDate',
  StartProduction: 'productionDate',
  RecordFundsArrived: 'month',
  LogServiceVisit: 'visitDate',
  RaiseBlocker: 'raisedDate',
  ResolveBlocker: 'resolvedDate',
  Drop: 'droppedDate',
};

/** Ties of date go in lifecycle order (HISTORY_STEP_TYPES lists the steps so). */
const LIFECYCLE_RANK = new Map(HISTORY_STEP_TYPES.map((type, i) => [type, i]));

interface IndexedStep {
  /** Position in the steps array as sent: the refusals name it. */
  index: number;
  step: HistoryStep;
  date: IsoDate;
}

export function recordHistory(d: RecordHistoryData, input: DecisionInput): Decision {
  const shapeProblem = checkShape(d, input.state);
  if (shapeProblem) return refused(shapeProblem);
  const steps = datedSteps(d.steps, input.today);
  const dateProblem = steps.problem;
  if (dateProblem) return refused(dateProblem);
  return input.state.exists ? reimport(d, steps.steps, input) : firstImport(d, steps.steps, input);
}

function checkShape(d: RecordHistoryData, state: ProjectState): Refusal | null {
  if (!isRecord(d.lead)) return refusal('REQUIRED', 'data.lead');
  if (!Array.isArray(d.steps)) return refusal('REQUIRED', 'data.steps');
  if (d.steps.length > MAX_HISTORY_STEPS) return refusal('HISTORY_TOO_LONG', 'data.steps');
  const source: unknown = d.source;
  if (!isRecord(source)) return refusal('REQUIRED', 'data.source');
  for (const key of ['importId', 'fileName', 'fileSha256', 'key', 'rowHash'] as const) {
    const problem = checkText(source[key], `data.source.${key}`);
    if (problem) return problem;
  }
  const sheetProblem = checkOptionalText(source.sheet, 'data.source.sheet');
  if (sheetProblem) return sheetProblem;
  if (!Number.isInteger(source.row) || (source.row as number) < 1)
    return refusal('INVALID_VALUE', 'data.source.row');
  for (let i = 0; i < d.steps.length; i++) {
    const step: unknown = d.steps[i];
    if (!isRecord(step) || !HISTORY_STEP_TYPES.includes(step.type as HistoryStepType))
      return refusal('HISTORY_STEP_UNKNOWN', `data.steps[${i}].type`);
    if (!isRecord(step.data)) return refusal('REQUIRED', `data.steps[${i}].data`);
  }
  const projectId = state.exists ? state.projectId : (d.lead.projectId ?? null);
  return checkDuplicateConfirmation(
    d.duplicateConfirmation,
    'data.duplicateConfirmation',
    typeof projectId === 'string' ? projectId : null,
  );
}

/** Each step with its business date, in the order they are decided; a malformed date is refused. */
function datedSteps(steps: HistoryStep[], today: IsoDate): { steps: IndexedStep[]; problem: Refusal | null } {
  const out: IndexedStep[] = [];
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    const field = DATE_FIELD[step.type];
    const value = (step.data as unknown as Record<string, unknown>)[field];
    let date: IsoDate;
    if (step.type === 'RecordFundsArrived') {
      if (!isIsoMonth(value))
        return { steps: [], problem: refusal('INVALID_MONTH', stepField(index, field)) };
      // Funds are counted by month and known by its end: the handler dates them on its last day.
      date = minDate(lastDayOfMonth(value), today)!;
    } else if (
      value === undefined &&
      (step.type === 'RaiseBlocker' || step.type === 'ResolveBlocker' || step.type === 'Drop')
    ) {
      date = today;
    } else if (!isIsoDate(value)) {
      return { steps: [], problem: refusal('INVALID_DATE', stepField(index, field)) };
    } else {
      date = value;
    }
    out.push({ index, step, date });
  }
  const order = stageOrderProblem(out);
  if (order) return { steps: [], problem: order };
  out.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      LIFECYCLE_RANK.get(a.step.type)! - LIFECYCLE_RANK.get(b.step.type)! ||
      a.index - b.index,
  );
  return { steps: out, problem: null };
}

/**
 * A later stage dated before an earlier one is told on the later one's date, as the handlers tell a
 * date before the previous stage (decided in date order, it would read as "not signed yet").
 */
function stageOrderProblem(steps: IndexedStep[]): Refusal | null {
  const first = (type: HistoryStepType) => steps.find((s) => s.step.type === type);
  // 入统 and 投产 both follow 开工, in either order.
  const chain: HistoryStepType[] = ['StartTalks', 'Sign', 'Land', 'StartConstruction'];
  let previous: IndexedStep | undefined;
  for (const type of [...chain, 'EnterStatistics', 'StartProduction'] as HistoryStepType[]) {
    const s = first(type);
    if (!s) continue;
    if (previous && s.date < previous.date)
      return refusal('DATE_BEFORE_PREVIOUS_STAGE', stepField(s.index, DATE_FIELD[s.step.type]), {
        zh: `日期不能早于上一阶段的日期(${previous.date})`,
        en: `the date cannot be earlier than the previous stage's date (${previous.date})`,
      });
    if (chain.includes(type)) previous = s;
  }
  return null;
}

function stepField(index: number, field: string): string {
  return `data.steps[${index}].data.${field}`;
}

/** A refusal of a step's own command, its field named as the step sits in the command as sent. */
function forStep(r: Refusal, s: IndexedStep): Refusal {
  const field = r.field?.startsWith('data.')
    ? `data.steps[${s.index}].${r.field}`
    : stepField(s.index, DATE_FIELD[s.step.type]);
  return { ...r, field };
}

function forLead(r: Refusal): Refusal {
  return { ...r, field: r.field?.startsWith('data.') ? `data.lead.${r.field.slice(5)}` : 'data.lead' };
}

function historyImported(d: RecordHistoryData, now: string): ProjectEvent {
  const s = d.source;
  return makeEvent('HistoryImported', now, {
    importId: s.importId.trim(),
    fileName: s.fileName.trim(),
    fileSha256: s.fileSha256.trim(),
    sheet: optionalText(s.sheet),
    row: s.row,
    key: s.key.trim(),
    rowHash: s.rowHash.trim(),
  });
}

/** The events so far and the state they leave. */
class Recorder {
  readonly events: ProjectEvent[] = [];
  constructor(public state: ProjectState) {}
  add(events: ProjectEvent[]): void {
    for (const event of events) {
      this.events.push(event);
      this.state = evolve(this.state, event);
    }
  }
}

function firstImport(d: RecordHistoryData, steps: IndexedStep[], input: DecisionInput): Decision {
  const { context, now } = input;
  const rules = context.deadlineRules;
  const out = new Recorder(input.state);
  out.add([historyImported(d, now)]);
  const lead = decide(
    { type: 'RegisterLead', data: { ...d.lead, duplicateConfirmation: null } },
    out.state,
    context,
  );
  if (lead.outcome === 'refused') return refused(forLead(lead.refusal));
  out.add(lead.events);
  out.add(duplicateConfirmed(d.duplicateConfirmation, 'import', now));
  let at = shanghaiStartOfDay(out.state.leadDate!);
  for (const s of steps) {
    const stepAt = shanghaiStartOfDay(s.date);
    // What fell due up to the step's day comes before it: the live watcher would have told it at
    // that day's 00:00, before anyone recorded the step.
    if (rules && stepAt > at) out.add(catchUpDeadlines(out.state, rules, at, stepAt).events);
    const decision = decide(s.step, out.state, context);
    if (decision.outcome === 'refused') return refused(forStep(decision.refusal, s));
    out.add(decision.events);
    // The alerts the step resolves and the lights it changes, on its own day.
    if (rules) out.add(timerEventsAt(out.state, rules, stepAt).events);
    if (stepAt > at) at = stepAt;
  }
  if (rules) out.add(catchUpDeadlines(out.state, rules, at, now).events);
  return accepted(...out.events);
}

/** How a recorded stage compares with a step of the row: the event it corrects and its fields. */
interface StageFields {
  eventType: Exclude<EventCorrection['eventType'], 'FundsArrivedRecorded' | 'ProductionStarted'>;
  version: (s: ProjectState) => number | undefined;
  /** Command field → its value in the state, and how the handler normalises the command's value. */
  fields: Record<string, { state: (s: ProjectState) => unknown; normalise?: (v: never) => unknown }>;
}

const text = (v: string): string => v.trim();
const STAGES: Partial<Record<HistoryStepType, StageFields>> = {
  StartTalks: {
    eventType: 'TalksStarted',
    version: (s) => s.stageVersions.talks,
    fields: {
      talksDate: { state: (s) => s.talksDate },
      leadingOfficial: { state: (s) => s.leadingOfficial, normalise: optionalText },
    },
  },
  Sign: {
    eventType: 'ProjectSigned',
    version: (s) => s.stageVersions.signed,
    fields: {
      contractDate: { state: (s) => s.signedDate },
      contractInvestment: { state: (s) => s.contractInvestment, normalise: normaliseYuan },
      contractNumber: { state: (s) => s.contractNumber, normalise: text },
      signingBatchId: { state: (s) => s.signingBatchId, normalise: optionalText },
      plannedProductionDate: {
        state: (s) => s.plannedProductionDate,
        normalise: (v: string | null) => v ?? null,
      },
    },
  },
  Land: {
    eventType: 'ProjectLanded',
    version: (s) => s.stageVersions.landed,
    fields: {
      creditCode: { state: (s) => s.creditCode, normalise: (v: string) => v.trim().toUpperCase() },
      companyName: { state: (s) => s.companyName, normalise: optionalText },
      landedDate: { state: (s) => s.landedDate },
      site: { state: (s) => s.site, normalise: normaliseSite },
    },
  },
  StartConstruction: {
    eventType: 'ConstructionStarted',
    version: (s) => s.stageVersions.started,
    fields: {
      startDate: { state: (s) => s.startedDate },
      evidence: { state: (s) => s.constructionEvidence, normalise: normaliseEvidence },
    },
  },
  EnterStatistics: {
    eventType: 'StatisticsEntered',
    version: (s) => s.stageVersions.in_stats,
    fields: {
      statisticsCode: { state: (s) => s.statisticsCode, normalise: text },
      inStatsDate: { state: (s) => s.inStatsDate },
    },
  },
};

const LEAD_FIELDS: Record<
  string,
  { state: (s: ProjectState) => unknown; normalise?: (v: never) => unknown }
> = {
  name: { state: (s) => s.name, normalise: text },
  investor: { state: (s) => s.investor, normalise: normaliseInvestor },
  industryChain: { state: (s) => s.industryChain, normalise: text },
  region: { state: (s) => s.region },
  park: { state: (s) => s.park, normalise: optionalText },
  industrial: { state: (s) => s.industrial },
  plannedInvestment: { state: (s) => s.plannedInvestment, normalise: normaliseYuan },
  source: { state: (s) => s.source, normalise: text },
  leadDate: { state: (s) => s.leadDate },
};

/** The fields of `data` that differ from the state's, as a correction writes them. */
function changedFields(
  data: Record<string, unknown>,
  fields: StageFields['fields'],
  state: ProjectState,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(fields)) {
    const value = data[key];
    // A value the row does not give is not a change: the importer gives every column it has.
    if (value === undefined) continue;
    let normalised: unknown = value;
    try {
      normalised = f.normalise ? f.normalise(value as never) : value;
    } catch {
      // Malformed: the correction's own checks refuse it.
    }
    if (JSON.stringify(normalised ?? null) !== JSON.stringify(f.state(state) ?? null)) changes[key] = value;
  }
  return changes;
}

/** A correction, and where to put its refusal. */
interface PlannedCorrection {
  command: ProjectCommand;
  field: (key: string) => string;
}

function reimport(d: RecordHistoryData, steps: IndexedStep[], input: DecisionInput): Decision {
  const { state, context, now } = input;
  if (state.importKey !== d.source.key.trim())
    return refused(refusal('HISTORY_KEY_MISMATCH', 'data.source.key'));
  if (state.importedRowHash === d.source.rowHash.trim())
    return refused(refusal('HISTORY_UNCHANGED', 'data.source.rowHash'));
  if (typeof d.lead.projectId === 'string' && d.lead.projectId.trim() !== state.projectId)
    return refused(refusal('HISTORY_KEY_MISMATCH', 'data.lead.projectId'));
  if (state.stage === 'dropped') return refused(refusal('PROJECT_DROPPED'));

  const reason = `台账重新导入:《${d.source.fileName.trim()}》第 ${d.source.row} 行`;
  const corrections: PlannedCorrection[] = [];
  const fresh: IndexedStep[] = [];

  const leadChanges = changedFields(d.lead as unknown as Record<string, unknown>, LEAD_FIELDS, state);
  if (Object.keys(leadChanges).length > 0 && state.stageVersions.lead !== undefined) {
    corrections.push({
      command: {
        type: 'CorrectEvent',
        data: {
          correctsVersion: state.stageVersions.lead,
          reason,
          changes: { eventType: 'LeadRegistered', ...leadChanges },
        },
      },
      field: (key) => `data.lead.${key}`,
    });
  }

  const seen = new Set<HistoryStepType>();
  const fundsMonths = new Set<string>();
  for (const s of steps) {
    const data = s.step.data as unknown as Record<string, unknown>;
    const stage = STAGES[s.step.type];
    if (stage) {
      const version = stage.version(state);
      if (version === undefined) {
        fresh.push(s);
        continue;
      }
      // A second step of a recorded stage is judged as a new one (its handler refuses it).
      if (seen.has(s.step.type)) {
        fresh.push(s);
        continue;
      }
      seen.add(s.step.type);
      const changes = changedFields(data, stage.fields, state);
      if (Object.keys(changes).length > 0)
        corrections.push({
          command: {
            type: 'CorrectEvent',
            data: {
              correctsVersion: version,
              reason,
              changes: { eventType: stage.eventType, ...changes },
            },
          },
          field: (key) => stepField(s.index, key),
        });
      continue;
    }
    const step = s.step;
    switch (step.type) {
      case 'StartProduction': {
        const recorded = state.productions.find((p) => p.scope === step.data.scope);
        if (!recorded) {
          fresh.push(s);
          break;
        }
        seen.add('StartProduction');
        if (step.data.productionDate !== recorded.date)
          corrections.push({
            command: {
              type: 'CorrectEvent',
              data: {
                correctsVersion: recorded.version,
                reason,
                changes: { eventType: 'ProductionStarted', productionDate: step.data.productionDate },
              },
            },
            field: (key) => stepField(s.index, key),
          });
        break;
      }
      case 'RecordFundsArrived': {
        const month = step.data.month;
        fundsMonths.add(month);
        const entries = state.fundsArrived.filter((e) => e.month === month);
        if (entries.length === 0) {
          fresh.push(s);
          break;
        }
        let same = false;
        try {
          same = normaliseYuan(step.data.amount) === normaliseYuan(entries[0].amount);
        } catch {
          same = false;
        }
        if (entries.length === 1 && !same)
          corrections.push({
            command: {
              type: 'CorrectEvent',
              data: {
                correctsVersion: entries[0].version,
                reason,
                changes: { eventType: 'FundsArrivedRecorded', amount: step.data.amount },
              },
            },
            field: (key) => stepField(s.index, key),
          });
        break;
      }
      case 'RaiseBlocker': {
        const id = typeof step.data.blockerId === 'string' ? step.data.blockerId.trim() : '';
        if (![...state.openBlockers, ...state.resolvedBlockers].some((b) => b.blockerId === id))
          fresh.push(s);
        break;
      }
      case 'ResolveBlocker': {
        const id = typeof step.data.blockerId === 'string' ? step.data.blockerId.trim() : '';
        if (!state.resolvedBlockers.some((b) => b.blockerId === id)) fresh.push(s);
        break;
      }
      case 'LogServiceVisit':
        // The state counts visits, it does not list them: one dated after the last recorded is new.
        if (state.lastVisitDate === null || s.date > state.lastVisitDate) fresh.push(s);
        break;
      default:
        fresh.push(s);
    }
  }

  // A step the project has recorded and the row no longer gives is never removed by an import.
  const removed = removedStep(state, steps, fundsMonths);
  if (removed) return refused(removed);

  const out = new Recorder(state);
  const correctionProblem = applyCorrections(out, corrections, context) ?? null;
  if (correctionProblem) return refused(correctionProblem);
  for (const s of fresh) {
    const decision = decide(s.step, out.state, context);
    if (decision.outcome === 'refused') return refused(forStep(decision.refusal, s));
    out.add(decision.events);
  }
  out.add(duplicateConfirmed(d.duplicateConfirmation, 'import', now));
  out.add([historyImported(d, now)]);
  return accepted(...out.events);
}

/** Corrections in lifecycle order, or, when moving dates later makes that order clash, in reverse. */
function applyCorrections(
  out: Recorder,
  corrections: PlannedCorrection[],
  context: DecisionInput['context'],
): Refusal | null {
  const attempt = (order: PlannedCorrection[]): { events: ProjectEvent[]; problem: Refusal | null } => {
    let s = out.state;
    const events: ProjectEvent[] = [];
    for (const c of order) {
      const decision = decide(c.command, s, context);
      if (decision.outcome === 'refused') {
        const r = decision.refusal;
        const key = r.field?.startsWith('data.changes.') ? r.field.slice('data.changes.'.length) : null;
        return { events, problem: key ? { ...r, field: c.field(key) } : r };
      }
      events.push(...decision.events);
      s = decision.events.reduce(evolve, s);
    }
    return { events, problem: null };
  };
  const forward = attempt(corrections);
  const result = forward.problem && corrections.length > 1 ? attempt([...corrections].reverse()) : forward;
  if (result.problem) return forward.problem;
  out.add(result.events);
  return null;
}

/** A recorded stage or month of funds the row no longer gives, as a refusal naming its field. */
function removedStep(state: ProjectState, steps: IndexedStep[], fundsMonths: Set<string>): Refusal | null {
  const has = (type: HistoryStepType) => steps.some((s) => s.step.type === type);
  const recorded: [HistoryStepType, boolean][] = [
    ['StartTalks', state.talksDate !== null],
    ['Sign', state.signedDate !== null],
    ['Land', state.landedDate !== null],
    ['StartConstruction', state.startedDate !== null],
    ['EnterStatistics', state.inStatsDate !== null],
    ['StartProduction', state.productionDate !== null],
  ];
  for (const [type, isRecorded] of recorded) {
    if (isRecorded && !has(type))
      return refusal('HISTORY_STEP_REMOVED', `data.steps[${type}].data.${DATE_FIELD[type]}`);
  }
  if (state.fundsArrived.some((e) => !fundsMonths.has(e.month)))
    return refusal('HISTORY_STEP_REMOVED', 'data.steps[RecordFundsArrived].data.month');
  return null;
}
