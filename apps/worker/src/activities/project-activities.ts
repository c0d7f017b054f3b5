import type { DataSource } from 'typeorm';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  evolve,
  initialState,
  type ProjectEvent,
  type ProjectState,
  type VersionedPolicy,
} from '@app/domain';
import {
  appendEvents,
  readStream,
  currentPolicy,
  enqueueAlerts,
  projectRowFromState,
  recordDuplicateConfirmations,
  replaceProjectFunds,
  StreamVersionConflict,
  touchesDuplicateConfirmations,
  touchesFunds,
  upsertProjectRow,
  lightChangesToRecord,
  upsertLightChanges,
  type AppendResult,
} from '@app/persistence';
import { FAILURE_TYPES, type RecordedEventSummary } from '@app/workflow-interface';

export interface RecordEventsInput {
  projectId: string;
  expectedVersion: number;
  events: { eventId: string; event: ProjectEvent }[];
  actor: { id: string; role: string };
  commandId: string;
  workflowId: string;
  runId: string;
  /** The workflow's time when it accepted the command: the record time of its events. */
  recordedAt: string;
  /** The project's state after these events, for the read model. */
  stateAfter: ProjectState;
}

/** Where an append's time went: the statements inside the transaction, and its COMMIT. */
export interface RecordTimings {
  appendMs: number;
  commitMs: number;
}

export type RecordEventsResult = AppendResult & { timings: RecordTimings };

const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** How often a running append tells the server it is alive (the workflow's heartbeat timeout is longer). */
const HEARTBEAT_EVERY_MS = 1000;

/**
 * Errors the database raises for the values themselves (SQLSTATE class 22, data exception, and 23,
 * integrity constraint violation): the same append would fail the same way on every retry.
 */
export function isDeterministicStorageError(e: unknown): e is { code: string; message: string } {
  const code =
    (e as { code?: unknown } | null)?.code ?? (e as { driverError?: { code?: unknown } })?.driverError?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** Another append took this version first: the stream is ahead, not the values wrong. */
function isVersionCollision(e: unknown): boolean {
  const err = e as { code?: unknown; constraint?: unknown; driverError?: { constraint?: unknown } } | null;
  const constraint = err?.constraint ?? err?.driverError?.constraint;
  return err?.code === '23505' && constraint === 'events_project_version_unique';
}

/** What a workflow that fell behind its stream (after a reset) needs to go on. */
export interface LoadedStream {
  state: ProjectState;
  /** The events a command recorded, when the stream already holds that command. */
  commandEvents: RecordedEventSummary[] | null;
}

/**
 * Activities close over the DataSource; the workflow sees only their types.
 * Appending, projecting and queueing alerts happen in one transaction; a retry after a commit writes nothing.
 */
export function createProjectActivities(dataSource: DataSource) {
  return {
    async recordEvents(input: RecordEventsInput): Promise<RecordEventsResult> {
      // A worker that dies mid-append is noticed within the heartbeat timeout, not the start-to-close
      // (as a local activity, by its workflow task's timeout: local activities do not heartbeat).
      const context = Context.current();
      const beating = !context.info.isLocal;
      if (beating) context.heartbeat();
      const beat = beating ? setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
      try {
        let appendMs = 0;
        let bodyEnd = 0n;
        const result = await dataSource.transaction(async (manager) => {
          const bodyStart = process.hrtime.bigint();
          const result = await appendEvents(manager, {
            projectId: input.projectId,
            expectedVersion: input.expectedVersion,
            events: input.events.map(({ eventId, event }) => ({
              eventId,
              type: event.type,
              schemaVersion: event.schemaVersion,
              businessTime: event.businessTime,
              data: event.data,
            })),
            actor: input.actor,
            commandId: input.commandId,
            workflowId: input.workflowId,
            runId: input.runId,
            recordedAt: new Date(input.recordedAt),
          });
          if (!result.duplicate) {
            const events = input.events.map(({ event }) => event);
            const lights = await lightChangesToRecord(manager, input.projectId, events);
            await upsertProjectRow(manager, projectRowFromState(input.stateAfter, input.recordedAt));
            await upsertLightChanges(manager, input.projectId, lights);
            if (touchesFunds(input.events.map(({ event }) => event.type))) {
              await replaceProjectFunds(manager, input.stateAfter);
            }
            if (touchesDuplicateConfirmations(input.events.map(({ event }) => event.type))) {
              await recordDuplicateConfirmations(
                manager,
                input.projectId,
                result.fromVersion,
                result.toVersion,
              );
            }
            await enqueueAlerts(manager, input.projectId, input.events, input.recordedAt);
          }
          appendMs = msSince(bodyStart);
          bodyEnd = process.hrtime.bigint();
          return result;
        });
        // Measured here, cheaply, so the API can report where a command's time went (Server-Timing).
        return { ...result, timings: { appendMs, commitMs: msSince(bodyEnd) } };
      } catch (e) {
        // The workflow is the single writer: a conflict means its history is behind the log (a reset).
        if (e instanceof StreamVersionConflict || isVersionCollision(e))
          throw ApplicationFailure.create({
            type: FAILURE_TYPES.streamAhead,
            message: (e as Error).message,
            details: e instanceof StreamVersionConflict ? [{ expected: e.expected, actual: e.actual }] : [],
            nonRetryable: true,
          });
        if (isDeterministicStorageError(e))
          throw ApplicationFailure.create({
            type: FAILURE_TYPES.storageRefused,
            message: `the database refused the append: ${e.message}`,
            details: [{ sqlState: e.code }],
            nonRetryable: true,
          });
        throw e;
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * The project as its stream holds it, folded from the events table, and the events of one
     * command if the stream has them: for a workflow whose history was reset behind its stream.
     */
    async loadStream(input: { projectId: string; commandId?: string }): Promise<LoadedStream> {
      const events = await readStream(dataSource.manager, input.projectId);
      let state: ProjectState = initialState;
      for (const row of events) {
        state = evolve(state, {
          type: row.type,
          schemaVersion: row.schemaVersion,
          businessTime: row.businessTime,
          data: row.data,
        } as ProjectEvent);
      }
      const ofCommand = input.commandId ? events.filter((e) => e.commandId === input.commandId) : [];
      return {
        state,
        commandEvents: ofCommand.length
          ? ofCommand.map((e) => ({
              eventId: e.eventId,
              version: e.version,
              type: e.type,
              businessTime: e.businessTime,
            }))
          : null,
      };
    },

    /** The policy in force, for a workflow that starts without one. */
    async loadCurrentPolicy(): Promise<VersionedPolicy> {
      return currentPolicy(dataSource.manager);
    },
  };
}

export type ProjectActivities = ReturnType<typeof createProjectActivities>;
