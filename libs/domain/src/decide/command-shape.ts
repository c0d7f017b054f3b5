import { ROLES, type DecisionContext } from '../actor';
import { ADDRESSEE_KINDS, LIGHTS, isRung } from '../alerts';
import { BLOCKER_CATEGORIES, isRegionCode } from '../attributes';
import { PROJECT_COMMAND_TYPES, type ProjectCommand, type ProjectCommandType } from '../commands';
import { isIsoDate, isIsoInstant } from '../dates';
import {
  checkCreditCode,
  checkEvidence,
  checkEvidenceFiles,
  checkInvestor,
  checkSite,
  firstOf,
} from '../field-checks';
import { parseYuan, tryParseYuan } from '../money';
import { refusal, type Refusal } from '../refusals';
import { findUnstorableText, textProblem, TEXT_PROBLEM_MESSAGES } from '../text';
import {
  checkBoolean,
  checkMonth,
  checkOneOf,
  checkOptionalText,
  checkPositiveYuan,
  checkText,
  isRecord,
} from '../validation';

/**
 * What a command must look like, whatever the project's state: the envelope (context, type, data)
 * and each command's fields. Commands arrive as JSON from outside, so these checks trust nothing
 * the types promise. The business rules, which read the state or the clock, live in the handlers.
 */

export type DataOf<T extends ProjectCommandType> = Extract<ProjectCommand, { type: T }>['data'];

/** One field's check; null when the field is well formed. */
export type FieldCheck = () => Refusal | null;

/** A context with a valid actor and clock, a known command type, data, and only text the log can hold. */
export function envelopeProblem(command: ProjectCommand, context: DecisionContext): Refusal | null {
  const actor: unknown = isRecord(context) ? context.actor : undefined;
  if (
    !isRecord(actor) ||
    typeof actor.id !== 'string' ||
    actor.id === '' ||
    textProblem(actor.id) !== null ||
    !ROLES.includes(actor.role as never) ||
    !Array.isArray(actor.regions)
  ) {
    return refusal('INVALID_CONTEXT', 'context.actor');
  }
  if (!isIsoInstant(context.now)) return refusal('INVALID_CONTEXT', 'context.now');
  if (!isRecord(command) || typeof command.type !== 'string') return refusal('INVALID_COMMAND', 'type');
  if (!PROJECT_COMMAND_TYPES.includes(command.type)) return refusal('UNKNOWN_COMMAND', 'type');
  if (!isRecord(command.data)) return refusal('INVALID_COMMAND', 'data');
  // Before any other rule: text the log cannot hold must never reach the append.
  const unstorable = findUnstorableText(command.data, 'data');
  if (unstorable)
    return refusal('INVALID_TEXT', unstorable.path, { ...TEXT_PROBLEM_MESSAGES[unstorable.problem] });
  return null;
}

function checkAddressee(value: unknown, field: string): Refusal | null {
  if (!isRecord(value)) return refusal('REQUIRED', field);
  return firstOf(
    () => checkOneOf(value.kind, ADDRESSEE_KINDS, `${field}.kind`),
    () => checkOneOf(value.role, ROLES, `${field}.role`),
    () => checkText(value.label, `${field}.label`),
    () => checkOptionalText(value.id, `${field}.id`),
  );
}

function checkDate(value: unknown, field: string): Refusal | null {
  return isIsoDate(value) ? null : refusal('INVALID_DATE', field);
}

/**
 * Each command's field checks by field name, for its handler to run in its order among the
 * business rules (the order decides which refusal a command with several faults gets).
 * Business dates are not here: whether a date is in the future or before the previous stage is a
 * rule of the state and the clock (`checkBusinessDate`). Corrections check their own fields.
 */
