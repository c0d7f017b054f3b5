import type { DecisionContext } from './actor';
import type { ProjectCommand } from './commands';
import { decideCorrection } from './correction';
import { normaliseInstant, shanghaiDate } from './dates';
import { refused, type Decision, type DecisionInput } from './decision';
import { refusal } from './refusals';
import type { ProjectState } from './state';
import {
  assignChiefServiceOfficer,
  assignServiceOfficer,
  extendDeadline,
} from './decide/assignments-extensions';
import {
  logServiceVisit,
  raiseBlocker,
  recordFundsArrived,
  resolveBlocker,
} from './decide/funds-blockers-visits';
import { checkGates } from './decide/gates';
import {
  drop,
  enterStatistics,
  land,
  registerLead,
  reopen,
  sign,
  startConstruction,
  startProduction,
  startTalks,
} from './decide/stage-transitions';
import { recordHistory } from './decide/record-history';
import { changeLight, escalate, raiseAlert, resolveAlert } from './decide/timer-commands';

export type { DecisionContext } from './actor';
export type { Decision } from './decision';

/**
 * Decides a command against a project's state: the events it produces, or a refusal.
 * Pure: the clock is the context's `now`; the same input always gives the same decision.
 * The gates come first (decide/gates.ts); each command's handler then checks its own rules.
 */
export function decide(command: ProjectCommand, state: ProjectState, context: DecisionContext): Decision {
  const gate = checkGates(command, state, context);
  if (gate) return refused(gate);
  const now = normaliseInstant(context.now);
  const input: DecisionInput = { state, context, now, today: shanghaiDate(now) };

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
    case 'RecordHistory':
      return recordHistory(command.data, input);
    default: {
      // Every command type has a case: a new one fails to compile here until it is handled.
      const unhandled: never = command;
      void unhandled;
      return refused(refusal('UNKNOWN_COMMAND', 'type'));
    }
  }
}
