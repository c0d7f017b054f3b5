import type { Client, ScheduleOptions } from '@temporalio/client';
import type { Environment } from '@app/config';
import { FILE_CLEANUP_SCHEDULE_ID, FILE_CLEANUP_WORKFLOW_TYPE } from '@app/workflow-interface/file-cleanup';
import { ensureSchedule } from './review-schedule';

/**
 * Unreferenced uploads are removed once an hour for the whole deployment (a Temporal schedule, not
 * a timer in each replica): an upload is kept its day, and gone within the hour after. A run still
 * going is not doubled, and runs missed while the server was down are not made up for.
 */
export function fileCleanupScheduleOptions(
  settings: Pick<Environment, 'TEMPORAL_TASK_QUEUE'>,
): ScheduleOptions {
  return {
    scheduleId: FILE_CLEANUP_SCHEDULE_ID,
    spec: { intervals: [{ every: '1 hour' }] },
    action: {
      type: 'startWorkflow',
      workflowType: FILE_CLEANUP_WORKFLOW_TYPE,
      taskQueue: settings.TEMPORAL_TASK_QUEUE,
      args: [],
      workflowId: FILE_CLEANUP_SCHEDULE_ID,
    },
    policies: { overlap: 'SKIP', catchupWindow: '1 hour' },
  };
}

export function ensureFileCleanupSchedule(
  client: Client,
  settings: Pick<Environment, 'TEMPORAL_TASK_QUEUE'>,
): Promise<'created' | 'updated'> {
  return ensureSchedule(client, fileCleanupScheduleOptions(settings));
}