export const commandShape = {
  RegisterLead: (d: DataOf<'RegisterLead'>) => ({
    projectId: () => checkText(d.projectId, 'data.projectId'),
    name: () => checkText(d.name, 'data.name'),
    investor: () => checkInvestor(d.investor, 'data.investor'),
    industryChain: () => checkText(d.industryChain, 'data.industryChain'),
    region: () => (isRegionCode(d.region) ? null : refusal('INVALID_REGION_CODE', 'data.region')),
    park: () => checkOptionalText(d.park, 'data.park'),
    industrial: () => checkBoolean(d.industrial, 'data.industrial'),
    plannedInvestment: () => checkPositiveYuan(d.plannedInvestment, 'data.plannedInvestment'),
    source: () => checkText(d.source, 'data.source'),
    serviceOfficerId: () => checkOptionalText(d.serviceOfficerId, 'data.serviceOfficerId'),
  }),
  StartTalks: (d: DataOf<'StartTalks'>) => ({
    leadingOfficial: () => checkOptionalText(d.leadingOfficial, 'data.leadingOfficial'),
  }),
  Sign: (d: DataOf<'Sign'>) => ({
    contractInvestment: () => checkPositiveYuan(d.contractInvestment, 'data.contractInvestment'),
    contractNumber: () => checkText(d.contractNumber, 'data.contractNumber'),
    signingBatchId: () => checkOptionalText(d.signingBatchId, 'data.signingBatchId'),
    plannedProductionDate: () => {
      const planned: unknown = d.plannedProductionDate;
      return planned === undefined || planned === null
        ? null
        : checkDate(planned, 'data.plannedProductionDate');
    },
  }),
  Land: (d: DataOf<'Land'>) => ({
    creditCode: () => checkCreditCode(d.creditCode, 'data.creditCode'),
    companyName: () => checkOptionalText(d.companyName, 'data.companyName'),
    site: () => checkSite(d.site, 'data.site'),
    files: () => checkEvidenceFiles(d.files, 'data.files'),
  }),
  StartConstruction: (d: DataOf<'StartConstruction'>) => ({
    evidence: () => checkEvidence(d.evidence, 'data.evidence'),
    files: () => checkEvidenceFiles(d.files, 'data.files'),
  }),
  EnterStatistics: (d: DataOf<'EnterStatistics'>) => ({
    statisticsCode: () => checkText(d.statisticsCode, 'data.statisticsCode'),
    files: () => checkEvidenceFiles(d.files, 'data.files'),
  }),
  StartProduction: (d: DataOf<'StartProduction'>) => ({
    scope: () => checkOneOf(d.scope, ['partial', 'full'], 'data.scope'),
    files: () => checkEvidenceFiles(d.files, 'data.files'),
  }),
  RecordFundsArrived: (d: DataOf<'RecordFundsArrived'>) => ({
    month: () => checkMonth(d.month, 'data.month'),
    // A negative amount is an adjustment; zero records nothing.
    amount: () => {
      if (tryParseYuan(d.amount) === null) return refusal('INVALID_AMOUNT', 'data.amount');
      return parseYuan(d.amount) === 0n ? refusal('AMOUNT_ZERO', 'data.amount') : null;
    },
    note: () => checkOptionalText(d.note, 'data.note'),
    files: () => checkEvidenceFiles(d.files, 'data.files'),
  }),
  RaiseBlocker: (d: DataOf<'RaiseBlocker'>) => ({
    blockerId: () => checkText(d.blockerId, 'data.blockerId'),
    category: () => checkOneOf(d.category, BLOCKER_CATEGORIES, 'data.category'),
    description: () => checkText(d.description, 'data.description'),
    responsibleDepartment: () => checkText(d.responsibleDepartment, 'data.responsibleDepartment'),
    departmentRole: () =>
      d.departmentRole === undefined
        ? null
        : checkOneOf(d.departmentRole, ['lead', 'co_handling'], 'data.departmentRole'),
    dueDate: () => checkDate(d.dueDate, 'data.dueDate'),
  }),
  ResolveBlocker: (d: DataOf<'ResolveBlocker'>) => ({
    blockerId: () => checkText(d.blockerId, 'data.blockerId'),
    resolution: () => checkText(d.resolution, 'data.resolution'),
    files: () => checkEvidenceFiles(d.files, 'data.files'),
  }),
  LogServiceVisit: (d: DataOf<'LogServiceVisit'>) => ({
    summary: () => checkText(d.summary, 'data.summary'),
    officerId: () => checkOptionalText(d.officerId, 'data.officerId'),
    files: () => checkEvidenceFiles(d.files, 'data.files'),
  }),
  AssignServiceOfficer: (d: DataOf<'AssignServiceOfficer'>) => ({
    officerId: () => checkText(d.officerId, 'data.officerId'),
    reason: () => checkOptionalText(d.reason, 'data.reason'),
  }),
  AssignChiefServiceOfficer: (d: DataOf<'AssignChiefServiceOfficer'>) => ({
    chiefOfficerId: () => checkText(d.chiefOfficerId, 'data.chiefOfficerId'),
    guaranteeLeaderId: () => checkOptionalText(d.guaranteeLeaderId, 'data.guaranteeLeaderId'),
  }),
  ExtendDeadline: (d: DataOf<'ExtendDeadline'>) => ({
    deadlineId: () => checkText(d.deadlineId, 'data.deadlineId'),
    newDueDate: () => checkDate(d.newDueDate, 'data.newDueDate'),
    reason: () => checkText(d.reason, 'data.reason'),
  }),
  Drop: (d: DataOf<'Drop'>) => ({
    reason: () => checkText(d.reason, 'data.reason'),
  }),
  Reopen: (d: DataOf<'Reopen'>) => ({
    reason: () => checkText(d.reason, 'data.reason'),
  }),
  RaiseAlert: (d: DataOf<'RaiseAlert'>) => ({
    deadlineId: () => checkText(d.deadlineId, 'data.deadlineId'),
    rule: () => checkText(d.rule, 'data.rule'),
    step: () => checkText(d.step, 'data.step'),
    dueDate: () => checkDate(d.dueDate, 'data.dueDate'),
    // An alert is raised at the first rung at least; rung 0 is no alert.
    rung: () => (isRung(d.rung) && d.rung >= 1 ? null : refusal('INVALID_VALUE', 'data.rung')),
    addressee: () => checkAddressee(d.addressee, 'data.addressee'),
    light: () => checkOneOf(d.light, LIGHTS, 'data.light'),
  }),
  Escalate: (d: DataOf<'Escalate'>) => ({
    rung: () => (isRung(d.rung) ? null : refusal('INVALID_VALUE', 'data.rung')),
    addressee: () => checkAddressee(d.addressee, 'data.addressee'),
  }),
  ChangeLight: (d: DataOf<'ChangeLight'>) => ({
    deadlineId: () => checkText(d.deadlineId, 'data.deadlineId'),
    light: () => checkOneOf(d.light, LIGHTS, 'data.light'),
  }),
  ResolveAlert: (d: DataOf<'ResolveAlert'>) => ({
    resolution: () => checkOneOf(d.resolution, ['met', 'extended', 'no_longer_applies'], 'data.resolution'),
  }),
} satisfies {
  [T in Exclude<ProjectCommandType, 'CorrectEvent' | 'RecordHistory'>]: (
    d: DataOf<T>,
  ) => Record<string, FieldCheck>;
};
