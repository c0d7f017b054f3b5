import { proxyActivities } from '@temporalio/workflow';
import { isDigestDay, shanghaiDate } from '@app/domain';
import type { DigestWorkflowInput, DigestWorkflowResult } from '@app/workflow-interface/digest';
import type { DigestActivities } from '../activities/digest-activities';
import { workflowTime } from '../workflow-time';

const { queueDayDigests } = proxyActivities<DigestActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 5 },
});

/**
 * The morning digest, started by the `morning-digest` schedule: the day is the workflow's own
 * (Asia/Shanghai), so a run replays and a late start still counts for the day it was meant for.
 * On a weekend or holiday it ends at once; 调休 make-up days are working days.
 */
export async function morningDigestWorkflow(input: DigestWorkflowInput = {}): Promise<DigestWorkflowResult> {
  const day = shanghaiDate(workflowTime());
  if (!isDigestDay(day)) return { day, workingDay: false, people: 0, queued: 0 };
  const queued = await queueDayDigests(day, input.personIds);
  return { day, workingDay: true, ...queued };
}
