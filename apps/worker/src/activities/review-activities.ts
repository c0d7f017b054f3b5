import type { DataSource } from 'typeorm';
import { currentPolicy } from '@app/persistence';
import { runQuarterlyReview } from '@app/quarterly-review';
import type { ReviewRunResult } from '@app/workflow-interface';

/** The 回头看's one activity: the whole review is a single transaction, so a retry repeats it whole. */
export function createReviewActivities(dataSource: DataSource) {
  return {
    async runReview(input: { quarter: string; requestedBy: string }): Promise<ReviewRunResult> {
      const policy = await currentPolicy(dataSource.manager);
      const outcome = await runQuarterlyReview(dataSource, {
        quarter: input.quarter,
        policy,
        actorId: input.requestedBy,
      });
      return {
        quarter: outcome.report.quarter,
        asOf: outcome.report.asOf,
        revision: outcome.revision,
        stored: outcome.stored,
        reportHash: outcome.reportHash,
        stalled: outcome.report.stalled.length,
        opened: outcome.report.supervision.opened.length,
        escalated: outcome.report.supervision.escalated.length,
        resolved: outcome.report.supervision.resolved.length,
      };
    },
  };
}

export type ReviewActivities = ReturnType<typeof createReviewActivities>;
