/** The 回头看 workflow, started by the quarterly schedule or on demand. */
export const REVIEW_WORKFLOW_TYPE = 'quarterlyReviewWorkflow';

/** One schedule per namespace and task queue; the worker creates or updates it at start. */
export const REVIEW_SCHEDULE_ID = 'quarterly-review';

export function reviewWorkflowId(quarter: string, runKey: string): string {
  return `review-${quarter}-${runKey}`;
}

export interface ReviewWorkflowInput {
  /** '2025Q3'; absent when the schedule starts it: the quarter that ended last, by workflow time. */
  quarter?: string;
  requestedBy?: string;
}

export interface ReviewRunResult {
  quarter: string;
  asOf: string;
  revision: number;
  /** False when the latest stored revision already said the same. */
  stored: boolean;
  reportHash: string;
  stalled: number;
  opened: number;
  escalated: number;
  resolved: number;
}
