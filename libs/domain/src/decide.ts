import { ROLES, type DecisionContext } from './actor';
import { ADDRESSEE_KINDS, LIGHTS, type Addressee, type Light, isRung } from './alerts';
import { BLOCKER_CATEGORIES, isRegionCode } from './attributes';
import { PROJECT_COMMAND_TYPES, type ProjectCommand, type ProjectCommandType } from './commands';
import { decideCorrection } from './correction';
import { actsOn, mayIssue } from './permissions';
import { accepted, refused, type Decision, type DecisionInput } from './decision';
import {
  checkCreditCode,
  checkEvidence,
  checkInvestor,
  checkSite,
  firstOf,
  inScope,
  normaliseEvidence,
  normaliseInvestor,
  normaliseSite,
  qualifiesForStatistics,
} from './field-checks';
import {
  isIsoDate,
  isIsoInstant,
  lastDayOfMonth,
  minDate,
  monthOf,
  normaliseInstant,
  shanghaiDate,
} from './dates';
import { makeEvent, type AnomalyCode } from './events';
import { formatYuan, normaliseYuan, parseYuan, tryParseYuan } from './money';
import { refusal, type Refusal } from './refusals';
import { hasReached } from './stages';
import { findUnstorableText, textProblem, TEXT_PROBLEM_MESSAGES } from './text';
import type { ProjectState } from './state';
import {
  checkBoolean,
  checkBusinessDate,
  checkMonth,
  checkOneOf,
  checkOptionalText,
  checkPositiveYuan,
  checkText,
  isRecord,
  optionalText,
} from './validation';

export type { DecisionContext } from './actor';
export type { Decision } from './decision';

type DataOf<T extends ProjectCommandType> = Extract<ProjectCommand, { type: T }>['data'];

/**
 * Decides a command against a project's state: the events it produces, or a refusal.
 * Pure: the clock is the context's `now`; the same input always gives the same decision.
 */
export function decide(command: ProjectCommand, state: ProjectState, context: DecisionContext): Decision {
  const gate = checkGates(command, state, context);
  if (gate) return refused(gate);
  const now = normaliseInstant(context.now);
  const input: DecisionInput = { state, context, now, today: shanghaiDate(now) };
  return decideCommand(command, input);
}

/** The role refusal, saying who may do it where only leaders may. */
function refusalForRole(type: ProjectCommandType): Refusal {
  if (type === 'ExtendDeadline')
    return refusal('ROLE_NOT_ALLOWED', undefined, {
      zh: '只有领导可以批准延期',
      en: 'only a leader may extend a deadline',
    });
  if (type === 'Reopen')
    return refusal('ROLE_NOT_ALLOWED', undefined, {
      zh: '只有领导可以重新启动项目',
      en: 'only a leader may reopen a project',
    });
  return refusal('ROLE_NOT_ALLOWED');
}

function checkGates(command: ProjectCommand, state: ProjectState, context: DecisionContext): Refusal | null {
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

  // Auditors only read, admins manage policy; timers send only timer commands, and people never do.
  if (!mayIssue(context.actor.role, command.type)) return refusalForRole(command.type);

  if (command.type === 'RegisterLead') {
    if (state.exists) return refusal('PROJECT_ALREADY_EXISTS', 'data.projectId');
    const region = command.data.region;
    if (!isRegionCode(region)) return refusal('INVALID_REGION_CODE', 'data.region');
    if (!inScope(context, region)) return refusal('REGION_NOT_IN_SCOPE', 'data.region');
    return null;
  }
  if (!state.exists) return refusal('PROJECT_NOT_FOUND');
  if (state.region !== null && !actsOn(context.actor, state)) return refusal('REGION_NOT_IN_SCOPE');
  if (state.stage === 'dropped' && command.type !== 'Reopen') return refusal('PROJECT_DROPPED');
  return null;
}

