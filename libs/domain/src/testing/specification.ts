import type { ProjectCommand } from '../commands';
import { decide, type Decision, type DecisionContext } from '../decide';
import type { ProjectEvent } from '../events';
import { foldEvents } from '../evolve';
import type { ProjectState } from '../state';

/** The part of a test framework's `expect` the specification needs (Jest's fits). */
export type ExpectLike = (actual: unknown) => { toEqual(expected: unknown): void };

export interface Then {
  decision: Decision;
  /** The state the given events fold to. */
  state: ProjectState;
  /** Expects exactly these events; returns the state after them. */
  then(expected: ProjectEvent[]): ProjectState;
  /** Expects acceptance, whatever the events; returns them and the state after them. */
  thenAccepted(): { events: ProjectEvent[]; state: ProjectState };
  /** Expects a refusal with this code (and field, when given). */
  thenRefused(code: string, field?: string): void;
}

/**
 * Given/when/then for the decider: given(events).when(command, context).then(events) or
 * .thenRefused(code). Pass the test framework's `expect`.
 */
export function specification(expect: ExpectLike, defaultContext: DecisionContext) {
  return function given(events: ProjectEvent[] = []) {
    return {
      when(command: ProjectCommand, context: DecisionContext = defaultContext): Then {
        const state = foldEvents(events);
        const decision = decide(command, state, context);
        const summary = (): unknown =>
          decision.outcome === 'refused' ? { outcome: 'refused', ...decision.refusal } : decision;
        return {
          decision,
          state,
          then(expected) {
            expect(summary()).toEqual({ outcome: 'accepted', events: expected });
            return foldEvents(expected, state);
          },
          thenAccepted() {
            expect(decision.outcome === 'accepted' ? 'accepted' : summary()).toEqual('accepted');
            const produced = decision.outcome === 'accepted' ? decision.events : [];
            return { events: produced, state: foldEvents(produced, state) };
          },
          thenRefused(code, field) {
            const actual =
              decision.outcome === 'refused'
                ? {
                    code: decision.refusal.code,
                    ...(field !== undefined ? { field: decision.refusal.field } : {}),
                    hasMessages:
                      decision.refusal.message.zh.length > 0 && decision.refusal.message.en.length > 0,
                  }
                : summary();
            expect(actual).toEqual({ code, ...(field !== undefined ? { field } : {}), hasMessages: true });
          },
        };
      },
    };
  };
}
