import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { decide, evolve, initialState, type ProjectEvent, type ProjectState } from '@app/domain';
import {
  executeCommand,
  FAILURE_TYPES,
  getState,
  wake,
  type CommandEnvelope,
  type CommandResult,
  type ProjectWorkflowInput,
  type RecordedEventSummary,
} from '@app/workflow-interface';
import type { ProjectActivities } from '../activities';
import { workflowTime } from '../workflow-time';

const { recordEvents } = proxyActivities<ProjectActivities>({
  startToCloseTimeout: '30 seconds',
  // No attempt limit: while PostgreSQL is away the command waits, and is recorded once it is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** How many command results are remembered for idempotent replays (carried across continue-as-new). */
const REMEMBERED_COMMANDS = 1000;

type CommandMemory = Omit<CommandResult, 'state'>;

/** What a run hands to the next one when it continues as new. */
export interface ProjectWorkflowCarry {
  state: ProjectState;
  commands: [string, CommandMemory][];
}

/**
 * One project's lifecycle: the single writer of its events. Every command arrives as an Update
 * whose validator runs the domain's `decide`, so a refused command leaves nothing in history.
 */
export async function projectWorkflow(
  input: ProjectWorkflowInput & { carry?: ProjectWorkflowCarry },
): Promise<void> {
  let state: ProjectState = input.carry?.state ?? initialState;
  const commands = new Map<string, CommandMemory>(input.carry?.commands ?? []);
  let busy = false;

  const remember = (memory: CommandMemory) => {
    commands.set(memory.commandId, memory);
    if (commands.size > REMEMBERED_COMMANDS) commands.delete(commands.keys().next().value as string);
  };

  /** The events a command would produce now, or the failure that refuses it. */
  const eventsFor = (envelope: CommandEnvelope): ProjectEvent[] => {
    if (envelope.expectedVersion !== undefined && envelope.expectedVersion !== state.version) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.versionConflict,
        message: `expected version ${envelope.expectedVersion}, the project is at ${state.version}`,
        details: [{ expectedVersion: envelope.expectedVersion, actualVersion: state.version }],
        nonRetryable: true,
      });
    }
    const decision = decide(envelope.command, state, { actor: envelope.actor, now: workflowTime() });
    if (decision.outcome === 'refused') {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.refused,
        message: `${decision.refusal.code}: ${decision.refusal.message.en}`,
        details: [decision.refusal],
        nonRetryable: true,
      });
    }
    return decision.events;
  };

  setHandler(getState, () => state);

  setHandler(
    executeCommand,
    async (envelope): Promise<CommandResult> => {
      const earlier = commands.get(envelope.commandId);
      if (earlier) return { ...earlier, state };
      // One command at a time: each decides on the state the previous one left.
      await condition(() => !busy);
      busy = true;
      try {
        const repeated = commands.get(envelope.commandId);
        if (repeated) return { ...repeated, state };
        const events = eventsFor(envelope);
        const recordedAt = workflowTime();
        const withIds = events.map((event) => ({ eventId: uuid4(), event }));
        const stateAfter = events.reduce(evolve, state);
        const info = workflowInfo();
        await recordEvents({
          projectId: stateAfter.projectId ?? input.projectId,
          expectedVersion: state.version,
          events: withIds,
          actor: { id: envelope.actor.id, role: envelope.actor.role },
          commandId: envelope.commandId,
          workflowId: info.workflowId,
          runId: info.runId,
          recordedAt,
          stateAfter,
        });
        const summaries: RecordedEventSummary[] = withIds.map(({ eventId, event }, i) => ({
          eventId,
          version: state.version + i + 1,
          type: event.type,
          businessTime: event.businessTime,
        }));
        state = stateAfter;
        const memory: CommandMemory = {
          commandId: envelope.commandId,
          version: state.version,
          events: summaries,
        };
        remember(memory);
        return { ...memory, state };
      } finally {
        busy = false;
      }
    },
    {
      // Synchronous, as Temporal requires: a refusal here never reaches history.
      validator: (envelope) => {
        if (!commands.has(envelope.commandId)) eventsFor(envelope);
      },
    },
  );

  let woken = false;
  setHandler(wake, () => {
    woken = true;
  });

  for (;;) {
    await condition(() => woken || workflowInfo().continueAsNewSuggested);
    woken = false;
    if (workflowInfo().continueAsNewSuggested) {
      // Let every running command finish before handing over, so none is lost.
      await condition(() => allHandlersFinished() && !busy);
      await continueAsNew<typeof projectWorkflow>({
        projectId: input.projectId,
        carry: { state, commands: [...commands.entries()] },
      });
    }
  }
}
