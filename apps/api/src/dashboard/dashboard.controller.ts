import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor, Needs } from '../auth/auth';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { DashboardQuery, DashboardView } from './dashboard.dto';
import { DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller()
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('dashboard')
  @Needs('dashboard.read')
  @ApiOperation({
    summary:
      '领导驾驶舱: the funnel, lights, red list, targets beside 时序进度, ranking, cohort 开工率, funds by month and the ≥10 亿元 projects, each with its 台账 filter',
  })
  @ApiOkResponse({ type: DashboardView })
  get(@Query() query: DashboardQuery, @CurrentActor() actor: Actor): Promise<DashboardView> {
    return this.dashboard.dashboard(query, actor);
  }
}