function decideCommand(command: ProjectCommand, input: DecisionInput): Decision {
  switch (command.type) {
    case 'RegisterLead':
      return registerLead(command.data, input);
    case 'StartTalks':
      return startTalks(command.data, input);
    case 'Sign':
      return sign(command.data, input);
    case 'Land':
      return land(command.data, input);
    case 'StartConstruction':
      return startConstruction(command.data, input);
    case 'EnterStatistics':
      return enterStatistics(command.data, input);
    case 'StartProduction':
      return startProduction(command.data, input);
    case 'RecordFundsArrived':
      return recordFundsArrived(command.data, input);
    case 'RaiseBlocker':
      return raiseBlocker(command.data, input);
    case 'ResolveBlocker':
      return resolveBlocker(command.data, input);
    case 'LogServiceVisit':
      return logServiceVisit(command.data, input);
    case 'AssignServiceOfficer':
      return assignServiceOfficer(command.data, input);
    case 'AssignChiefServiceOfficer':
      return assignChiefServiceOfficer(command.data, input);
    case 'ExtendDeadline':
      return extendDeadline(command.data, input);
    case 'Drop':
      return drop(command.data, input);
    case 'Reopen':
      return reopen(command.data, input);
    case 'CorrectEvent':
      return decideCorrection(command.data, input);
    case 'RaiseAlert':
      return raiseAlert(command.data, input);
    case 'Escalate':
      return escalate(command.data, input);
    case 'ChangeLight':
      return changeLight(command.data, input);
    case 'ResolveAlert':
      return resolveAlert(command.data, input);
    default: {
      const _exhaustive: never = command;
      void _exhaustive;
      return refused(refusal('UNKNOWN_COMMAND', 'type'));
    }
  }
}

const LEAD_DATE = { zh: '线索登记日期', en: 'the lead date' };
const TALKS_DATE = { zh: '在谈日期', en: 'the talks date' };
const SIGNED_DATE = { zh: '签约日期', en: 'the contract date' };
const LANDED_DATE = { zh: '落地日期', en: 'the landing date' };
const STARTED_DATE = { zh: '开工日期', en: 'the construction start date' };
const PRODUCTION_DATE = { zh: '首次投产日期', en: 'the first production date' };

function registerLead(d: DataOf<'RegisterLead'>, input: DecisionInput): Decision {
  const { context, today } = input;
  const problem = firstOf(
    () => checkText(d.projectId, 'data.projectId'),
    () => checkText(d.name, 'data.name'),
    () => checkInvestor(d.investor, 'data.investor'),
    () => checkText(d.industryChain, 'data.industryChain'),
    () => checkOptionalText(d.park, 'data.park'),
    () => checkBoolean(d.industrial, 'data.industrial'),
    () => checkPositiveYuan(d.plannedInvestment, 'data.plannedInvestment'),
    () => checkText(d.source, 'data.source'),
    () => checkBusinessDate(d.leadDate, 'data.leadDate', today, null),
    () => checkOptionalText(d.serviceOfficerId, 'data.serviceOfficerId'),
  );
  if (problem) return refused(problem);
  const serviceOfficerId =
    optionalText(d.serviceOfficerId) ?? (context.actor.role === 'officer' ? context.actor.id : null);
  return accepted(
    makeEvent('LeadRegistered', d.leadDate, {
      projectId: d.projectId.trim(),
      name: d.name.trim(),
      investor: normaliseInvestor(d.investor),
      industryChain: d.industryChain.trim(),
      region: d.region,
      park: optionalText(d.park),
      industrial: d.industrial,
      plannedInvestment: normaliseYuan(d.plannedInvestment),
      source: d.source.trim(),
      leadDate: d.leadDate,
      serviceOfficerId,
    }),
  );
}

