import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, OpenDeadlines, ProjectCommand, ProjectState, VersionedPolicy } from '@app/domain';

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

export interface CommandResult {
  commandId: string;
  version: number;
  state: ProjectState;
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
}

export interface DeadlinesView extends OpenDeadlines {
  policyVersion: number;
  asOf: string;
}

/** Failure types the workflow raises, so clients can tell a refusal from a conflict. */
export const FAILURE_TYPES = {
  refused: 'CommandRefused',
  versionConflict: 'VersionConflict',
} as const;

export const executeCommand = defineUpdate<CommandResult, [CommandEnvelope]>('executeCommand');
export const getState = defineQuery<ProjectState>('getState');
export const getDeadlines = defineQuery<DeadlinesView>('getDeadlines');
/** A new policy version; every open project workflow gets it and recomputes its deadlines. */
export const policyChanged = defineSignal<[VersionedPolicy]>('policyChanged');
