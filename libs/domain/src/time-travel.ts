import { businessDateOf, type IsoDate } from './dates';
import type { ProjectEvent } from './events';
import { evolve } from './evolve';
import { initialState, type ProjectState } from './state';

/** An event as the log holds it: its place in the stream and when the system learnt of it. */
export interface LoggedEvent {
  version: number;
  /** ISO-8601 instant the event was recorded. */
  recordedAt: string;
  event: ProjectEvent;
}

export interface TimeTravel {
  /** The business date the state should be in effect on. */
  asOf?: IsoDate;
  /** The instant whose knowledge the state should reflect: only events recorded by then. */
  knownAt?: string;
}

/**
 * The events that make up a project's state for an auditor's question: those the system knew at
 * `knownAt` and, of those, the ones in effect on `asOf` by their business time. A correction follows
 * the event it corrects, whatever day it was made: it says what was true then.
 */
export function eventsFor(events: LoggedEvent[], question: TimeTravel): LoggedEvent[] {
  const knownAt = question.knownAt ? Date.parse(question.knownAt) : Infinity;
  const known = events.filter((e) => Date.parse(e.recordedAt) <= knownAt);
  if (!question.asOf) return known;
  const asOf = question.asOf;
  const inEffect = new Set<number>();
  return known.filter((e) => {
    const include =
      e.event.type === 'EventCorrected'
        ? inEffect.has(e.event.data.correctsVersion)
        : businessDateOf(e.event.businessTime) <= asOf;
    if (include) inEffect.add(e.version);
    return include;
  });
}

/** The project's state for the question, folded from the events with the domain's evolve. */
export function stateAt(events: LoggedEvent[], question: TimeTravel): ProjectState {
  return eventsFor(events, question).reduce((state, e) => evolve(state, e.event), initialState);
}
