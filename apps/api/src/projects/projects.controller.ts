import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiParam,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import {
  TRANSITION_COMMANDS,
  type Actor,
  type EvidenceFile,
  type ProjectCommand,
  type ProjectCommandType,
} from '@app/domain';
import { CurrentActor, Sends } from '../auth/auth';
import { commandIdFor, Idempotent, idempotencyKeyOf } from '../common/idempotency';
import {
  ApiIfMatch,
  ApiProblemResponses,
  ApiUuidParam,
  AUTHENTICATED_PROBLEMS,
  PRECONDITION_PROBLEMS,
} from '../common/openapi';
import { ExpectedVersion, projectEtag } from '../common/preconditions';
import { EtagFromRevision, withHeaders, type WithHeaders } from '../common/response-headers.interceptor';
import { BLOCKER_ID_PATTERN, PatternParam, UuidParam } from '../common/validators';
import {
  AssignmentDto,
  CorrectionDto,
  ExtensionDto,
  LogVisitDto,
  RaiseBlockerDto,
  RecordFundsDto,
  ResolveBlockerDto,
} from './dto/project-commands.dto';
import { ApiLikelyDuplicateResponse } from '../duplicates/dto/duplicates.dto';
import { CommandResponseView, ProjectDetailView, ProjectPageView, ProjectView } from './dto/project.view';
import { RegisterProjectDto } from './dto/register-project.dto';
import { TransitionDto, transitionCommand } from './dto/transition.dto';
import { ListProjectsQuery } from './dto/list-projects.query';
import { FilesService } from '../files/files.service';
import { PeopleQueries } from '../people/people.queries';
import { ProjectListService } from './project-list.service';
import { ProjectsService, type CommandOutcome } from './projects.service';

const IF_MATCH = 'the ETag of the project as last read, e.g. "v3"; a stale one gets 412';

/**
 * A write to an existing project: idempotent, under If-Match, answered with the project after it.
 * Who may call it follows from the commands it sends.
 */
function CommandRoute(path: string, commands: ProjectCommandType[], summary: string): MethodDecorator {
  return applyDecorators(
    Post(path),
    HttpCode(HttpStatus.OK),
    Sends(...commands),
    Idempotent(),
    ApiIfMatch(IF_MATCH),
    ApiUuidParam('id', 'the project'),
    ApiProblemResponses(404, 409, ...PRECONDITION_PROBLEMS),
    ApiOperation({ summary }),
    ApiOkResponse({ type: CommandResponseView }),
  );
}

/** A command's `files`, only when it carries some. */
function filesOf(files: EvidenceFile[]): { files?: EvidenceFile[] } {
  return files.length > 0 ? { files } : {};
}

/** Where a command's time went, for clients and dashboards: the Update, the append, the commit. */
function serverTiming(outcome: CommandOutcome): string | null {
  const parts: string[] = [];
  if (outcome.updateMs !== undefined) parts.push(`update;dur=${outcome.updateMs.toFixed(2)}`);
  const timings = outcome.result.timings;
  if (timings)
    parts.push(`append;dur=${timings.appendMs.toFixed(2)}`, `commit;dur=${timings.commitMs.toFixed(2)}`);
  return parts.length ? parts.join(', ') : null;
}

