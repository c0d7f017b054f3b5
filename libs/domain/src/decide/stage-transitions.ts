import { maxDate } from '../dates';
import { accepted, refused, type Decision, type DecisionInput } from '../decision';
import { checkDuplicateConfirmation, type DuplicateConfirmation } from '../duplicates';
import {
  makeEvent,
  type AnomalyCode,
  type DuplicateConfirmationPoint,
  type DuplicateConfirmed,
} from '../events';
import {
  evidenceOf,
  firstOf,
  normaliseEvidence,
  normaliseInvestor,
  normaliseSite,
  qualifiesForStatistics,
} from '../field-checks';
import { normaliseYuan } from '../money';
import { refusal, type Refusal } from '../refusals';
import { hasReached } from '../stages';
import type { ProjectState } from '../state';
import { checkBusinessDate, optionalText } from '../validation';
import { commandShape, type DataOf } from './command-shape';
import {
  LANDED_DATE,
  LEAD_DATE,
  PRODUCTION_DATE,
  SIGNED_DATE,
  STARTED_DATE,
  TALKS_DATE,
  notYet,
} from './stage-wording';

/** The lifecycle: 线索 → 在谈 → 签约 → 落地 → 开工 → 入统 → 投产, 终止 and its reopening. */

/**
 * What the project's state alone says of each stage command, before its data is read: the refusal
 * it meets, or null. Each handler below starts with it; availableCommands asks it of every stage.
 */
export const STAGE_REFUSALS = {
  StartTalks: (state: ProjectState): Refusal | null =>
    state.stage !== 'lead' ? refusal('TALKS_NOT_FROM_LEAD') : null,
  Sign: (state: ProjectState): Refusal | null =>
    state.stage !== 'lead' && state.stage !== 'negotiating' ? refusal('ALREADY_SIGNED') : null,
  Land: (state: ProjectState): Refusal | null => {
    if (!hasReached(state.stage!, 'signed'))
      return refusal('NOT_SIGNED', undefined, notYet('落地', 'land', '签约', 'signed'));
    return hasReached(state.stage!, 'landed') ? refusal('ALREADY_LANDED') : null;
  },
  StartConstruction: (state: ProjectState): Refusal | null => {
    if (!hasReached(state.stage!, 'landed')) return refusal('NOT_LANDED');
    return hasReached(state.stage!, 'started') ? refusal('ALREADY_STARTED') : null;
  },
  EnterStatistics: (state: ProjectState): Refusal | null => {
    if (state.startedDate === null)
      return refusal(
        'NOT_STARTED',
        undefined,
        notYet('入统', 'enter the statistics', '开工', 'started construction'),
      );
    if (state.inStatsDate !== null) return refusal('ALREADY_IN_STATS');
    return qualifiesForStatistics(state) ? null : refusal('BELOW_STATISTICS_THRESHOLD');
  },
  StartProduction: (state: ProjectState): Refusal | null => {
    if (state.startedDate === null)
      return refusal(
        'NOT_STARTED',
        undefined,
        notYet('投产', 'start production', '开工', 'started construction'),
      );
    // Partial production may still become full; full production is the end of the lifecycle.
    return state.productionScope === 'full' ? refusal('ALREADY_PRODUCING', 'data.scope') : null;
  },
  Drop: (state: ProjectState): Refusal | null =>
    state.productionScope === 'full' ? refusal('PROJECT_COMPLETED') : null,
  Reopen: (state: ProjectState): Refusal | null =>
    state.stage !== 'dropped' ? refusal('PROJECT_NOT_DROPPED') : null,
} as const;

export function registerLead(d: DataOf<'RegisterLead'>, input: DecisionInput): Decision {
  const { context, today } = input;
  const shape = commandShape.RegisterLead(d);
  const problem = firstOf(
    shape.projectId,
    shape.name,
    shape.investor,
    shape.industryChain,
    shape.park,
    shape.industrial,
    shape.plannedInvestment,
    shape.source,
    () => checkBusinessDate(d.leadDate, 'data.leadDate', today, null),
    shape.serviceOfficerId,
  );
  if (problem) return refused(problem);
  const confirmationProblem = checkDuplicateConfirmation(
    d.duplicateConfirmation,
    'data.duplicateConfirmation',
    d.projectId,
  );
  if (confirmationProblem) return refused(confirmationProblem);
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
    ...duplicateConfirmed(d.duplicateConfirmation, 'registration', input.now),
  );
}

export function startTalks(d: DataOf<'StartTalks'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stageProblem = STAGE_REFUSALS.StartTalks(state);
  if (stageProblem) return refused(stageProblem);
  const shape = commandShape.StartTalks(d);
  const problem = firstOf(
    () => checkBusinessDate(d.talksDate, 'data.talksDate', today, state.leadDate, LEAD_DATE),
    shape.leadingOfficial,
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('TalksStarted', d.talksDate, {
      talksDate: d.talksDate,
      leadingOfficial: optionalText(d.leadingOfficial),
    }),
  );
}

