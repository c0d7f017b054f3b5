import { isIsoDate, lastDayOfMonth, minDate, monthOf } from '../dates';
import { accepted, refused, type Decision, type DecisionInput } from '../decision';
import { makeEvent } from '../events';
import { evidenceOf, firstOf } from '../field-checks';
import { formatYuan, normaliseYuan, parseYuan } from '../money';
import { refusal, type Refusal } from '../refusals';
import type { ProjectState } from '../state';
import { checkBusinessDate, optionalText } from '../validation';
import { commandShape, type DataOf } from './command-shape';
import { LEAD_DATE, notYet } from './stage-wording';

/** What happens on a project between its stages: 到位资金, 堵点 and 服务走访. */

/** Funds are recorded from signing on: what the state alone says, asked by availableCommands too. */
export function fundsStageRefusal(state: ProjectState): Refusal | null {
  return state.signedDate === null
    ? refusal('NOT_SIGNED', undefined, notYet('登记到位资金', 'record funds', '签约', 'signed'))
    : null;
}

export function recordFundsArrived(d: DataOf<'RecordFundsArrived'>, input: DecisionInput): Decision {
  const { state, today } = input;
  const stageProblem = fundsStageRefusal(state);
  if (stageProblem) return refused(stageProblem);
  const shape = commandShape.RecordFundsArrived(d);
  const problem = firstOf(
    shape.month,
    () => (d.month > monthOf(today) ? refusal('DATE_IN_FUTURE', 'data.month') : null),
    () =>
      d.month < monthOf(state.signedDate!)
        ? refusal('DATE_BEFORE_PREVIOUS_STAGE', 'data.month', {
            zh: '到位资金月份不能早于签约月份',
            en: 'the month cannot be earlier than the month of signing',
          })
        : null,
    shape.amount,
    () =>
      parseYuan(state.fundsArrivedTotal) + parseYuan(d.amount) < 0n
        ? refusal('FUNDS_TOTAL_NEGATIVE', 'data.amount')
        : null,
    shape.note,
    shape.files,
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
      ...evidenceOf(d.files),
    }),
  );
}

export function raiseBlocker(d: DataOf<'RaiseBlocker'>, input: DecisionInput): Decision {
  const { state, now, today } = input;
  const shape = commandShape.RaiseBlocker(d);
  const problem = firstOf(
    shape.blockerId,
    () =>
      [...state.openBlockers, ...state.resolvedBlockers].some((b) => b.blockerId === d.blockerId.trim())
        ? refusal('BLOCKER_ALREADY_EXISTS', 'data.blockerId')
        : null,
    shape.category,
    shape.description,
    shape.responsibleDepartment,
    shape.departmentRole,
    () =>
      d.raisedDate === undefined
        ? null
        : checkBusinessDate(d.raisedDate, 'data.raisedDate', today, state.leadDate, LEAD_DATE),
    shape.dueDate,
    () => {
      // A blocker entered as it is raised is due from today on; one entered afterwards, from its raising.
      if (d.raisedDate === undefined)
        return d.dueDate < today ? refusal('DATE_IN_PAST', 'data.dueDate') : null;
      return d.dueDate < d.raisedDate ? refusal('DATE_DUE_BEFORE_RAISED', 'data.dueDate') : null;
    },
  );
  if (problem) return refused(problem);
  const raisedDate = d.raisedDate ?? today;
  return accepted(
    makeEvent('BlockerRaised', raisedDate < today ? raisedDate : now, {
      blockerId: d.blockerId.trim(),
      category: d.category,
      description: d.description.trim(),
      responsibleDepartment: d.responsibleDepartment.trim(),
      departmentRole: d.departmentRole ?? 'lead',
      raisedDate,
      dueDate: d.dueDate,
    }),
  );
}

export function resolveBlocker(d: DataOf<'ResolveBlocker'>, input: DecisionInput): Decision {
  const { state, now, today } = input;
  const shape = commandShape.ResolveBlocker(d);
  const problem = firstOf(
    shape.blockerId,
    () =>
      state.resolvedBlockers.some((b) => b.blockerId === d.blockerId.trim())
        ? refusal('BLOCKER_ALREADY_RESOLVED', 'data.blockerId')
        : null,
    () =>
      state.openBlockers.some((b) => b.blockerId === d.blockerId.trim())
        ? null
        : refusal('BLOCKER_NOT_FOUND', 'data.blockerId'),
    shape.resolution,
    () => {
      if (d.resolvedDate === undefined) return null;
      if (!isIsoDate(d.resolvedDate)) return refusal('INVALID_DATE', 'data.resolvedDate');
      if (d.resolvedDate > today) return refusal('DATE_IN_FUTURE', 'data.resolvedDate');
      const blocker = state.openBlockers.find((b) => b.blockerId === d.blockerId.trim())!;
      return d.resolvedDate < blocker.raisedDate ? refusal('DATE_BEFORE_RAISED', 'data.resolvedDate') : null;
    },
    shape.files,
  );
  if (problem) return refused(problem);
  const resolvedDate = d.resolvedDate ?? today;
  return accepted(
    makeEvent('BlockerResolved', resolvedDate < today ? resolvedDate : now, {
      blockerId: d.blockerId.trim(),
      resolution: d.resolution.trim(),
      resolvedDate,
      ...evidenceOf(d.files),
    }),
  );
}

export function logServiceVisit(d: DataOf<'LogServiceVisit'>, input: DecisionInput): Decision {
  const { state, context, today } = input;
  const shape = commandShape.LogServiceVisit(d);
  const problem = firstOf(
    () => checkBusinessDate(d.visitDate, 'data.visitDate', today, state.leadDate, LEAD_DATE),
    shape.summary,
    shape.officerId,
    shape.files,
  );
  if (problem) return refused(problem);
  return accepted(
    makeEvent('ServiceVisitLogged', d.visitDate, {
      visitDate: d.visitDate,
      summary: d.summary.trim(),
      officerId: optionalText(d.officerId) ?? context.actor.id,
      ...evidenceOf(d.files),
    }),
  );
}
