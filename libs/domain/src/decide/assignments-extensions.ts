import { accepted, refused, type Decision, type DecisionInput } from '../decision';
import { makeEvent } from '../events';
import { firstOf } from '../field-checks';
import { refusal } from '../refusals';
import { optionalText } from '../validation';
import { commandShape, type DataOf } from './command-shape';

/** Who serves a project (服务专员, 首席服务官) and a leader's 延期 of a deadline. */

export function assignServiceOfficer(d: DataOf<'AssignServiceOfficer'>, input: DecisionInput): Decision {
  const { state, now } = input;
  const shape = commandShape.AssignServiceOfficer(d);
  const problem = firstOf(
    shape.officerId,
    () =>
      d.officerId.trim() === state.serviceOfficerId ? refusal('ALREADY_ASSIGNED', 'data.officerId') : null,
    shape.reason,
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

export function assignChiefServiceOfficer(
  d: DataOf<'AssignChiefServiceOfficer'>,
  input: DecisionInput,
): Decision {
  const { state, now } = input;
  const shape = commandShape.AssignChiefServiceOfficer(d);
  const problem = firstOf(
    shape.chiefOfficerId,
    () =>
      d.chiefOfficerId.trim() === state.chiefServiceOfficerId
        ? refusal('ALREADY_ASSIGNED', 'data.chiefOfficerId')
        : null,
    shape.guaranteeLeaderId,
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

export function extendDeadline(d: DataOf<'ExtendDeadline'>, input: DecisionInput): Decision {
  const { context, now, today } = input;
  const shape = commandShape.ExtendDeadline(d);
  const problem = firstOf(
    shape.deadlineId,
    // The caller names the deadlines open now, when it knows them (the workflow does).
    () =>
      context.openDeadlineIds && !context.openDeadlineIds.includes(d.deadlineId.trim())
        ? refusal('DEADLINE_NOT_OPEN', 'data.deadlineId')
        : null,
    shape.newDueDate,
    () => (d.newDueDate < today ? refusal('DATE_IN_PAST', 'data.newDueDate') : null),
    shape.reason,
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
