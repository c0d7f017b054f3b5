import { isRegionCode } from './attributes';
import { CORRECTABLE_EVENT_TYPES, type CorrectEventData, type EventCorrection } from './commands';
import { isIsoDate, monthOf } from './dates';
import { accepted, refused, type Decision, type DecisionInput } from './decision';
import {
  checkCreditCode,
  checkEvidence,
  checkInvestor,
  checkSite,
  inScope,
  normaliseEvidence,
  normaliseInvestor,
  normaliseSite,
  qualifiesForStatistics,
} from './field-checks';
import { makeEvent, type EventCorrected } from './events';
import { evolve } from './evolve';
import { normaliseYuan, parseYuan, tryParseYuan } from './money';
import { refusal, type Refusal } from './refusals';
import type { ProjectState } from './state';
import {
  checkBoolean,
  checkMonth,
  checkOptionalText,
  checkPositiveYuan,
  checkText,
  isRecord,
  optionalText,
} from './validation';

type CorrectionType = EventCorrection['eventType'];

/** The fields each correctable event type lets a correction change. */
const CORRECTABLE_FIELDS: Record<CorrectionType, readonly string[]> = {
  LeadRegistered: [
    'name',
    'investor',
    'industryChain',
    'region',
    'park',
    'industrial',
    'plannedInvestment',
    'source',
    'leadDate',
  ],
  TalksStarted: ['talksDate', 'leadingOfficial'],
  ProjectSigned: [
    'contractDate',
    'contractInvestment',
    'contractNumber',
    'signingBatchId',
    'plannedProductionDate',
  ],
  ProjectLanded: ['creditCode', 'companyName', 'landedDate', 'site'],
  ConstructionStarted: ['startDate', 'evidence'],
  StatisticsEntered: ['statisticsCode', 'inStatsDate'],
  ProductionStarted: ['productionDate'],
  FundsArrivedRecorded: ['month', 'amount'],
};

/** Where each corrected field lives in the state. */
const STATE_KEY: Record<string, keyof ProjectState> = {
  contractDate: 'signedDate',
  startDate: 'startedDate',
  evidence: 'constructionEvidence',
};

const DATE_FIELDS = [
  'leadDate',
  'talksDate',
  'contractDate',
  'landedDate',
  'startDate',
  'inStatsDate',
  'productionDate',
];

type DateKey =
  | 'leadDate'
  | 'talksDate'
  | 'signedDate'
  | 'landedDate'
  | 'startedDate'
  | 'inStatsDate'
  | 'productionDate'
  | 'plannedProductionDate';

/**
 * A correction never edits the past: it is a new event that names the event it corrects, carries
 * the new values and the ones they replace. The corrected history must still be in order.
 */
export function decideCorrection(d: CorrectEventData, input: DecisionInput): Decision {
  const { state, now } = input;
  const reasonProblem = checkText(d.reason, 'data.reason');
  if (reasonProblem) return refused(reasonProblem);
  const exists =
    Number.isInteger(d.correctsVersion) && d.correctsVersion >= 1 && d.correctsVersion <= state.version;
  if (!exists) return refused(refusal('EVENT_NOT_FOUND', 'data.correctsVersion'));
  // The state keeps only the events a correction may name: any other version is not correctable.
  const entry = state.correctableEvents.find((e) => e.version === d.correctsVersion);
  if (!entry || !(CORRECTABLE_EVENT_TYPES as readonly string[]).includes(entry.type)) {
    return refused(refusal('EVENT_NOT_CORRECTABLE', 'data.correctsVersion'));
  }
  const changes: unknown = d.changes;
  if (!isRecord(changes)) return refused(refusal('REQUIRED', 'data.changes'));
  if (changes.eventType !== entry.type)
    return refused(refusal('CORRECTION_TYPE_MISMATCH', 'data.changes.eventType'));
  const type = entry.type as CorrectionType;
  const keys = Object.keys(changes).filter((k) => k !== 'eventType' && changes[k] !== undefined);
  const unknownKey = keys.find((k) => !CORRECTABLE_FIELDS[type].includes(k));
  if (unknownKey) return refused(refusal('INVALID_VALUE', `data.changes.${unknownKey}`));
  if (keys.length === 0) return refused(refusal('CORRECTION_EMPTY', 'data.changes'));

  for (const key of keys) {
    const problem = checkField(type, key, changes[key], input, d.correctsVersion);
    if (problem) return refused(problem);
  }

  const normalised = normalise(type, keys, changes);
  const previous = previousValues(state, type, keys, d.correctsVersion);
  const event: EventCorrected = makeEvent('EventCorrected', now, {
    correctsVersion: d.correctsVersion,
    correctsType: type,
    reason: d.reason.trim(),
    changes: normalised,
    previous,
  });

  const next = evolve(state, event);
  const orderProblem = checkOrder(next, keys);
  if (orderProblem) return refused(orderProblem);
  if (type === 'FundsArrivedRecorded' && parseYuan(next.fundsArrivedTotal) < 0n) {
    return refused(refusal('FUNDS_TOTAL_NEGATIVE', 'data.changes.amount'));
  }
  if (type === 'LeadRegistered' && next.inStatsDate !== null && !qualifiesForStatistics(next)) {
    return refused(refusal('BELOW_STATISTICS_THRESHOLD', 'data.changes.plannedInvestment'));
  }
  return accepted(event);
}

