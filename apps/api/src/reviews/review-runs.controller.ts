import { HttpStatus, Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { ReviewRunResult } from '@app/workflow-interface';
import { Needs } from '../auth/auth';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { ReviewRunResultView } from './review.views';
import { parameterProblem } from '../common/validators';

/** The ids POST /api/reviews gives its runs (reviewWorkflowId): no other workflow is described here. */
const RUN_ID = /^review-\d{4}Q[1-4]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class ReviewRunView {
  @ApiProperty() workflowId!: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status!: 'running' | 'completed' | 'failed';
  @ApiPropertyOptional({
    nullable: true,
    type: ReviewRunResultView,
    description: "the run's result once completed",
  })
  result!: ReviewRunResult | null;
}

/** A review run that POST /api/reviews answered with 202: whether it has finished, for a page to watch. */
@ApiTags('reviews')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller()
export class ReviewRunsController {
  constructor(private readonly temporal: Client) {}

  @Get('reviews/runs/:workflowId')
  @Needs('review.run')
  @ApiOperation({
    summary: 'A review run started by POST /api/reviews: running, completed (with its result) or failed',
  })
  @ApiParam({ name: 'workflowId', description: 'the workflowId POST /api/reviews answered with 202' })
  @ApiOkResponse({ type: ReviewRunView })
  @ApiProblemResponses(404)
  async get(@Param('workflowId') workflowId: string): Promise<ReviewRunView> {
    if (!RUN_ID.test(workflowId)) {
      throw parameterProblem(
        'workflowId',
        'isReviewRun',
        'workflowId must be one POST /api/reviews gave out',
      );
    }
    const handle = this.temporal.workflow.getHandle(workflowId);
    try {
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') return { workflowId, status: 'running', result: null };
      if (status.name !== 'COMPLETED') return { workflowId, status: 'failed', result: null };
      return { workflowId, status: 'completed', result: (await handle.result()) as ReviewRunResult };
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
      throw new ProblemException({
        type: `${PROBLEM_BASE}not-found`,
        title: 'No such review run',
        status: HttpStatus.NOT_FOUND,
        detail: `no review run ${workflowId}`,
      });
    }
  }
}
