import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Needs } from '../auth/auth';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { ListUnreachedQuery, UnreachedAlertPageView } from './unreached.dto';
import { UnreachedService } from './unreached.service';

@ApiTags('alerts')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('alerts')
export class UnreachedAlertsController {
  constructor(private readonly unreached: UnreachedService) {}

  @Get('unreached')
  @Needs('people.manage')
  @ApiOperation({
    summary:
      'Admins: open alerts and escalations no one is reached on, and why (no holder of the role in the region, a person with no channel, no robot for the region)',
  })
  @ApiOkResponse({ type: UnreachedAlertPageView })
  list(@Query() query: ListUnreachedQuery): Promise<UnreachedAlertPageView> {
    return this.unreached.list(query);
  }
}