function startTalks(d: DataOf<'StartTalks'>, input: DecisionInput): Decision {
  const { state, today } = input;
  if (state.stage !== 'lead') return refused(refusal('TALKS_NOT_FROM_LEAD'));
  const problem = firstOf(
    () => checkBusinessDate(d.talksDate, 'data.talksDate', today, state.leadDate, LEAD_DATE),
    () => checkOptionalText(d.leadingOfficial, 'data.leadingOfficial'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('TalksStarted', d.talksDate, {
      talksDate: d.talksDate,
      leadingOfficial: optionalText(d.leadingOfficial),
    }),
  );
}

function sign(d: DataOf<'Sign'>, input: DecisionInput): Decision {
  const { state, today } = input;
  if (state.stage !== 'lead' && state.stage !== 'negotiating') return refused(refusal('ALREADY_SIGNED'));
  const previous = state.talksDate ?? state.leadDate;
  const problem = firstOf(
    () =>
      checkBusinessDate(
        d.contractDate,
        'data.contractDate',
        today,
        previous,
        state.talksDate ? TALKS_DATE : LEAD_DATE,
      ),
    () => checkPositiveYuan(d.contractInvestment, 'data.contractInvestment'),
    () => checkText(d.contractNumber, 'data.contractNumber'),
    () => checkOptionalText(d.signingBatchId, 'data.signingBatchId'),
    () => {
      const planned: unknown = d.plannedProductionDate;
      if (planned === undefined || planned === null) return null;
      if (!isIsoDate(planned)) return refusal('INVALID_DATE', 'data.plannedProductionDate');
      return planned < d.contractDate
        ? refusal('DATE_BEFORE_PREVIOUS_STAGE', 'data.plannedProductionDate', {
            zh: '计划投产日期不能早于签约日期',
            en: 'the planned production date cannot be earlier than the contract date',
          })
        : null;
    },
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ProjectSigned', d.contractDate, {
      contractDate: d.contractDate,
      contractInvestment: normaliseYuan(d.contractInvestment),
      contractNumber: d.contractNumber.trim(),
      signingBatchId: optionalText(d.signingBatchId),
      plannedProductionDate: d.plannedProductionDate ?? null,
    }),
  );
}

function land(d: DataOf<'Land'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stage = state.stage!;
  if (!hasReached(stage, 'signed'))
    return refused(refusal('NOT_SIGNED', undefined, notYet('落地', 'land', '签约', 'signed')));
  if (hasReached(stage, 'landed')) return refused(refusal('ALREADY_LANDED'));
  const problem = firstOf(
    () => checkCreditCode(d.creditCode, 'data.creditCode'),
    () => checkOptionalText(d.companyName, 'data.companyName'),
    () => checkBusinessDate(d.landedDate, 'data.landedDate', today, state.signedDate, SIGNED_DATE),
    () => checkSite(d.site, 'data.site'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ProjectLanded', d.landedDate, {
      creditCode: d.creditCode.trim().toUpperCase(),
      companyName: optionalText(d.companyName),
      landedDate: d.landedDate,
      site: normaliseSite(d.site),
    }),
  );
}

function notYet(actZh: string, actEn: string, stageZh: string, stageEn: string): { zh: string; en: string } {
  return { zh: `不能${actZh}:项目尚未${stageZh}`, en: `cannot ${actEn} before the project has ${stageEn}` };
}

function startConstruction(d: DataOf<'StartConstruction'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stage = state.stage!;
  if (!hasReached(stage, 'landed')) return refused(refusal('NOT_LANDED'));
  if (hasReached(stage, 'started')) return refused(refusal('ALREADY_STARTED'));
  const problem = firstOf(
    () => checkBusinessDate(d.startDate, 'data.startDate', today, state.landedDate, LANDED_DATE),
    () => checkEvidence(d.evidence, 'data.evidence'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ConstructionStarted', d.startDate, {
      startDate: d.startDate,
      evidence: normaliseEvidence(d.evidence),
    }),
  );
}

function enterStatistics(d: DataOf<'EnterStatistics'>, input: DecisionInput): Decision {
  const { state, today } = input;
  if (state.startedDate === null) {
    return refused(
      refusal(
        'NOT_STARTED',
        undefined,
        notYet('入统', 'enter the statistics', '开工', 'started construction'),
      ),
    );
  }
  if (state.inStatsDate !== null) return refused(refusal('ALREADY_IN_STATS'));
  if (!qualifiesForStatistics(state)) return refused(refusal('BELOW_STATISTICS_THRESHOLD'));
  const problem = firstOf(
    () => checkText(d.statisticsCode, 'data.statisticsCode'),
    () => checkBusinessDate(d.inStatsDate, 'data.inStatsDate', today, state.startedDate, STARTED_DATE),
  );
  if (problem) return refused(problem);
  const anomaliesResolved: AnomalyCode[] = state.anomalies.some((a) => a.code === 'not_in_statistics')
    ? ['not_in_statistics']
    : [];
  return accepted(
    makeEvent('StatisticsEntered', d.inStatsDate, {
      statisticsCode: d.statisticsCode.trim(),
      inStatsDate: d.inStatsDate,
      anomaliesResolved,
    }),
  );
}