@ApiTags('projects')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly list: ProjectListService,
    private readonly people: PeopleQueries,
    private readonly files: FilesService,
  ) {}

  /** The uploaded files a command refers to, as its event records them (422 naming any it may not attach). */
  private async evidence(
    refs: { fileId: string; slot: EvidenceFile['slot'] }[] | undefined,
    actor: Actor,
  ): Promise<EvidenceFile[]> {
    // A command without files asks nothing of the database here: its path is what it was before.
    return refs && refs.length > 0 ? this.files.evidenceFor(refs, actor) : [];
  }

  /** The directory's names of the officers on these projects, in one query. */
  private officerNames(
    records: { serviceOfficerId: string | null; chiefServiceOfficerId: string | null }[],
  ): Promise<Map<string, string>> {
    return this.people.names(
      records.flatMap((r) => [r.serviceOfficerId, r.chiefServiceOfficerId]).filter((id) => id !== null),
    );
  }

  @Get()
  @ApiOperation({
    summary:
      'Projects the caller may read: filtered by stage, region, chain, light, overdue, signing year, size band, text, industrial or not, investor type and flags, park or officer; sorted; paged by cursor; with the totals (合计) of the whole filtered list',
  })
  @ApiOkResponse({ type: ProjectPageView })
  async search(@Query() query: ListProjectsQuery, @CurrentActor() actor: Actor): Promise<ProjectPageView> {
    const page = await this.list.list(query, actor);
    const names = await this.officerNames(page.items);
    return {
      items: page.items.map((r) => ProjectView.fromRecord(r, names)),
      nextCursor: page.nextCursor,
      totals: page.totals,
    };
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Sends('RegisterLead')
  @Idempotent()
  @ApiOperation({ summary: '线索登记: register a lead, which starts the project workflow' })
  @ApiCreatedResponse({ type: ProjectView })
  @ApiLikelyDuplicateResponse()
  async register(
    @Body() dto: RegisterProjectDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<ProjectView>> {
    const { record } = await this.projects.register(dto, actor, idempotencyKeyOf(req));
    return withHeaders(ProjectView.fromRecord(record, await this.officerNames([record])), {
      ETag: projectEtag(record),
      Location: `/api/projects/${record.projectId}`,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A project as it stands now, with its open deadlines, light and rung' })
  @ApiOkResponse({ type: ProjectDetailView })
  @ApiUuidParam('id', 'the project')
  @ApiProblemResponses(404)
  @EtagFromRevision()
  async get(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<ProjectDetailView> {
    const record = await this.projects.get(id, actor);
    // One after another: a page read holds one pooled connection at a time.
    const deadlines = await this.projects.deadlines(record);
    const required = await this.projects.evidenceRequired();
    const files = await this.projects.recordedFiles(id);
    return ProjectDetailView.from(
      record,
      deadlines,
      deadlines.policyVersion,
      await this.officerNames([record]),
      actor,
      { required, files },
    );
  }

  @ApiLikelyDuplicateResponse()
  @CommandRoute(
    ':id/transitions',
    Object.values(TRANSITION_COMMANDS),
    'Move the project to a stage with its evidence: 在谈, 签约, 落地, 开工, 入统, 投产, 终止, or reopen',
  )
  async transition(
    @Param('id', UuidParam) id: string,
    @Body() dto: TransitionDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<CommandResponseView>> {
    const files = await this.evidence(dto.files, actor);
    return this.command(id, actor, transitionCommand(dto, files), expectedVersion, req, files);
  }

  @CommandRoute(':id/funds', ['RecordFundsArrived'], '到位资金: record funds that arrived in a month')
  async funds(
    @Param('id', UuidParam) id: string,
    @Body() dto: RecordFundsDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<CommandResponseView>> {
    const files = await this.evidence(dto.files, actor);
    const command: ProjectCommand = {
      type: 'RecordFundsArrived',
      data: { month: dto.month, amount: dto.amount, note: dto.note ?? null, ...filesOf(files) },
    };
    return this.command(id, actor, command, expectedVersion, req, files);
  }

  @CommandRoute(
    ':id/blockers',
    ['RaiseBlocker'],
    '堵点: raise a blocker with its responsible department and due date',
  )
  async raiseBlocker(
    @Param('id', UuidParam) id: string,
    @Body() dto: RaiseBlockerDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<CommandResponseView>> {
    const departmentRole = dto.departmentRole ?? 'lead';
    const dueDate =
      dto.dueDate ??
      (await this.projects.defaultBlockerDueDate(await this.projects.find(id), departmentRole));
    const command: ProjectCommand = {
      type: 'RaiseBlocker',
      data: {
        // Made up from the idempotency key, so a retried request names the same blocker.
        blockerId: dto.blockerId ?? `B-${commandIdFor(actor, idempotencyKeyOf(req)).slice(0, 8)}`,
        category: dto.category,
        description: dto.description,
        responsibleDepartment: dto.responsibleDepartment,
        departmentRole,
        dueDate,
        ...(dto.raisedDate ? { raisedDate: dto.raisedDate } : {}),
      },
    };
    return this.command(id, actor, command, expectedVersion, req);
  }

  @CommandRoute(':id/blockers/:blockerId/resolution', ['ResolveBlocker'], 'Record how a blocker was cleared')
  @ApiParam({ name: 'blockerId', schema: { type: 'string', pattern: BLOCKER_ID_PATTERN.source } })
  async resolveBlocker(
    @Param('id', UuidParam) id: string,
    @Param('blockerId', PatternParam(BLOCKER_ID_PATTERN, '1–40 letters, digits, - or _'))
    blockerId: string,
    @Body() dto: ResolveBlockerDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<CommandResponseView>> {
    const files = await this.evidence(dto.files, actor);
    const command: ProjectCommand = {
      type: 'ResolveBlocker',
      data: {
        blockerId,
        resolution: dto.resolution,
        ...(dto.resolvedDate ? { resolvedDate: dto.resolvedDate } : {}),
        ...filesOf(files),
      },
    };
    return this.command(id, actor, command, expectedVersion, req, files);
  }

  @CommandRoute(':id/visits', ['LogServiceVisit'], '走访: log a service visit')
  async visit(
    @Param('id', UuidParam) id: string,
    @Body() dto: LogVisitDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<CommandResponseView>> {
    const files = await this.evidence(dto.files, actor);
    const command: ProjectCommand = {
      type: 'LogServiceVisit',
      data: {
        visitDate: dto.visitDate,
        summary: dto.summary,
        ...(dto.officerId ? { officerId: dto.officerId } : {}),
        ...filesOf(files),
      },
    };
    return this.command(id, actor, command, expectedVersion, req, files);
  }

  @CommandRoute(
    ':id/assignments',
    ['AssignServiceOfficer', 'AssignChiefServiceOfficer'],
    'Name the 服务专员 or the 首席服务官 of the project',
  )
  assign(
    @Param('id', UuidParam) id: string,
    @Body() dto: AssignmentDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<CommandResponseView>> {
    const command: ProjectCommand =
      dto.position === 'service_officer'
        ? { type: 'AssignServiceOfficer', data: { officerId: dto.personId, reason: dto.reason ?? null } }
        : {
            type: 'AssignChiefServiceOfficer',
            data: { chiefOfficerId: dto.personId, guaranteeLeaderId: dto.guaranteeLeaderId ?? null },
          };
    return this.command(id, actor, command, expectedVersion, req);
  }

  @CommandRoute(
    ':id/extensions',
    ['ExtendDeadline'],
    'A leader approves a later due date for one open deadline',
  )
  extend(
    @Param('id', UuidParam) id: string,
    @Body() dto: ExtensionDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<CommandResponseView>> {
    const command: ProjectCommand = {
      type: 'ExtendDeadline',
      data: { deadlineId: dto.deadlineId, newDueDate: dto.newDueDate, reason: dto.reason },
    };
    return this.command(id, actor, command, expectedVersion, req);
  }

  @CommandRoute(
    ':id/corrections',
    ['CorrectEvent'],
    '更正: record a correcting event for an earlier one; nothing is edited',
  )
  correct(
    @Param('id', UuidParam) id: string,
    @Body() dto: CorrectionDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<CommandResponseView>> {
    const { eventType, ...fields } = dto.changes;
    const command = {
      type: 'CorrectEvent',
      data: {
        correctsVersion: dto.correctsVersion,
        reason: dto.reason,
        // A plain object of the fields sent; which belong to the event type is the domain's rule.
        changes: { eventType, ...JSON.parse(JSON.stringify(fields)) },
      },
    } as ProjectCommand;
    return this.command(id, actor, command, expectedVersion, req);
  }

  private async command(
    id: string,
    actor: Actor,
    command: ProjectCommand,
    expectedVersion: number,
    req: Request,
    files: readonly EvidenceFile[] = [],
  ): Promise<WithHeaders<CommandResponseView>> {
    const outcome: CommandOutcome = await this.projects.execute(id, actor, command, {
      idempotencyKey: idempotencyKeyOf(req),
      expectedVersion,
    });
    // Cited by an event now: kept past the clean-up, and readable by the project's readers.
    if (files.length > 0)
      await this.files.markReferenced(
        files.map((f) => f.fileId),
        id,
      );
    return withHeaders(
      {
        project: ProjectView.fromRecord(outcome.record, await this.officerNames([outcome.record])),
        events: outcome.result.events,
      },
      { ETag: projectEtag(outcome.record), 'Server-Timing': serverTiming(outcome) },
    );
  }
}
