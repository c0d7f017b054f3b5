import type { DataSource } from 'typeorm';
import { ApplicationFailure } from '@temporalio/activity';
import type { ProjectEvent, ProjectState, VersionedPolicy } from '@app/domain';
import {
  appendEvents,
  currentPolicy,
  enqueueAlerts,
  projectRowFromState,
  replaceProjectFunds,
  StreamVersionConflict,
  touchesFunds,
  upsertProjectRow,
  type AppendResult,
} from '@app/persistence';
import { FAILURE_TYPES } from '@app/workflow-interface';

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

/**
 * Activities close over the DataSource; the workflow sees only their types.
 * Appending, projecting and queueing alerts happen in one transaction; a retry after a commit writes nothing.
 */
export function createProjectActivities(dataSource: DataSource) {
  return {
    async recordEvents(input: RecordEventsInput): Promise<RecordEventsResult> {
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
            await upsertProjectRow(manager, projectRowFromState(input.stateAfter, input.recordedAt));
            if (touchesFunds(input.events.map(({ event }) => event.type))) {
              await replaceProjectFunds(manager, input.stateAfter);
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
        // The workflow is the single writer: a conflict means the log was written behind its back.
        if (e instanceof StreamVersionConflict)
          throw ApplicationFailure.nonRetryable(e.message, FAILURE_TYPES.versionConflict);
        throw e;
      }
    },

    /** The policy in force, for a workflow that starts without one. */
    async loadCurrentPolicy(): Promise<VersionedPolicy> {
      return currentPolicy(dataSource.manager);
    },
  };
}

export type ProjectActivities = ReturnType<typeof createProjectActivities>;