function checkField(
  type: CorrectionType,
  key: string,
  value: unknown,
  input: DecisionInput,
  correctsVersion: number,
): Refusal | null {
  const field = `data.changes.${key}`;
  const { today, state, context } = input;
  if (DATE_FIELDS.includes(key)) {
    if (!isIsoDate(value)) return refusal('INVALID_DATE', field);
    return value > today ? refusal('DATE_IN_FUTURE', field) : null;
  }
  switch (key) {
    case 'name':
    case 'industryChain':
    case 'source':
    case 'contractNumber':
    case 'statisticsCode':
      return checkText(value, field);
    case 'park':
    case 'leadingOfficial':
    case 'signingBatchId':
    case 'companyName':
      return checkOptionalText(value, field);
    case 'investor':
      return checkInvestor(value, field);
    case 'region':
      if (!isRegionCode(value)) return refusal('INVALID_REGION_CODE', field);
      return inScope(context, value) ? null : refusal('REGION_NOT_IN_SCOPE', field);
    case 'industrial':
      return checkBoolean(value, field);
    case 'plannedInvestment':
    case 'contractInvestment':
      return checkPositiveYuan(value, field);
    case 'plannedProductionDate':
      return value === null || isIsoDate(value) ? null : refusal('INVALID_DATE', field);
    case 'creditCode':
      return checkCreditCode(value, field);
    case 'site':
      return checkSite(value, field);
    case 'evidence':
      return checkEvidence(value, field);
    case 'month': {
      const problem = checkMonth(value, field);
      if (problem) return problem;
      const month = value as string;
      if (month > monthOf(today)) return refusal('DATE_IN_FUTURE', field);
      if (state.signedDate !== null && month < monthOf(state.signedDate)) {
        return refusal('DATE_BEFORE_PREVIOUS_STAGE', field);
      }
      return null;
    }
    case 'amount': {
      const fen = tryParseYuan(value);
      if (fen === null) return refusal('INVALID_AMOUNT', field);
      return fen === 0n ? refusal('AMOUNT_ZERO', field) : null;
    }
    default:
      void type;
      void correctsVersion;
      return refusal('INVALID_VALUE', field);
  }
}

function normalise(type: CorrectionType, keys: string[], changes: Record<string, unknown>): EventCorrection {
  const out: Record<string, unknown> = { eventType: type };
  for (const key of keys) {
    const value = changes[key];
    switch (key) {
      case 'investor':
        out[key] = normaliseInvestor(value as never);
        break;
      case 'site':
        out[key] = normaliseSite(value as never);
        break;
      case 'evidence':
        out[key] = normaliseEvidence(value as never);
        break;
      case 'plannedInvestment':
      case 'contractInvestment':
      case 'amount':
        out[key] = normaliseYuan(value as string);
        break;
      case 'creditCode':
        out[key] = (value as string).trim().toUpperCase();
        break;
      case 'park':
      case 'leadingOfficial':
      case 'signingBatchId':
      case 'companyName':
        out[key] = optionalText(value);
        break;
      default:
        out[key] = typeof value === 'string' ? value.trim() : value;
    }
  }
  return out as EventCorrection;
}

function previousValues(
  state: ProjectState,
  type: CorrectionType,
  keys: string[],
  correctsVersion: number,
): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const key of keys) {
    if (type === 'FundsArrivedRecorded') {
      const entry = state.fundsArrived.find((e) => e.version === correctsVersion);
      previous[key] = entry ? entry[key as 'month' | 'amount'] : null;
    } else if (type === 'ProductionStarted') {
      previous[key] = state.productions.find((p) => p.version === correctsVersion)?.date ?? null;
    } else {
      previous[key] = state[STATE_KEY[key] ?? (key as keyof ProjectState)] ?? null;
    }
  }
  return previous;
}

/** The stage dates must stay in lifecycle order after the correction. */
function checkOrder(s: ProjectState, keys: string[]): Refusal | null {
  const violation = dateOrderViolation(s);
  if (!violation) return null;
  const changedKey = keys.find((k) => DATE_FIELDS.includes(k) || k === 'plannedProductionDate') ?? keys[0];
  const changedStateKey = (STATE_KEY[changedKey] as DateKey | undefined) ?? (changedKey as DateKey);
  const field = `data.changes.${changedKey}`;
  return changedStateKey === violation.earlier
    ? refusal('DATE_AFTER_NEXT_STAGE', field)
    : refusal('DATE_BEFORE_PREVIOUS_STAGE', field);
}

/** The first pair of stage dates out of order, if any. */
export function dateOrderViolation(s: ProjectState): { earlier: DateKey; later: DateKey } | null {
  let prev: DateKey | null = null;
  for (const key of ['leadDate', 'talksDate', 'signedDate', 'landedDate', 'startedDate'] as const) {
    const value = s[key];
    if (value === null) continue;
    if (prev !== null && value < s[prev]!) return { earlier: prev, later: key };
    prev = key;
  }
  for (const key of ['inStatsDate', 'productionDate'] as const) {
    const value = s[key];
    if (value !== null && prev !== null && value < s[prev]!) return { earlier: prev, later: key };
  }
  for (let i = 1; i < s.productions.length; i++) {
    if (s.productions[i].date < s.productions[i - 1].date)
      return { earlier: 'productionDate', later: 'productionDate' };
  }
  if (s.plannedProductionDate !== null && s.signedDate !== null && s.plannedProductionDate < s.signedDate) {
    return { earlier: 'signedDate', later: 'plannedProductionDate' };
  }
  return null;
}