export function sign(d: DataOf<'Sign'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stageProblem = STAGE_REFUSALS.Sign(state);
  if (stageProblem) return refused(stageProblem);
  const previous = state.talksDate ?? state.leadDate;
  const shape = commandShape.Sign(d);
  const problem = firstOf(
    () =>
      checkBusinessDate(
        d.contractDate,
        'data.contractDate',
        today,
        previous,
        state.talksDate ? TALKS_DATE : LEAD_DATE,
      ),
    shape.contractInvestment,
    shape.contractNumber,
    shape.signingBatchId,
    shape.plannedProductionDate,
    () =>
      d.plannedProductionDate !== undefined &&
      d.plannedProductionDate !== null &&
      d.plannedProductionDate < d.contractDate
        ? refusal('DATE_BEFORE_PREVIOUS_STAGE', 'data.plannedProductionDate', {
            zh: '计划投产日期不能早于签约日期',
            en: 'the planned production date cannot be earlier than the contract date',
          })
        : null,
    () => checkDuplicateConfirmation(d.duplicateConfirmation, 'data.duplicateConfirmation', state.projectId),
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
    ...duplicateConfirmed(d.duplicateConfirmation, 'signing', input.now),
  );
}

export function land(d: DataOf<'Land'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stageProblem = STAGE_REFUSALS.Land(state);
  if (stageProblem) return refused(stageProblem);
  const shape = commandShape.Land(d);
  const problem = firstOf(
    shape.creditCode,
    shape.companyName,
    () => checkBusinessDate(d.landedDate, 'data.landedDate', today, state.signedDate, SIGNED_DATE),
    shape.site,
    shape.files,
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ProjectLanded', d.landedDate, {
      creditCode: d.creditCode.trim().toUpperCase(),
      companyName: optionalText(d.companyName),
      landedDate: d.landedDate,
      site: normaliseSite(d.site),
      ...evidenceOf(d.files),
    }),
  );
}

export function startConstruction(d: DataOf<'StartConstruction'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stageProblem = STAGE_REFUSALS.StartConstruction(state);
  if (stageProblem) return refused(stageProblem);
  const shape = commandShape.StartConstruction(d);
  const problem = firstOf(
    () => checkBusinessDate(d.startDate, 'data.startDate', today, state.landedDate, LANDED_DATE),
    shape.evidence,
    shape.files,
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ConstructionStarted', d.startDate, {
      startDate: d.startDate,
      evidence: normaliseEvidence(d.evidence),
      ...evidenceOf(d.files),
    }),
  );
}

export function enterStatistics(d: DataOf<'EnterStatistics'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stageProblem = STAGE_REFUSALS.EnterStatistics(state);
  if (stageProblem) return refused(stageProblem);
  const shape = commandShape.EnterStatistics(d);
  const problem = firstOf(
    shape.statisticsCode,
    () => checkBusinessDate(d.inStatsDate, 'data.inStatsDate', today, state.startedDate, STARTED_DATE),
    shape.files,
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
      ...evidenceOf(d.files),
    }),
  );
}

export function startProduction(d: DataOf<'StartProduction'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stageProblem = STAGE_REFUSALS.StartProduction(state);
  if (stageProblem) return refused(stageProblem);
  const scopeProblem = firstOf(commandShape.StartProduction(d).scope, commandShape.StartProduction(d).files);
  if (scopeProblem) return refused(scopeProblem);
  if (state.productionScope === 'partial' && d.scope === 'partial') {
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
      ...evidenceOf(d.files),
    }),
  );
}

export function drop(d: DataOf<'Drop'>, input: DecisionInput): Decision {
  const { state, now, today } = input;
  const stageProblem = STAGE_REFUSALS.Drop(state);
  if (stageProblem) return refused(stageProblem);
  const problem = firstOf(commandShape.Drop(d).reason, () =>
    d.droppedDate === undefined
      ? null
      : checkBusinessDate(
          d.droppedDate,
          'data.droppedDate',
          today,
          latestStageDate(state),
          LATEST_STAGE_DATE,
        ),
  );
  if (problem) return refused(problem);
  const droppedDate = d.droppedDate ?? today;
  return accepted(
    makeEvent('ProjectDropped', droppedDate < today ? droppedDate : now, {
      reason: d.reason.trim(),
      fromStage: state.stage!,
      droppedDate,
      alertsClosed: state.alerts.map((a) => a.deadlineId),
    }),
  );
}

/** A project is dropped after the last stage it reached, not before. */
function latestStageDate(state: ProjectState): string | null {
  return maxDate(
    state.leadDate,
    state.talksDate,
    state.signedDate,
    state.landedDate,
    state.startedDate,
    state.inStatsDate,
    state.productionDate,
  );
}

const LATEST_STAGE_DATE = { zh: '项目最近一个阶段的日期', en: 'the date of the last stage reached' };

export function reopen(d: DataOf<'Reopen'>, input: DecisionInput): Decision {
  const { state, context, now } = input;
  const stageProblem = STAGE_REFUSALS.Reopen(state);
  if (stageProblem) return refused(stageProblem);
  const problem = commandShape.Reopen(d).reason();
  if (problem) return refused(problem);
  const toStage = state.stageBeforeDrop ?? 'lead';
  return accepted(
    makeEvent('ProjectReopened', now, { reason: d.reason.trim(), toStage, approvedBy: context.actor.id }),
  );
}

/** The DuplicateConfirmed event of a command that carries a (checked) confirmation, if any. */
export function duplicateConfirmed(
  confirmation: DuplicateConfirmation | null | undefined,
  at: DuplicateConfirmationPoint,
  now: string,
): DuplicateConfirmed[] {
  if (!confirmation) return [];
  return [
    makeEvent('DuplicateConfirmed', now, {
      of: confirmation.of.trim(),
      match: confirmation.match,
      reason: confirmation.reason.trim(),
      at,
    }),
  ];
}
