import { Body, Controller, Get, Param, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor, Needs } from '../auth/auth';
import { Idempotent } from '../common/idempotency';
import { PeopleQueries } from '../people/people.queries';
import { bulletinWorkbook, XLSX_CONTENT_TYPE } from './bulletin-workbook';
import {
  BulletinParams,
  BulletinQuery,
  BulletinView,
  ProgressQuery,
  ProgressView,
  PutTargetsDto,
  RegionTargetsView,
  TargetPathParams,
} from './targets.dto';
import { TargetsService } from './targets.service';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';

async function spreadsheet(bulletin: BulletinView): Promise<StreamableFile> {
  const ascii = `bulletin-${bulletin.month}.xlsx`;
  const chinese = encodeURIComponent(`招商引资目标任务通报-${bulletin.month}.xlsx`);
  return new StreamableFile(await bulletinWorkbook(bulletin), {
    type: XLSX_CONTENT_TYPE,
    disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${chinese}`,
  });
}

@ApiTags('targets')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller()
export class TargetsController {
  constructor(
    private readonly targets: TargetsService,
    private readonly people: PeopleQueries,
  ) {}

  /** Who set each target and made each change, by name from the people directory beside the id. */
  private async named(view: RegionTargetsView): Promise<RegionTargetsView> {
    const names = await this.people.names([
      ...view.entries.map((e) => e.updatedBy),
      ...view.history.map((c) => c.changedBy),
    ]);
    return {
      ...view,
      entries: view.entries.map((e) => ({ ...e, updatedByName: names.get(e.updatedBy) ?? null })),
      history: view.history.map((c) => ({ ...c, changedByName: names.get(c.changedBy) ?? null })),
    };
  }

  @Get('targets/:year/:region')
  @ApiOperation({ summary: "A region's annual targets, who set each and when, and every change" })
  @ApiOkResponse({ type: RegionTargetsView })
  async get(
    @Param() { year, region }: TargetPathParams,
    @CurrentActor() actor: Actor,
  ): Promise<RegionTargetsView> {
    return this.named(await this.targets.get(year, region, actor));
  }

  @Put('targets/:year/:region')
  @Needs('targets.set')
  @Idempotent()
  @ApiOperation({
    summary: "Set a region's annual targets (the whole set); leaders only for the regions they cover",
  })
  @ApiOkResponse({ type: RegionTargetsView })
  async put(
    @Param() { year, region }: TargetPathParams,
    @Body() dto: PutTargetsDto,
    @CurrentActor() actor: Actor,
  ): Promise<RegionTargetsView> {
    return this.named(await this.targets.put(year, region, dto, actor));
  }

  @Get('progress')
  @ApiOperation({
    summary: '完成情况: each target against its actual, beside 时序进度 (the share of the year gone)',
  })
  @ApiOkResponse({ type: ProgressView })
  progress(@Query() query: ProgressQuery, @CurrentActor() actor: Actor): Promise<ProgressView> {
    return this.targets.progress(query, actor);
  }

  // Before `bulletins/:month`, which would otherwise take '2025-06.xlsx' as its month.
  @Get('bulletins/:month.xlsx')
  @ApiOperation({ summary: 'The monthly bulletin (通报) as a spreadsheet' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  async bulletinSpreadsheet(
    @Param() { month }: BulletinParams,
    @Query() query: BulletinQuery,
    @CurrentActor() actor: Actor,
  ): Promise<StreamableFile> {
    return spreadsheet(await this.targets.bulletin(month, actor, query.region));
  }

  @Get('bulletins/:month')
  @ApiOperation({
    summary:
      'The monthly bulletin (通报): regions ranked by the mean of completion minus 时序进度 over their targets; ?format=xlsx for the spreadsheet',
  })
  @ApiOkResponse({ type: BulletinView })
  @ApiProduces('application/json', XLSX_CONTENT_TYPE)
  async bulletin(
    @Param() { month }: BulletinParams,
    @Query() query: BulletinQuery,
    @CurrentActor() actor: Actor,
  ): Promise<BulletinView | StreamableFile> {
    const bulletin = await this.targets.bulletin(month, actor, query.region);
    return query.format === 'xlsx' ? spreadsheet(bulletin) : bulletin;
  }
}
