import type { Actor, DecisionContext } from '../actor';
import type { ProjectCommand, ProjectCommandType } from '../commands';
import { inScope } from '../field-checks';
import { actsOn, mayIssue } from '../permissions';
import { refusal, type Refusal } from '../refusals';
import type { ProjectState } from '../state';
import { isRecord } from '../validation';
import { commandShape, envelopeProblem } from './command-shape';

/**
 * What every command passes before its own rules: a well-formed envelope, a role that may send it,
 * a project that exists (or, for a lead, does not yet) within the actor's scope, and not dropped.
 */
export function checkGates(
  command: ProjectCommand,
  state: ProjectState,
  context: DecisionContext,
): Refusal | null {
  const envelope = envelopeProblem(command, context);
  if (envelope) return envelope;

  if (command.type === 'RegisterLead') {
    if (!mayIssue(context.actor.role, command.type)) return refusalForRole(command.type);
    if (state.exists) return refusal('PROJECT_ALREADY_EXISTS', 'data.projectId');
    const regionProblem = commandShape.RegisterLead(command.data).region();
    if (regionProblem) return regionProblem;
    if (!inScope(context, command.data.region)) return refusal('REGION_NOT_IN_SCOPE', 'data.region');
    return null;
  }
  if (command.type === 'RecordHistory') {
    if (!mayIssue(context.actor.role, command.type)) return refusalForRole(command.type);
    // A first import registers the lead (its gates are the lead's); a re-import is judged by the
    // history's own rules, a dropped project included (an unchanged row is told as unchanged).
    if (!state.exists) {
      const lead: unknown = command.data.lead;
      if (!isRecord(lead)) return refusal('REQUIRED', 'data.lead');
      const regionProblem = commandShape.RegisterLead(command.data.lead).region();
      if (regionProblem) return { ...regionProblem, field: 'data.lead.region' };
      if (!inScope(context, command.data.lead.region))
        return refusal('REGION_NOT_IN_SCOPE', 'data.lead.region');
      return null;
    }
    if (state.region !== null && !actsOn(context.actor, state)) return refusal('REGION_NOT_IN_SCOPE');
    return null;
  }
  return standingRefusal(command.type, state, context.actor);
}

/**
 * The gates of a command to an existing project that its data does not enter into: the role, the
 * project's existence and scope, and 终止. availableCommands asks it of every command.
 */
export function standingRefusal(type: ProjectCommandType, state: ProjectState, actor: Actor): Refusal | null {
  // Auditors only read, admins manage policy; timers send only timer commands, and people never do.
  if (!mayIssue(actor.role, type)) return refusalForRole(type);
  if (!state.exists) return refusal('PROJECT_NOT_FOUND');
  if (state.region !== null && !actsOn(actor, state)) return refusal('REGION_NOT_IN_SCOPE');
  if (state.stage === 'dropped' && type !== 'Reopen') return refusal('PROJECT_DROPPED');
  return null;
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
