import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  log,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  bundledCalendar,
  businessDateOf,
  calendarFrom,
  catchUpDeadlines,
  deadlineCommands,
  decide,
  evolve,
  initialState,
  openDeadlines,
  resolutionsAt,
  shanghaiDate,
  shanghaiStartOfDay,
  SYSTEM_ACTOR,
  SYSTEM_EVENT_TYPES,
  refusal,
  referencedCalendar,
  revisionOf,
  type Actor,
  type ProjectEvent,
  type ProjectPolicy,
  type ProjectState,
  type VersionedCalendar,
  type WorkingDayCalendar,
  type VersionedPolicy,
  validateCalendar,
} from '@app/domain';
import {
  calendarChanged,
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
import type { CalendarActivities, ProjectActivities } from '../activities';
import { workflowTime } from '../workflow-time';

const { recordEvents, loadCurrentPolicy, loadStream } = proxyActivities<ProjectActivities>({
  startToCloseTimeout: '30 seconds',
  // The append heartbeats every second: a worker that dies holding it is noticed in seconds.
  heartbeatTimeout: '4 seconds',
  // No attempt limit: while PostgreSQL is away the command waits, and is recorded once it is back.
  // Tried every 2 s at most, so a command resumes within seconds of the database returning.
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds' },
});
/**
 * The append as a local activity: run by the worker that holds the workflow, in the same workflow
 * task, with no round trip through the server's activity queue (the server's work per command about
 * halves). Idempotent like the other: a retry after a commit writes nothing.
 */
const local = proxyLocalActivities<ProjectActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds' },
});
const { loadCurrentCalendar } = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Runs that load the calendar version in force and follow `calendarChanged`; older ones used version 1. */
const VERSIONED_CALENDAR = 'versioned-calendar';

/**
 * Runs that survive what arrives: a refused append answers the command and leaves the project
 * taking commands, a stream found ahead (a reset) is reloaded, the timer loop never fails the run.
 */
const RESILIENT_APPENDS = 'resilient-appends';
/**
 * Runs whose ETag names the revision (people's changes), whose answer includes the consequences a
 * command triggers at once, and whose extensions must name an open deadline.
 */
const ETAG_FOLLOWS_PEOPLE = 'etag-follows-people';
/** Runs that load the policy in force when they start, even with one carried over. */
const POLICY_ON_START = 'policy-on-start';
/**
 * Runs that tell the deadlines of a backdated entry on the days they fell due: a recorded history
 * (RecordHistory) is decided with the policy and calendar, and after a person's command whose events
 * are dated before today the watcher walks its deadlines from the earliest of them before the normal
 * pass. Asked where first needed (never in a validator), so a run begun before it also takes it up.
 */
const BACKDATED_DEADLINES = 'backdated-deadlines';
/** Runs that append as a local activity; older ones scheduled an activity task for each append. */
const LOCAL_APPENDS = 'local-appends';
/** Runs whose backdated first command waits for the policy the run is still loading, to catch up. */
const CATCH_UP_AWAITS_POLICY = 'catch-up-awaits-policy';
/**
 * Runs begun with every change above in force: one marker for all of them. Each marker also upserts
 * a search attribute, so asking each change cost a new project two events per change in its first
 * workflow task. A change made after this one is asked with its own `patched()` again.
 */
const BORN_WITH_2026_12 = 'born-with-2026-12';
/** The changes that marker stands for. */
type GenerationPatch =
  | typeof VERSIONED_CALENDAR
  | typeof RESILIENT_APPENDS
  | typeof ETAG_FOLLOWS_PEOPLE
  | typeof POLICY_ON_START
  | typeof BACKDATED_DEADLINES
  | typeof LOCAL_APPENDS
  | typeof CATCH_UP_AWAITS_POLICY;
/** How long the timer loop waits before trying again after a failure it could not put right. */
const RETRY_AFTER_FAILURE_MS = 60_000;
/** How often one command reloads a stream found ahead before giving up. */
const RELOADS_PER_COMMAND = 3;

/**
 * The application failure an activity failed with: wrapped in an ActivityFailure for an activity
 * task, as it is for a local activity.
 */
