import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  chinaCalendar,
  deadlineCommands,
  decide,
  evolve,
  initialState,
  openDeadlines,
  SYSTEM_ACTOR,
  type Actor,
  type ProjectEvent,
  type ProjectState,
  type VersionedPolicy,
} from '@app/domain';
import {
  executeCommand,
  FAILURE_TYPES,
  getDeadlines,
  getState,
  INDUSTRY_CHAIN,
  policyChanged,
  PROJECT_LIGHT,
  PROJECT_REGION,
  PROJECT_STAGE,
  SIGNING_YEAR,
  type CommandEnvelope,
  type CommandResult,
  type DeadlinesView,
  type ProjectWorkflowInput,
  type RecordedEventSummary,
} from '@app/workflow-interface';
import type { ProjectActivities } from '../activities';
import { workflowTime } from '../workflow-time';

const { recordEvents, loadCurrentPolicy } = proxyActivities<ProjectActivities>({
  startToCloseTimeout: '30 seconds',
  // No attempt limit: while PostgreSQL is away the command waits, and is recorded once it is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** How many command results are remembered for idempotent replays (carried across continue-as-new). */
const REMEMBERED_COMMANDS = 1000;
/** Never sleep less than this between timer passes, whatever the deadlines announce. */
const MIN_SLEEP_MS = 1000;

type CommandMemory = Omit<CommandResult, 'state' | 'timings' | 'recordedAt'>;

/** What one append produced: the events' summaries, their record time and the activity's timings. */
interface Recorded {
  summaries: RecordedEventSummary[];
  recordedAt: string;
  timings?: CommandResult['timings'];
}

/** What a run hands to the next one when it continues as new. */
export interface ProjectWorkflowCarry {
  state: ProjectState;
  commands: [string, CommandMemory][];
  policy: VersionedPolicy;
}

/**
 * One project's lifecycle: the single writer of its events, and the watcher of its own deadlines.
 *
 * Every command arrives as an Update whose validator runs the domain's `decide`, so a refused command
 * leaves nothing in history. Between commands the workflow sleeps until the next change its deadlines
 * announce, then records the alerts, escalations and light changes that are due, as events.
 *
 * Changes to this code that alter the commands it issues go behind `patched()`, so that histories
 * already recorded replay as they ran.
 */
export async function projectWorkflow(
  input: ProjectWorkflowInput & { carry?: ProjectWorkflowCarry },
): Promise<void> {
  let state: ProjectState = input.carry?.state ?? initialState;
  let policy: VersionedPolicy | null = input.carry?.policy ?? null;
  const commands = new Map<string, CommandMemory>(input.carry?.commands ?? []);
  let busy = false;
  // Set whenever something happened that may change the deadlines: recompute before sleeping again.
  let dirty = true;

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

  /** Appends events through the activity; the state moves on only once they are stored. */
  const record = async (events: ProjectEvent[], actor: Actor, commandId: string): Promise<Recorded> => {
    const withIds = events.map((event) => ({ eventId: uuid4(), event }));
    const stateAfter = events.reduce(evolve, state);
    const info = workflowInfo();
    const recordedAt = workflowTime();
    const { timings } = await recordEvents({
      projectId: stateAfter.projectId ?? input.projectId,
      expectedVersion: state.version,
      events: withIds,
      actor: { id: actor.id, role: actor.role },
      commandId,
      workflowId: info.workflowId,
      runId: info.runId,
      recordedAt,
      stateAfter,
    });
    const summaries = withIds.map(({ eventId, event }, i) => ({
      eventId,
      version: state.version + i + 1,
      type: event.type,
      businessTime: event.businessTime,
    }));
    state = stateAfter;
    dirty = true;
    // Results recorded before the activity measured itself carry no timings.
    return { summaries, recordedAt, ...(timings ? { timings } : {}) };
  };

  /** Runs `fn` alone: each command decides on the state the previous one left. */
  const exclusively = async <T>(fn: () => Promise<T>): Promise<T> => {
    // Every waiter wakes in the same activation when the lock frees: check again before taking it.
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };

  const deadlinesNow = (): DeadlinesView => {
    const asOf = workflowTime();
    const current = policy ?? { version: -1, policy: null };
    if (!current.policy) return { deadlines: [], nextChangeAt: null, policyVersion: -1, asOf };
    return {
      ...openDeadlines(state, current.policy, chinaCalendar, asOf),
      policyVersion: current.version,
      asOf,
    };
  };

  setHandler(getState, () => state);
  setHandler(getDeadlines, deadlinesNow);
  setHandler(policyChanged, (next) => {
    if (!policy || next.version > policy.version) {
      policy = next;
      dirty = true;
    }
  });

  setHandler(
    executeCommand,
    async (envelope): Promise<CommandResult> => {
      const earlier = commands.get(envelope.commandId);
      if (earlier) return { ...earlier, state };
      return exclusively(async () => {
        const repeated = commands.get(envelope.commandId);
        if (repeated) return { ...repeated, state };
        const recorded = await record(eventsFor(envelope), envelope.actor, envelope.commandId);
        const memory: CommandMemory = {
          commandId: envelope.commandId,
          version: state.version,
          events: recorded.summaries,
        };
        remember(memory);
        // Timings and record time belong to this answer only, not to the remembered result.
        return { ...memory, state, recordedAt: recorded.recordedAt, timings: recorded.timings };
      });
    },
    {
      // Synchronous, as Temporal requires: a refusal here never reaches history.
      validator: (envelope) => {
        if (!commands.has(envelope.commandId)) eventsFor(envelope);
      },
    },
  );

  /** Records the alerts, escalations, light changes and resolutions that are due now. */
  const applyDeadlines = async (current: VersionedPolicy): Promise<void> => {
    const now = workflowTime();
    const due = deadlineCommands(state, openDeadlines(state, current.policy, chinaCalendar, now), now);
    if (due.length === 0) return;
    let next = state;
    const events: ProjectEvent[] = [];
    for (const command of due) {
      const decision = decide(command, next, { actor: SYSTEM_ACTOR, now });
      if (decision.outcome !== 'accepted') continue;
      events.push(...decision.events);
      next = decision.events.reduce(evolve, next);
    }
    if (events.length > 0) await record(events, SYSTEM_ACTOR, `deadline:${uuid4()}`);
  };

  let lastAttributes = '';
  const publishSearchAttributes = () => {
    if (input.searchAttributes === false || !state.exists) return;
    const pairs = [
      { key: PROJECT_STAGE, value: state.stage ?? 'lead' },
      { key: PROJECT_REGION, value: state.region ?? '' },
      { key: INDUSTRY_CHAIN, value: state.industryChain ?? '' },
      { key: PROJECT_LIGHT, value: state.light },
      ...(state.signedDate ? [{ key: SIGNING_YEAR, value: Number(state.signedDate.slice(0, 4)) }] : []),
    ];
    const fingerprint = JSON.stringify(pairs.map((p) => p.value));
    if (fingerprint === lastAttributes) return;
    lastAttributes = fingerprint;
    upsertSearchAttributes(pairs);
  };

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.continueAsNewAfterEvents !== undefined &&
      workflowInfo().historyLength >= input.continueAsNewAfterEvents);

  if (!policy) {
    const loaded = await loadCurrentPolicy();
    // A signal may have brought a newer version while the activity ran.
    if (!policy || loaded.version > (policy as VersionedPolicy).version) policy = loaded;
  }

  for (;;) {
    if (dirty) {
      dirty = false;
      const current = policy;
      await exclusively(() => applyDeadlines(current));
      publishSearchAttributes();
    }
    if (shouldContinueAsNew()) {
      // Let every running command finish before handing over, so none is lost.
      await condition(() => allHandlersFinished() && !busy);
      await continueAsNew<typeof projectWorkflow>({
        ...input,
        carry: { state, commands: [...commands.entries()], policy: policy },
      });
    }
    const { nextChangeAt } = deadlinesNow();
    const wakeUp = () => dirty || shouldContinueAsNew();
    if (nextChangeAt === null) {
      await condition(wakeUp);
    } else {
      const sleepMs = Math.max(MIN_SLEEP_MS, Date.parse(nextChangeAt) - Date.parse(workflowTime()));
      // A timeout means the deadlines changed by themselves: recompute.
      if (!(await condition(wakeUp, sleepMs))) dirty = true;
    }
  }
}
