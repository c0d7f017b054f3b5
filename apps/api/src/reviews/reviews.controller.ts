import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { shanghaiDate, type Actor } from '@app/domain';
import { CurrentActor, Needs } from '../auth/auth';
import { Idempotent } from '../common/idempotency';
import { withHeaders, type WithHeaders } from '../common/response-headers.interceptor';
import { parameterProblem, reviewQuarterProblem, UuidParam } from '../common/validators';
import {
  ListSupervisionQuery,
  ReviewQuery,
  RunReviewDto,
  SupervisionItemPageView,
  SupervisionItemView,
  SupervisionStepDto,
} from './review.dto';
import { reviewWorkbook, stalledCsv } from './review-export';
import { ReviewsService } from './reviews.service';
import { SupervisionService } from './supervision.service';
import { ReviewRevisionView, ReviewRunningView, ReviewRunResultView, StoredReviewView } from './review.views';
import { ApiProblemResponses, ApiUuidParam, AUTHENTICATED_PROBLEMS } from '../common/openapi';

/** A spreadsheet to download: its type, its name as saved, and its length. */
function attachment(body: Buffer, type: string, fileName: string): StreamableFile {
  return new StreamableFile(body, {
    type,
    disposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    length: body.length,
  });
}

@ApiTags('reviews')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller()
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly supervision: SupervisionService,
  ) {}

  @Post('reviews')
  @HttpCode(HttpStatus.OK)
  @Needs('review.run')
  @Idempotent()
  @ApiOperation({
    summary:
      '回头看 of an ended quarter, now; the same quarter again over the same events gives the same report',
  })
  @ApiOkResponse({ type: ReviewRunResultView, description: 'the run finished within the wait' })
  @ApiResponse({
    status: 202,
    type: ReviewRunningView,
    description: 'the review is still running: read it at Location (GET /api/reviews/{quarter}) once stored',
  })
  async run(@Body() dto: RunReviewDto, @CurrentActor() actor: Actor) {
    const run = await this.reviews.run(dto.quarter, actor);
    if (run.done) return run.result;
    return withHeaders(
      { quarter: run.quarter, status: 'running', workflowId: run.workflowId },
      { Location: `/api/reviews/${run.quarter}` },
      HttpStatus.ACCEPTED,
    );
  }

  @Get('reviews')
  @ApiOperation({ summary: 'The quarters reviewed, with their latest revision' })
  @ApiOkResponse({ type: [ReviewRevisionView] })
  list() {
    return this.reviews.list();
  }

  @Get('reviews/:quarter')
  @ApiOperation({
    summary: 'A stored review: JSON, or append .xlsx / .csv (or ?format=) for the spreadsheet',
  })
  @ApiProduces(
    'application/json',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'text/csv',
  )
  @ApiOkResponse({
    type: StoredReviewView,
    description: 'the report with its revision, hash and who stored it (JSON; the spreadsheets as files)',
  })
  @ApiParam({
    name: 'quarter',
    description: 'an ended quarter such as 2025Q3, optionally with .xlsx or .csv',
    schema: { type: 'string', pattern: '^\\d{4}Q[1-4](\\.(xlsx|csv))?$' },
  })
  @ApiProblemResponses(404)
  async get(
    @Param('quarter') param: string,
    @Query() query: ReviewQuery,
    @CurrentActor() actor: Actor,
  ): Promise<WithHeaders> {
    const [quarter, extension] = param.split('.', 2);
    const format = extension ?? query.format ?? 'json';
    const problem = reviewQuarterProblem(quarter, shanghaiDate(new Date().toISOString()));
    if (problem) throw parameterProblem('quarter', problem.rule, `quarter ${problem.message}`);
    if (!['json', 'xlsx', 'csv'].includes(format)) {
      throw parameterProblem('format', 'isIn', 'format must be json, xlsx or csv (or append .xlsx / .csv)');
    }
    const stored = await this.reviews.get(quarter, actor, query.revision);
    // A reader shown part of the report gets an ETag of that part: two readers' views never share one.
    const scope = (stored.report as { rates?: { scope?: { regions: string[] } } }).rates?.scope;
    const headers = {
      ETag: scope
        ? `"${stored.reportHash.slice(0, 32)}-${createHash('sha256').update(scope.regions.join(',')).digest('hex').slice(0, 16)}"`
        : `"${stored.reportHash}"`,
      Vary: 'Authorization',
    };
    const filename = `回头看-${quarter}-r${stored.revision}`;
    if (format === 'xlsx') {
      const file = attachment(
        await reviewWorkbook(stored.report),
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        `${filename}.xlsx`,
      );
      return withHeaders(file, headers);
    }
    if (format === 'csv') {
      const file = attachment(
        Buffer.from(stalledCsv(stored.report)),
        'text/csv; charset=utf-8',
        `${filename}.csv`,
      );
      return withHeaders(file, headers);
    }
    return withHeaders(stored, headers);
  }

  @Get('supervision-items')
  @ApiOperation({ summary: "督办 items in the caller's regions" })
  @ApiOkResponse({ type: SupervisionItemPageView })
  listItems(
    @Query() query: ListSupervisionQuery,
    @CurrentActor() actor: Actor,
  ): Promise<SupervisionItemPageView> {
    return this.supervision.list(actor, query);
  }

  @Get('supervision-items/:id')
  @ApiOperation({ summary: 'A 督办 item with every step it took' })
  @ApiUuidParam('id', 'the 督办 item')
  @ApiOkResponse({ type: SupervisionItemView })
  @ApiProblemResponses(404)
  getItem(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<SupervisionItemView> {
    return this.supervision.get(actor, id);
  }

  @Post('supervision-items/:id/steps')
  @HttpCode(HttpStatus.OK)
  @Needs('supervision.step')
  @Idempotent()
  @ApiOperation({ summary: '下发 → 签收 → 办理 → 反馈 (the owner) → 复核 → 办结 (a leader)' })
  @ApiUuidParam('id', 'the 督办 item')
  @ApiOkResponse({ type: SupervisionItemView, description: 'the item after the step' })
  @ApiProblemResponses(404, 409)
  stepItem(
    @Param('id', UuidParam) id: string,
    @Body() dto: SupervisionStepDto,
    @CurrentActor() actor: Actor,
  ): Promise<SupervisionItemView> {
    return this.supervision.step(actor, id, dto);
  }
}
