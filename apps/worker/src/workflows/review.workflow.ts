import { proxyActivities } from '@temporalio/workflow';
import { lastEndedQuarter, shanghaiDate } from '@app/domain';
import type { ReviewRunResult, ReviewWorkflowInput } from '@app/workflow-interface';
import type { ReviewActivities } from '../activities/review-activities';
import { workflowTime } from '../workflow-time';

const { runReview } = proxyActivities<ReviewActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 5 },
});

/**
 * 回头看 of one quarter. Started by the schedule just after a quarter ends (no quarter given: the one
 * that ended last by the workflow's clock) or on demand for any past quarter.
 */
export async function quarterlyReviewWorkflow(input: ReviewWorkflowInput = {}): Promise<ReviewRunResult> {
  const quarter = input.quarter ?? lastEndedQuarter(shanghaiDate(workflowTime())).code;
  return runReview({ quarter, requestedBy: input.requestedBy ?? 'system' });
}
