import type { DecisionContext } from './actor';
import type { ProjectEvent } from './events';
import type { Refusal } from './refusals';
import type { ProjectState } from './state';

export type Decision =
  { outcome: 'accepted'; events: ProjectEvent[] } | { outcome: 'refused'; refusal: Refusal };

export function accepted(...events: ProjectEvent[]): Decision {
  return { outcome: 'accepted', events };
}

export function refused(r: Refusal): Decision {
  return { outcome: 'refused', refusal: r };
}

/** What a handler sees besides the command: the state, the context and today's business date. */
export interface DecisionInput {
  state: ProjectState;
  context: DecisionContext;
  /** Canonical form of context.now. */
  now: string;
  /** The Asia/Shanghai date of now. */
  today: string;
}
