import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Environment } from '@app/config';
import { REVIEW_SCHEDULE_ID, REVIEW_WORKFLOW_TYPE, type ReviewWorkflowInput } from '@app/workflow-interface';

type ScheduleSettings = Pick<
  Environment,
  'REVIEW_SCHEDULE_DAY_OF_MONTH' | 'REVIEW_SCHEDULE_HOUR' | 'REVIEW_SCHEDULE_TIMEZONE' | 'TEMPORAL_TASK_QUEUE'
>;

/** The schedule as configuration describes it: after each quarter ends, in the bureau's time zone. */
export function reviewScheduleOptions(settings: ScheduleSettings): ScheduleOptions {
  const input: ReviewWorkflowInput = {};
  return {
    scheduleId: REVIEW_SCHEDULE_ID,
    spec: {
      calendars: [
        {
          month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'],
          dayOfMonth: settings.REVIEW_SCHEDULE_DAY_OF_MONTH,
          hour: settings.REVIEW_SCHEDULE_HOUR,
          minute: 0,
          second: 0,
          comment: '回头看: after each quarter ends',
        },
      ],
      timezone: settings.REVIEW_SCHEDULE_TIMEZONE,
    },
    action: {
      type: 'startWorkflow',
      workflowType: REVIEW_WORKFLOW_TYPE,
      taskQueue: settings.TEMPORAL_TASK_QUEUE,
      args: [input],
      // The workflow id is made unique per run by the schedule, which appends the run's time.
      workflowId: 'quarterly-review',
    },
    // A review missed while the server was down still runs when it comes back, within a week.
    policies: { overlap: 'SKIP', catchupWindow: '7 days' },
  };
}

/**
 * Creates a schedule, or brings an existing one in line with the options given, so that starting a
 * worker any number of times (in any number of replicas) leaves exactly one schedule as configured.
 */
export async function ensureSchedule(
  client: Client,
  options: ScheduleOptions,
): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
    return 'updated';
  }
}

/** The quarterly review schedule, created or brought in line with configuration. */
export function ensureReviewSchedule(
  client: Client,
  settings: ScheduleSettings,
): Promise<'created' | 'updated'> {
  return ensureSchedule(client, reviewScheduleOptions(settings));
}
