import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  Actor,
  OpenDeadlines,
  ProjectCommand,
  ProjectState,
  CalendarReference,
  VersionedCalendar,
  VersionedPolicy,
} from '@app/domain';

/** The workflow type name, for clients that start it by name. */
export const PROJECT_WORKFLOW_TYPE = 'projectWorkflow';

/** One workflow per project; its id is derived from the project id. */
export function projectWorkflowId(projectId: string): string {
  return `project-${projectId}`;
}

/** A lifecycle command as it travels to a project's workflow. */
export interface CommandEnvelope {
  /** The caller's idempotency key: the same key again returns the first result. */
  commandId: string;
  /** The project version the caller saw; a mismatch is a conflict. Omit to skip the check. */
  expectedVersion?: number;
  actor: Actor;
  command: ProjectCommand;
}

export interface RecordedEventSummary {
  eventId: string;
  version: number;
  type: string;
  businessTime: string;
}

/**
 * What an Update answers: a summary, not the project's state (which the read model holds, written in
 * the same transaction). Small whatever the project's size.
 */
export interface CommandResult {
  commandId: string;
  /** The stream version after the command and the consequences it triggered at once. */
  version: number;
  /** The revision after it: what the project's ETag names. */
  revision: number;
  events: RecordedEventSummary[];
  /**
   * How long the append activity spent in its transaction and on the COMMIT, for a command recorded
   * just now (absent for a repeat, and from workers that predate it).
   */
  timings?: { appendMs: number; commitMs: number };
  /** The record time of a command recorded just now: the read model's `updated_at` for it. */
  recordedAt?: string;
}

export interface ProjectWorkflowInput {
  projectId: string;
  /**
   * Continue as new once history holds this many events, besides whenever Temporal suggests it.
   * Operators may lower it; tests use it to exercise the hand-over.
   */
  continueAsNewAfterEvents?: number;
  /** Set search attributes (on by default; a server without them registered would fail the task). */
  searchAttributes?: boolean;
  /**
   * The policy and working-day calendar in force, from a starter that has just read them (an import
   * starting thousands of projects): the first run then need not load them, two activities fewer per
   * project. A run continued as new loads them again, as any run does. The calendar goes by its
   * number when it is a bundled version (calendarReference).
   */
  rules?: { policy: VersionedPolicy; calendar: CalendarReference };
}

export interface DeadlinesView extends OpenDeadlines {
  policyVersion: number;
  /** The working-day calendar version the deadlines were computed with. */
  calendarVersion: number;
  asOf: string;
}

/** Failure types the workflow raises, so clients can tell a refusal from a conflict. */
export const FAILURE_TYPES = {
  refused: 'CommandRefused',
  /** The caller's If-Match names another revision (a 412). */
  versionConflict: 'VersionConflict',
  /** The append found the stream ahead of the workflow (after a reset): reload and go on. */
  streamAhead: 'StreamAhead',
  /** The database refused the values deterministically (SQLSTATE class 22 or 23): never retried. */
  storageRefused: 'StorageRefused',
} as const;

export const executeCommand = defineUpdate<CommandResult, [CommandEnvelope]>('executeCommand');
export const getState = defineQuery<ProjectState>('getState');
export const getDeadlines = defineQuery<DeadlinesView>('getDeadlines');
/** A new policy version; every open project workflow gets it and recomputes its deadlines. */
export const policyChanged = defineSignal<[VersionedPolicy]>('policyChanged');
/**
 * A new working-day calendar version (next year's holidays announced): an open project workflow
 * computes its deadlines with it from then on; an older or equal version is ignored.
 */
export const calendarChanged = defineSignal<[VersionedCalendar]>('calendarChanged');