function startProduction(d: DataOf<'StartProduction'>, input: DecisionInput): Decision {
  const { state, today } = input;
  if (state.startedDate === null) {
    return refused(
      refusal('NOT_STARTED', undefined, notYet('投产', 'start production', '开工', 'started construction')),
    );
  }
  const scopeProblem = checkOneOf(d.scope, ['partial', 'full'], 'data.scope');
  if (scopeProblem) return refused(scopeProblem);
  if (state.productionScope === 'full' || (state.productionScope === 'partial' && d.scope === 'partial')) {
    return refused(refusal('ALREADY_PRODUCING', 'data.scope'));
  }
  const notBefore = state.productionDate ?? state.startedDate;
  const problem = checkBusinessDate(
    d.productionDate,
    'data.productionDate',
    today,
    notBefore,
    state.productionDate ? PRODUCTION_DATE : STARTED_DATE,
  );
  if (problem) return refused(problem);
  // Production before 入统 is a real failure the seeds name: accepted, but it opens an anomaly.
  const anomaliesOpened: AnomalyCode[] =
    state.inStatsDate === null &&
    qualifiesForStatistics(state) &&
    !state.anomalies.some((a) => a.code === 'not_in_statistics')
      ? ['not_in_statistics']
      : [];
  return accepted(
    makeEvent('ProductionStarted', d.productionDate, {
      productionDate: d.productionDate,
      scope: d.scope,
      anomaliesOpened,
    }),
  );
}

function recordFundsArrived(d: DataOf<'RecordFundsArrived'>, input: DecisionInput): Decision {
  const { state, today } = input;
  if (state.signedDate === null) {
    return refused(
      refusal('NOT_SIGNED', undefined, notYet('登记到位资金', 'record funds', '签约', 'signed')),
    );
  }
  const problem = firstOf(
    () => checkMonth(d.month, 'data.month'),
    () => (d.month > monthOf(today) ? refusal('DATE_IN_FUTURE', 'data.month') : null),
    () =>
      d.month < monthOf(state.signedDate!)
        ? refusal('DATE_BEFORE_PREVIOUS_STAGE', 'data.month', {
            zh: '到位资金月份不能早于签约月份',
            en: 'the month cannot be earlier than the month of signing',
          })
        : null,
    () => (tryParseYuan(d.amount) === null ? refusal('INVALID_AMOUNT', 'data.amount') : null),
    () => (parseYuan(d.amount) === 0n ? refusal('AMOUNT_ZERO', 'data.amount') : null),
    () =>
      parseYuan(state.fundsArrivedTotal) + parseYuan(d.amount) < 0n
        ? refusal('FUNDS_TOTAL_NEGATIVE', 'data.amount')
        : null,
    () => checkOptionalText(d.note, 'data.note'),
  );
  if (problem) return refused(problem);
  const runningTotal = formatYuan(parseYuan(state.fundsArrivedTotal) + parseYuan(d.amount));
  // Funds are counted by month; the business time is the month's last day, or today within the month.
  return accepted(
    makeEvent('FundsArrivedRecorded', minDate(lastDayOfMonth(d.month), today)!, {
      month: d.month,
      amount: normaliseYuan(d.amount),
      runningTotal,
      note: optionalText(d.note),
    }),
  );
}

function raiseBlocker(d: DataOf<'RaiseBlocker'>, input: DecisionInput): Decision {
  const { state, now, today } = input;
  const problem = firstOf(
    () => checkText(d.blockerId, 'data.blockerId'),
    () =>
      [...state.openBlockers, ...state.resolvedBlockers].some((b) => b.blockerId === d.blockerId.trim())
        ? refusal('BLOCKER_ALREADY_EXISTS', 'data.blockerId')
        : null,
    () => checkOneOf(d.category, BLOCKER_CATEGORIES, 'data.category'),
    () => checkText(d.description, 'data.description'),
    () => checkText(d.responsibleDepartment, 'data.responsibleDepartment'),
    () =>
      d.departmentRole === undefined
        ? null
        : checkOneOf(d.departmentRole, ['lead', 'co_handling'], 'data.departmentRole'),
    () => (isIsoDate(d.dueDate) ? null : refusal('INVALID_DATE', 'data.dueDate')),
    () => (d.dueDate < today ? refusal('DATE_IN_PAST', 'data.dueDate') : null),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('BlockerRaised', now, {
      blockerId: d.blockerId.trim(),
      category: d.category,
      description: d.description.trim(),
      responsibleDepartment: d.responsibleDepartment.trim(),
      departmentRole: d.departmentRole ?? 'lead',
      raisedDate: today,
      dueDate: d.dueDate,
    }),
  );
}