function applicationFailureOf(e: unknown): ApplicationFailure | undefined {
  const cause = e instanceof ActivityFailure ? e.cause : e;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

/** The type of the application failure an activity failed with, if any. */
function failureType(e: unknown): string | undefined {
  return applicationFailureOf(e)?.type ?? undefined;
}

/** A value the database refused: the command is refused, the project unchanged. */
function storageRefused(e: unknown): ApplicationFailure {
  const r = refusal('INVALID_FOR_STORAGE');
  const cause = applicationFailureOf(e);
  return ApplicationFailure.create({
    type: FAILURE_TYPES.refused,
    message: `${r.code}: ${cause?.message ?? r.message.en}`,
    details: [r],
    nonRetryable: true,
  });
}

/** How many command results are remembered for idempotent replays (carried across continue-as-new). */
const REMEMBERED_COMMANDS = 1000;
/** Never sleep less than this between timer passes, whatever the deadlines announce. */
const MIN_SLEEP_MS = 1000;

type CommandMemory = Omit<CommandResult, 'timings' | 'recordedAt'>;

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
  /** The calendar version in use; absent from runs that never had one (they used version 1). */
  calendar?: VersionedCalendar;
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
  // Asked once, as the run starts: histories recorded before each change replay as they ran. A run
  // that begins now takes the whole generation with one marker; an older one has none and asks each.
  const born = patched(BORN_WITH_2026_12);
  const inForce = (patch: GenerationPatch) => born || patched(patch);
  const resilient = inForce(RESILIENT_APPENDS);
  const peopleEtags = inForce(ETAG_FOLLOWS_PEOPLE);
  const append = inForce(LOCAL_APPENDS) ? local.recordEvents : recordEvents;
  let state: ProjectState = input.carry?.state ?? initialState;
  let policy: VersionedPolicy | null = input.carry?.policy ?? input.rules?.policy ?? null;
  // Null until loaded or told: until then (and in histories from before versioning) version 1.
  let calendar: VersionedCalendar | null =
    input.carry?.calendar ?? (input.rules ? referencedCalendar(input.rules.calendar) : null);
  let workingDays = calendarFrom((calendar ?? bundledCalendar(1)).data);
  const calendarVersion = () => calendar?.version ?? 1;
  const useCalendar = (next: VersionedCalendar) => {
    calendar = next;
    workingDays = calendarFrom(next.data);
    dirty = true;
  };
  const commands = new Map<string, CommandMemory>(input.carry?.commands ?? []);
  let busy = false;
  // Set whenever something happened that may change the deadlines: recompute before sleeping again.
  let dirty = true;

  const remember = (memory: CommandMemory) => {
    commands.set(memory.commandId, memory);
    if (commands.size > REMEMBERED_COMMANDS) commands.delete(commands.keys().next().value as string);
  };

  /** What a caller's If-Match is compared with: the revision (people's changes), or the version. */
  const currentTag = () => (peopleEtags ? revisionOf(state) : state.version);
  /**
   * Whether If-Match names this state. A run begun before revisions still takes its version, as it
   * did, and also the revision that the read model now gives its readers.
   */
  const tagMatches = (expected: number) =>
    expected === revisionOf(state) || (!peopleEtags && expected === state.version);
  /** If-Match ahead of this run's state: the run may have been reset behind its stream. */
  const mayBeBehind = (envelope: CommandEnvelope) =>
    resilient && envelope.expectedVersion !== undefined && envelope.expectedVersion > currentTag();

  /**
   * The events a command would produce now, or the failure that refuses it. A recorded history is
   * decided with the deadlines' rules when `withRules` (the handler, behind its marker): they add the
   * alerts that fell due between its steps, never a refusal, so the validator decides without them.
   */
  const eventsFor = (envelope: CommandEnvelope, inValidator = false, withRules = false): ProjectEvent[] => {
    if (envelope.expectedVersion !== undefined && !tagMatches(envelope.expectedVersion)) {
      // The handler reloads the stream before it judges a tag from the future.
      if (inValidator && mayBeBehind(envelope)) return [];
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.versionConflict,
        message: `expected version ${envelope.expectedVersion}, the project is at ${currentTag()}`,
        details: [{ expectedVersion: envelope.expectedVersion, actualVersion: currentTag() }],
        nonRetryable: true,
      });
    }
    const decision = decide(envelope.command, state, {
      actor: envelope.actor,
      now: workflowTime(),
      // An extension must name a deadline this watcher has open.
      ...(peopleEtags && envelope.command?.type === 'ExtendDeadline'
        ? { openDeadlineIds: deadlinesNow().deadlines.map((d) => d.id) }
        : {}),
      ...(withRules && policy?.policy
        ? { deadlineRules: { policy: policy.policy, calendar: workingDays } }
        : {}),
    });
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
    const { timings } = await append({
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

  /**
   * Takes the stream's state when it is ahead of this run's (a reset replays history to an earlier
   * point, while the events table keeps everything recorded since), and the events a command
   * recorded if the stream holds them already.
   */
  const reload = async (commandId?: string): Promise<Recorded | null> => {
    const loaded = await loadStream({ projectId: input.projectId, ...(commandId ? { commandId } : {}) });
    if (loaded.state.version > state.version) {
      state = loaded.state;
      dirty = true;
    }
    return loaded.commandEvents ? { summaries: loaded.commandEvents, recordedAt: workflowTime() } : null;
  };

  /** Records a person's command, reloading a stream found ahead; a value the store refuses is refused. */
  const recordCommand = async (envelope: CommandEnvelope): Promise<Recorded> => {
    const withRules = envelope.command?.type === 'RecordHistory' && inForce(BACKDATED_DEADLINES);
    // A history's alerts need the policy, which a run just started may still be loading.
    if (withRules && !policy) await condition(() => policy !== null);
    if (mayBeBehind(envelope)) {
      const found = await reload(envelope.commandId);
      if (found) return found;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await record(eventsFor(envelope, false, withRules), envelope.actor, envelope.commandId);
      } catch (e) {
        if (!resilient) throw e;
        const type = failureType(e);
        if (type === FAILURE_TYPES.storageRefused) throw storageRefused(e);
        if (type !== FAILURE_TYPES.streamAhead || attempt >= RELOADS_PER_COMMAND) throw e;
        const found = await reload(envelope.commandId);
        if (found) return found;
      }
    }
  };

  /** Records what the deadlines make due now; false when it failed and should be tried again later. */
  const applyDeadlinesSafely = async (current: VersionedPolicy): Promise<boolean> => {
    try {
      await applyDeadlines(current);
      return true;
    } catch (e) {
      let failure: unknown = e;
      try {
        if (failureType(e) === FAILURE_TYPES.streamAhead) {
          await reload();
          return true;
        }
      } catch (reloadError) {
        failure = reloadError;
      }
      log.warn('deadline pass failed; trying again later', { error: String(failure) });
      return false;
    }
  };

  /** The business dates before today of what a person's command recorded, earliest first. */
  const pastDatesOf = (recorded: Recorded): string[] => {
    const today = shanghaiDate(workflowTime());
    return recorded.summaries
      .filter((e) => !SYSTEM_EVENT_TYPES.includes(e.type as never))
      .map((e) => businessDateOf(e.businessTime))
      .filter((date) => date < today)
      .sort();
  };

  /**
   * After a person's command dated before today: the alerts, escalations and light changes that fell
   * due since its earliest date, each on its own day, as the watcher would have told them then: only
   * what adds to the state (catchUpDeadlines' monotone walk), and the alerts the entry itself ended,
   * closed on its date (resolutionsAt). The normal pass then tells what is due now.
   */
  const catchUpAfter = async (recorded: Recorded): Promise<void> => {
    const current = policy?.policy;
    if (!current) return;
    const now = workflowTime();
    const dates = pastDatesOf(recorded);
    if (dates.length === 0 || !inForce(BACKDATED_DEADLINES)) return;
    const rules = { policy: current, calendar: workingDays };
    const from = shanghaiStartOfDay(dates[0]);
    const walked = catchUpDeadlines(state, rules, from, now, { monotone: true, includeFrom: true });
    // What the entry ended (a lead's follow-up, once signed) closes on the entry's day.
    const ended = resolutionsAt(walked.state, rules, from, now);
    const events = [...walked.events, ...ended.events];
    if (events.length > 0) await record(events, SYSTEM_ACTOR, `deadline:${uuid4()}`);
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

  /**
   * The open deadlines of this state, remembered for the last state, rules and instant asked: a
   * command's task asks them several times over the same state (its consequences, the timer pass,
   * the next wake-up), and they are a pure function of what they are asked with.
   */
  let lastDeadlines: {
    state: ProjectState;
    policy: ProjectPolicy;
    calendar: WorkingDayCalendar;
    asOf: string;
    open: ReturnType<typeof openDeadlines>;
  } | null = null;
  const deadlinesOf = (rules: ProjectPolicy, asOf: string): ReturnType<typeof openDeadlines> => {
    const last = lastDeadlines;
    if (
      last &&
      last.state === state &&
      last.policy === rules &&
      last.calendar === workingDays &&
      last.asOf === asOf
    )
      return last.open;
    const open = openDeadlines(state, rules, workingDays, asOf);
    lastDeadlines = { state, policy: rules, calendar: workingDays, asOf, open };
    return open;
  };

  const deadlinesNow = (): DeadlinesView => {
    const asOf = workflowTime();
    const current = policy ?? { version: -1, policy: null };
    if (!current.policy)
      return {
        deadlines: [],
        nextChangeAt: null,
        policyVersion: -1,
        calendarVersion: calendarVersion(),
        asOf,
      };
    return {
      ...deadlinesOf(current.policy, asOf),
      policyVersion: current.version,
      calendarVersion: calendarVersion(),
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
  setHandler(calendarChanged, (next) => {
    // Ignored in histories recorded before versioned calendars (no marker there), as it was then; a
    // malformed version would fail every deadline computation, so it is ignored too.
    if (validateCalendar(next).ok && next.version > calendarVersion() && inForce(VERSIONED_CALENDAR))
      useCalendar(next);
  });

  setHandler(
    executeCommand,
    async (envelope): Promise<CommandResult> => {
      const earlier = commands.get(envelope.commandId);
      if (earlier) return earlier;
      return exclusively(async () => {
        const repeated = commands.get(envelope.commandId);
        if (repeated) return repeated;
        const recorded = await recordCommand(envelope);
        // A recorded history was decided with the deadlines' rules already: nothing to catch up.
        const catchingUp = peopleEtags && envelope.command?.type !== 'RecordHistory';
        // The first command of a run can arrive before the run has loaded its policy; a backdated
        // one needs it to tell what fell due on its days (else those would be told today).
        if (catchingUp && !policy && pastDatesOf(recorded).length > 0 && inForce(CATCH_UP_AWAITS_POLICY))
          await condition(() => policy !== null);
        if (catchingUp && policy) {
          try {
            await catchUpAfter(recorded);
          } catch (e) {
            // The command is recorded; the normal pass tells what is due now, at the latest.
            log.warn('catch-up of a backdated entry failed', { error: String(e) });
          }
        }
        // The alerts it resolves and the lights it changes are recorded before the answer, so the
        // caller sees them and the next timer pass has nothing to add.
        if (peopleEtags && policy && !(await applyDeadlinesSafely(policy))) dirty = true;
        const memory: CommandMemory = {
          commandId: envelope.commandId,
          version: state.version,
          revision: revisionOf(state),
          // A recorded history's answer names what people recorded, not the years of alerts with it.
          events:
            envelope.command?.type === 'RecordHistory'
              ? recorded.summaries.filter((e) => !SYSTEM_EVENT_TYPES.includes(e.type as never))
              : recorded.summaries,
        };
        remember(memory);
        // Timings and record time belong to this answer only, not to the remembered result.
        return { ...memory, recordedAt: recorded.recordedAt, timings: recorded.timings };
      });
    },
    {
      // Synchronous, as Temporal requires: a refusal here never reaches history.
      validator: (envelope) => {
        if (!commands.has(envelope.commandId)) eventsFor(envelope, true);
      },
    },
  );

  /** Records the alerts, escalations, light changes and resolutions that are due now. */
  const applyDeadlines = async (current: VersionedPolicy): Promise<void> => {
    const now = workflowTime();
    const due = deadlineCommands(state, deadlinesOf(current.policy, now), now);
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

  // A run continued as new takes up the policy in force too, in case a rollout missed it. A run
  // started with the rules its starter had just read takes them as they are.
  if (!policy || (!input.rules && inForce(POLICY_ON_START))) {
    const loaded = await loadCurrentPolicy();
    // A signal may have brought a newer version while the activity ran.
    if (!policy || loaded.version > policy.version) policy = loaded;
  }
  // Also on continue-as-new, in case a rollout missed this workflow; a signal may have come meanwhile.
  if (!input.rules && inForce(VERSIONED_CALENDAR)) {
    const loaded = await loadCurrentCalendar();
    if (calendar === null || loaded.version > calendarVersion()) useCalendar(loaded);
  }

  let failed = false;
  for (;;) {
    if (dirty) {
      dirty = false;
      const current = policy;
      if (resilient) failed = !(await exclusively(() => applyDeadlinesSafely(current)));
      else await exclusively(() => applyDeadlines(current));
      publishSearchAttributes();
    }
    if (shouldContinueAsNew()) {
      // Let every running command finish before handing over, so none is lost.
      await condition(() => allHandlersFinished() && !busy);
      await continueAsNew<typeof projectWorkflow>({
        ...input,
        // The next run loads the rules in force, as any continued run does.
        rules: undefined,
        carry: {
          state,
          commands: [...commands.entries()],
          policy: policy,
          ...(calendar ? { calendar } : {}),
        },
      });
    }
    const { nextChangeAt } = deadlinesNow();
    const wakeUp = () => dirty || shouldContinueAsNew();
    if (nextChangeAt === null && !failed) {
      await condition(wakeUp);
    } else {
      const untilChange =
        nextChangeAt === null ? Infinity : Date.parse(nextChangeAt) - Date.parse(workflowTime());
      const sleepMs = Math.max(
        MIN_SLEEP_MS,
        failed ? Math.min(untilChange, RETRY_AFTER_FAILURE_MS) : untilChange,
      );
      // A timeout means the deadlines changed by themselves: recompute.
      if (!(await condition(wakeUp, sleepMs))) dirty = true;
    }
  }
}
