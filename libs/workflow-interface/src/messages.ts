import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, ProjectCommand, ProjectState } from '@app/domain';

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
}

export interface ProjectWorkflowInput {
  projectId: string;
}

/** Failure types the workflow raises, so clients can tell a refusal from a conflict. */
export const FAILURE_TYPES = {
  refused: 'CommandRefused',
  versionConflict: 'VersionConflict',
} as const;

export const executeCommand = defineUpdate<CommandResult, [CommandEnvelope]>('executeCommand');
export const getState = defineQuery<ProjectState>('getState');
/** Wakes the workflow to recompute; used when something outside its events changes. */
export const wake = defineSignal('wake');