function resolveBlocker(d: DataOf<'ResolveBlocker'>, input: DecisionInput): Decision {
  const { state, now, today } = input;
  const problem = firstOf(
    () => checkText(d.blockerId, 'data.blockerId'),
    () =>
      state.resolvedBlockers.some((b) => b.blockerId === d.blockerId.trim())
        ? refusal('BLOCKER_ALREADY_RESOLVED', 'data.blockerId')
        : null,
    () =>
      state.openBlockers.some((b) => b.blockerId === d.blockerId.trim())
        ? null
        : refusal('BLOCKER_NOT_FOUND', 'data.blockerId'),
    () => checkText(d.resolution, 'data.resolution'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('BlockerResolved', now, {
      blockerId: d.blockerId.trim(),
      resolution: d.resolution.trim(),
      resolvedDate: today,
    }),
  );
}

function logServiceVisit(d: DataOf<'LogServiceVisit'>, input: DecisionInput): Decision {
  const { state, context, today } = input;
  const problem = firstOf(
    () => checkBusinessDate(d.visitDate, 'data.visitDate', today, state.leadDate, LEAD_DATE),
    () => checkText(d.summary, 'data.summary'),
    () => checkOptionalText(d.officerId, 'data.officerId'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ServiceVisitLogged', d.visitDate, {
      visitDate: d.visitDate,
      summary: d.summary.trim(),
      officerId: optionalText(d.officerId) ?? context.actor.id,
    }),
  );
}

function assignServiceOfficer(d: DataOf<'AssignServiceOfficer'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const problem = firstOf(
    () => checkText(d.officerId, 'data.officerId'),
    () =>
      d.officerId.trim() === state.serviceOfficerId ? refusal('ALREADY_ASSIGNED', 'data.officerId') : null,
    () => checkOptionalText(d.reason, 'data.reason'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ServiceOfficerAssigned', now, {
      officerId: d.officerId.trim(),
      previousOfficerId: state.serviceOfficerId,
      reason: optionalText(d.reason),
    }),
  );
}

function assignChiefServiceOfficer(d: DataOf<'AssignChiefServiceOfficer'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const problem = firstOf(
    () => checkText(d.chiefOfficerId, 'data.chiefOfficerId'),
    () =>
      d.chiefOfficerId.trim() === state.chiefServiceOfficerId
        ? refusal('ALREADY_ASSIGNED', 'data.chiefOfficerId')
        : null,
    () => checkOptionalText(d.guaranteeLeaderId, 'data.guaranteeLeaderId'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ChiefServiceOfficerAssigned', now, {
      chiefOfficerId: d.chiefOfficerId.trim(),
      previousChiefOfficerId: state.chiefServiceOfficerId,
      guaranteeLeaderId: optionalText(d.guaranteeLeaderId),
    }),
  );
}

function extendDeadline(d: DataOf<'ExtendDeadline'>, input: DecisionInput): Decision {
  const { context, now, today } = input;
  const problem = firstOf(
    () => checkText(d.deadlineId, 'data.deadlineId'),
    () =>
      context.openDeadlineIds && !context.openDeadlineIds.includes(d.deadlineId.trim())
        ? refusal('DEADLINE_NOT_OPEN', 'data.deadlineId')
        : null,
    () => (isIsoDate(d.newDueDate) ? null : refusal('INVALID_DATE', 'data.newDueDate')),
    () => (d.newDueDate < today ? refusal('DATE_IN_PAST', 'data.newDueDate') : null),
    () => checkText(d.reason, 'data.reason'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('DeadlineExtended', now, {
      deadlineId: d.deadlineId.trim(),
      newDueDate: d.newDueDate,
      reason: d.reason.trim(),
      approvedBy: context.actor.id,
    }),
  );
}

function drop(d: DataOf<'Drop'>, input: DecisionInput): Decision {
  const { state, now, today } = input;
  if (state.productionScope === 'full') return refused(refusal('PROJECT_COMPLETED'));
  const problem = checkText(d.reason, 'data.reason');
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ProjectDropped', now, {
      reason: d.reason.trim(),
      fromStage: state.stage!,
      droppedDate: today,
      alertsClosed: state.alerts.map((a) => a.deadlineId),
    }),
  );
}

