import type { Actor } from './actor';
import { PROJECT_COMMAND_TYPES, SYSTEM_COMMAND_TYPES, type ProjectCommandType } from './commands';
import { fundsStageRefusal } from './decide/funds-blockers-visits';
import { standingRefusal } from './decide/gates';
import { STAGE_REFUSALS } from './decide/stage-transitions';
import { refusal, type Refusal } from './refusals';
import type { ProjectState } from './state';

/** What the project's state alone refuses, per command; a command absent here depends on its data only. */
const STATE_REFUSALS: Partial<Record<ProjectCommandType, (state: ProjectState) => Refusal | null>> = {
  ...STAGE_REFUSALS,
  RecordFundsArrived: fundsStageRefusal,
  // A resolution names an open blocker: with none open, every one is refused.
  ResolveBlocker: (state) =>
    state.openBlockers.length === 0 ? refusal('BLOCKER_NOT_FOUND', 'data.blockerId') : null,
};

/**
 * Commands a person sends to a project that exists (a lead is registered, and a history imported,
 * not sent to a project's page).
 */
const PERSON_COMMANDS = PROJECT_COMMAND_TYPES.filter(
  (type) => type !== 'RegisterLead' && type !== 'RecordHistory' && !SYSTEM_COMMAND_TYPES.includes(type),
);

export interface AvailabilityOptions {
  /**
   * The deadlines open now, when the caller knows them: an extension must name one, so with none
   * open there is nothing to extend. Unknown, an extension is offered as the decider accepts it.
   */
  openDeadlineIds?: readonly string[];
}

/**
 * The commands this actor may send to this project now: those the decider would accept with valid
 * data. The role's table, the actor's scope over the project and 终止 (the decider's gates), and
 * what the project's stage allows (its stage rules) decide it; the data is the form's to supply.
 */
export function availableCommands(
  actor: Actor,
  state: ProjectState,
  options: AvailabilityOptions = {},
): ProjectCommandType[] {
  if (!state.exists) return [];
  return PERSON_COMMANDS.filter((type) => {
    if (standingRefusal(type, state, actor)) return false;
    if (STATE_REFUSALS[type]?.(state)) return false;
    if (type === 'ExtendDeadline' && options.openDeadlineIds?.length === 0) return false;
    return true;
  });
}
