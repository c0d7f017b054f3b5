import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { Environment } from '@app/config';
import { parseQuarter, shanghaiDate, type Actor } from '@app/domain';
import {
  REVIEW_WORKFLOW_TYPE,
  reviewWorkflowId,
  type ReviewRunResult,
  type ReviewWorkflowInput,
} from '@app/workflow-interface';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { ReviewQueries } from './review.queries';
import { scopeReport, type ReviewReportView } from './review-scope';

export interface StoredReview {
  quarter: string;
  revision: number;
  asOf: string;
  reportHash: string;
  createdAt: string;
  createdBy: string;
  report: ReviewReportView;
}

export type ReviewRun =
  { done: true; result: ReviewRunResult } | { done: false; quarter: string; workflowId: string };

@Injectable()
export class ReviewsService {
  constructor(
    private readonly queries: ReviewQueries,
    private readonly temporal: Client,
    private readonly env: Environment,
  ) {}

  /**
   * Runs the review of an ended quarter now, through the same workflow the schedule starts, and
   * answers its result if it ends within REVIEW_WAIT_MS.
   */
  async run(quarter: string, actor: Actor): Promise<ReviewRun> {
    const { lastDay } = parseQuarter(quarter);
    if (lastDay >= shanghaiDate(new Date().toISOString())) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}quarter-not-ended`,
        title: 'The quarter has not ended',
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        detail: `${quarter} ends on ${lastDay}; it can be reviewed from the day after`,
        code: 'QUARTER_NOT_ENDED',
        message: { zh: `${quarter} 尚未结束,不能回头看`, en: `${quarter} has not ended yet` },
        errors: [{ field: 'quarter', rule: 'ended', message: `${quarter} has not ended yet` }],
      });
    }
    const input: ReviewWorkflowInput = { quarter, requestedBy: actor.id };
    const handle = await this.temporal.workflow.start<(i: ReviewWorkflowInput) => Promise<ReviewRunResult>>(
      REVIEW_WORKFLOW_TYPE,
      {
        workflowId: reviewWorkflowId(quarter, randomUUID()),
        taskQueue: this.env.TEMPORAL_TASK_QUEUE,
        args: [input],
      },
    );
    // The API never waits without end: a review that takes longer goes on, and is read when stored.
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      handle.result(),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.env.REVIEW_WAIT_MS))),
    ]).finally(() => clearTimeout(timer));
    return waited ? { done: true, result: waited } : { done: false, quarter, workflowId: handle.workflowId };
  }

  async list(): Promise<Omit<StoredReview, 'report'>[]> {
    const rows = await this.queries.latestRevisions();
    return rows.map((r) => ({
      quarter: r.quarter,
      revision: r.revision,
      asOf: r.as_of,
      reportHash: r.report_hash,
      createdAt: r.created_at.toISOString(),
      createdBy: r.created_by,
    }));
  }

  /** A stored report, with what the caller may not read left out (review-scope.ts). */
  async get(quarter: string, actor: Actor, revision?: number): Promise<StoredReview> {
    const row = await this.queries.find(quarter, revision);
    if (!row) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}not-found`,
        title: 'No such review',
        status: HttpStatus.NOT_FOUND,
        detail: `no stored review of ${quarter}${revision ? ` revision ${revision}` : ''}`,
      });
    }
    return {
      quarter: row.quarter,
      revision: row.revision,
      asOf: row.as_of,
      reportHash: row.report_hash,
      createdAt: row.created_at.toISOString(),
      createdBy: row.created_by,
      report: scopeReport(row.report, actor),
    };
  }
}
