import type { Client, ScheduleOptions } from '@temporalio/client';
import type { Environment } from '@app/config';
import {
  AUDIT_CHECKPOINT_SCHEDULE_ID,
  AUDIT_CHECKPOINT_WORKFLOW_TYPE,
} from '@app/workflow-interface/audit-checkpoint';
import { ensureSchedule } from './review-schedule';

type CheckpointSettings = Pick<Environment, 'AUDIT_CHECKPOINT_INTERVAL_MINUTES' | 'TEMPORAL_TASK_QUEUE'>;

/**
 * One checkpoint every AUDIT_CHECKPOINT_INTERVAL_MINUTES for the whole deployment, however many
 * workers run: a Temporal schedule, not a timer in each replica. A run still going when the next is
 * due is not doubled (SKIP), and a run missed while the server was down is not made up for beyond
 * one interval.
 */
export function auditCheckpointScheduleOptions(settings: CheckpointSettings): ScheduleOptions {
  return {
    scheduleId: AUDIT_CHECKPOINT_SCHEDULE_ID,
    spec: { intervals: [{ every: `${settings.AUDIT_CHECKPOINT_INTERVAL_MINUTES} minutes` }] },
    action: {
      type: 'startWorkflow',
      workflowType: AUDIT_CHECKPOINT_WORKFLOW_TYPE,
      taskQueue: settings.TEMPORAL_TASK_QUEUE,
      args: [],
      // Made unique per run by the schedule, which appends the run's time.
      workflowId: AUDIT_CHECKPOINT_SCHEDULE_ID,
    },
    policies: {
      overlap: 'SKIP',
      catchupWindow: `${Math.max(1, settings.AUDIT_CHECKPOINT_INTERVAL_MINUTES)} minutes`,
    },
  };
}

/**
 * Creates the checkpoint schedule or brings it in line with configuration; with an interval of 0
 * it is paused (left in place, so turning checkpoints back on keeps its history).
 */
export async function ensureAuditCheckpointSchedule(
  client: Client,
  settings: CheckpointSettings,
): Promise<'created' | 'updated' | 'paused' | 'off'> {
  if (settings.AUDIT_CHECKPOINT_INTERVAL_MINUTES === 0) {
    const handle = client.schedule.getHandle(AUDIT_CHECKPOINT_SCHEDULE_ID);
    try {
      await handle.pause('AUDIT_CHECKPOINT_INTERVAL_MINUTES=0');
      return 'paused';
    } catch {
      return 'off';
    }
  }
  const outcome = await ensureSchedule(client, auditCheckpointScheduleOptions(settings));
  await client.schedule
    .getHandle(AUDIT_CHECKPOINT_SCHEDULE_ID)
    .unpause('checkpoints on')
    .catch(() => undefined);
  return outcome;
}
