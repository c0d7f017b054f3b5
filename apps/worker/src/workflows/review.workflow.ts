import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { lastEndedQuarter, quarterProblem, shanghaiDate } from '@app/domain';
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
  const today = shanghaiDate(workflowTime());
  const quarter = input.quarter ?? lastEndedQuarter(today).code;
  // The API refuses such a quarter already; this holds for any other starter (the CLI, a script).
  const problem = quarterProblem(quarter, today);
  if (problem) throw ApplicationFailure.nonRetryable(`quarter ${problem.message}`, 'InvalidQuarter', quarter);
  return runReview({ quarter, requestedBy: input.requestedBy ?? 'system' });
}