function reopen(d: DataOf<'Reopen'>, input: DecisionInput): Decision {
  const { state, context, now } = input;
  if (state.stage !== 'dropped') return refused(refusal('PROJECT_NOT_DROPPED'));
  const problem = checkText(d.reason, 'data.reason');
  if (problem) return refused(problem);
  const toStage = state.stageBeforeDrop ?? 'lead';
  return accepted(
    makeEvent('ProjectReopened', now, { reason: d.reason.trim(), toStage, approvedBy: context.actor.id }),
  );
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

function raiseAlert(d: DataOf<'RaiseAlert'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const problem = firstOf(
    () => checkText(d.deadlineId, 'data.deadlineId'),
    () =>
      state.alerts.some((a) => a.deadlineId === d.deadlineId)
        ? refusal('ALERT_ALREADY_OPEN', 'data.deadlineId')
        : null,
    () => checkText(d.rule, 'data.rule'),
    () => checkText(d.step, 'data.step'),
    () => (isIsoDate(d.dueDate) ? null : refusal('INVALID_DATE', 'data.dueDate')),
    () => (isRung(d.rung) && d.rung >= 1 ? null : refusal('INVALID_VALUE', 'data.rung')),
    () => checkAddressee(d.addressee, 'data.addressee'),
    () => checkOneOf(d.light, LIGHTS, 'data.light'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('AlertRaised', now, {
      deadlineId: d.deadlineId,
      rule: d.rule,
      step: d.step,
      dueDate: d.dueDate,
      rung: d.rung,
      addressee: cleanAddressee(d.addressee),
      light: d.light,
    }),
  );
}

function cleanAddressee(a: Addressee): Addressee {
  const out: Addressee = { kind: a.kind, role: a.role, label: a.label };
  if (a.id) out.id = a.id;
  if (a.region) out.region = a.region;
  if (a.bulletin) out.bulletin = true;
  return out;
}

function escalate(d: DataOf<'Escalate'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const alert = state.alerts.find((a) => a.deadlineId === d.deadlineId);
  if (!alert) return refused(refusal('ALERT_NOT_OPEN', 'data.deadlineId'));
  const problem = firstOf(
    () => (isRung(d.rung) ? null : refusal('INVALID_VALUE', 'data.rung')),
    () => (d.rung > alert.rung ? null : refusal('RUNG_NOT_HIGHER', 'data.rung')),
    () => checkAddressee(d.addressee, 'data.addressee'),
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('AlertEscalated', now, {
      deadlineId: d.deadlineId,
      fromRung: alert.rung,
      rung: d.rung,
      addressee: cleanAddressee(d.addressee),
    }),
  );
}

function changeLight(d: DataOf<'ChangeLight'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const problem = firstOf(
    () => checkText(d.deadlineId, 'data.deadlineId'),
    () => checkOneOf(d.light, LIGHTS, 'data.light'),
  );
  if (problem) return refused(problem);
  const from: Light = state.lights[d.deadlineId] ?? 'green';
  if (from === d.light) return refused(refusal('LIGHT_UNCHANGED', 'data.light'));
  return accepted(makeEvent('LightChanged', now, { deadlineId: d.deadlineId, from, to: d.light }));
}

function resolveAlert(d: DataOf<'ResolveAlert'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const alert = state.alerts.find((a) => a.deadlineId === d.deadlineId);
  if (!alert) return refused(refusal('ALERT_NOT_OPEN', 'data.deadlineId'));
  const problem = checkOneOf(d.resolution, ['met', 'extended', 'no_longer_applies'], 'data.resolution');
  if (problem) return refused(problem);
  return accepted(
    makeEvent('AlertResolved', now, { deadlineId: d.deadlineId, resolution: d.resolution, rung: alert.rung }),
  );
}
