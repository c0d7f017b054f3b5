import type { Client, ScheduleOptions } from '@temporalio/client';
import type { Environment } from '@app/config';
import {
  DIGEST_SCHEDULE_ID,
  DIGEST_WORKFLOW_TYPE,
  type DigestWorkflowInput,
} from '@app/workflow-interface/digest';
import { ensureSchedule } from './review-schedule';

type DigestSettings = Pick<Environment, 'DIGEST_TIME' | 'DIGEST_TIMEZONE' | 'TEMPORAL_TASK_QUEUE'>;

/**
 * The morning digest fires every day at DIGEST_TIME in the bureau's time zone; the workflow
 * itself skips weekends and holidays, which a cron spec cannot know (调休). A run missed while the
 * server was down is made up for within two hours, late but still that morning.
 */
export function digestScheduleOptions(settings: DigestSettings): ScheduleOptions {
  const [hour, minute] = settings.DIGEST_TIME.split(':').map(Number);
  const input: DigestWorkflowInput = {};
  return {
    scheduleId: DIGEST_SCHEDULE_ID,
    spec: {
      calendars: [{ hour, minute, second: 0, comment: '每日待办: each morning' }],
      timezone: settings.DIGEST_TIMEZONE,
    },
    action: {
      type: 'startWorkflow',
      workflowType: DIGEST_WORKFLOW_TYPE,
      taskQueue: settings.TEMPORAL_TASK_QUEUE,
      args: [input],
      // Made unique per run by the schedule, which appends the run's time.
      workflowId: DIGEST_SCHEDULE_ID,
    },
    policies: { overlap: 'SKIP', catchupWindow: '2 hours' },
  };
}

export function ensureDigestSchedule(
  client: Client,
  settings: DigestSettings,
): Promise<'created' | 'updated'> {
  return ensureSchedule(client, digestScheduleOptions(settings));
}
