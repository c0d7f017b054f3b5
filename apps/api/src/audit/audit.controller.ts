import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import type { CheckpointDigest } from '@app/audit-integrity';
import { CurrentActor, Needs } from '../auth/auth';
import { withHeaders, type WithHeaders } from '../common/response-headers.interceptor';
import { RowIdParam, UuidParam } from '../common/validators';
import { ProjectsService } from '../projects/projects.service';
import { AuditRead } from './audit-read-log';
import { CheckpointDigestDto, HistoryQuery, StateQuery, VerifyQuery } from './audit.dto';
import { AuditService, type HistoryEvent } from './audit.service';
import {
  CheckpointSummaryView,
  CheckpointVerdictView,
  HistoryEventView,
  PublicKeyView,
  StateAtView,
  VerifyReportView,
} from './audit.views';
import { ApiProblemResponses, ApiUuidParam, AUTHENTICATED_PROBLEMS } from '../common/openapi';

/** What auditors (审计 / 督查) need to trust the record; every read here is itself logged. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller()
@AuditRead()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly projects: ProjectsService,
  ) {}

  @Get('projects/:id/history')
  @ApiOperation({
    summary:
      "A page of a project's events in version order: actor, role, business time, record time, command id, hash, and whether each one's link to the event before it holds",
    description:
      'The body stays a list of events; the headers say how many there are and where the next page starts (pass X-Next-After-Version back as afterVersion).',
  })
  @ApiUuidParam('id', 'the project')
  @ApiProblemResponses(404)
  @ApiOkResponse({
    type: [HistoryEventView],
    headers: {
      'X-Total-Count': {
        description: 'how many events the history holds (of the type asked), on every page',
        schema: { type: 'integer' },
      },
      'X-Next-After-Version': {
        description: 'the afterVersion of the next page; absent on the last page',
        schema: { type: 'integer' },
      },
    },
  })
  async history(
    @Param('id', UuidParam) id: string,
    @Query() query: HistoryQuery,
    @CurrentActor() actor: Actor,
  ): Promise<WithHeaders<HistoryEvent[]>> {
    await this.projects.get(id, actor);
    const page = await this.audit.history(id, query);
    return withHeaders(page.events, {
      'X-Total-Count': String(page.total),
      'X-Next-After-Version': page.nextAfterVersion === null ? null : String(page.nextAfterVersion),
    });
  }

  @Get('projects/:id/state')
  @ApiOperation({
    summary:
      'The state in effect on a business date (asOf) and as the system knew it at an instant (knownAt), folded from the events',
  })
  @ApiUuidParam('id', 'the project')
  @ApiProblemResponses(404)
  @ApiOkResponse({ type: StateAtView })
  async state(@Param('id', UuidParam) id: string, @Query() query: StateQuery, @CurrentActor() actor: Actor) {
    await this.projects.get(id, actor);
    return this.audit.stateAt(id, query);
  }

  @Get('audit/verify')
  @Needs('audit.read')
  @ApiOperation({
    summary: "Recompute every chain (or one project's) and name the first broken link of each",
  })
  @ApiOkResponse({ type: VerifyReportView })
  verify(@Query() query: VerifyQuery) {
    return this.audit.verify(query.projectId);
  }

  @Get('audit/checkpoints')
  @Needs('audit.read')
  @ApiOperation({ summary: 'The stored checkpoints of every chain head' })
  @ApiOkResponse({ type: [CheckpointSummaryView] })
  checkpoints() {
    return this.audit.checkpoints();
  }

  @Get('audit/alerts')
  @Needs('audit.read')
  @ApiOperation({
    summary:
      'Alerts to auditors: a chain that no longer extends the head a checkpoint signed (blocked from the next one), or a stored checkpoint this key did not sign',
  })
  alerts() {
    return this.audit.alerts();
  }

  @Post('audit/checkpoints')
  @Needs('audit.checkpoint')
  @ApiOperation({ summary: 'Checkpoint every chain head now (the worker also does so periodically)' })
  checkpoint() {
    return this.audit.checkpoint();
  }

  @Get('audit/checkpoints/:id/digest')
  @Needs('audit.read')
  @ApiOperation({ summary: 'The signed digest file to keep outside the database' })
  @ApiProblemResponses(404)
  async digest(@Param('id', RowIdParam) id: number): Promise<WithHeaders<CheckpointDigest>> {
    const digest = await this.audit.digest(id);
    return withHeaders(digest, { 'Content-Disposition': `attachment; filename="checkpoint-${id}.json"` });
  }

  @Post('audit/checkpoints/verify')
  @HttpCode(HttpStatus.OK)
  @Needs('audit.read')
  @ApiOperation({ summary: 'Check the history against a digest kept outside the database' })
  @ApiProblemResponses(413, 415)
  @ApiOkResponse({ type: CheckpointVerdictView })
  verifyCheckpoint(@Body() digest: CheckpointDigestDto) {
    return this.audit.verifyCheckpoint(digest);
  }

  @Get('audit/public-key')
  @Needs('audit.read')
  @ApiOperation({ summary: 'The Ed25519 public key (SPKI, base64) that checkpoint signatures verify with' })
  @ApiOkResponse({ type: PublicKeyView })
  publicKey() {
    return { algorithm: 'Ed25519', publicKey: this.audit.publicKey() };
  }
}
