import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor } from '../auth/auth';
import { AcknowledgeAlertDto, AlertPageView, AlertView, ListAlertsQuery } from './dto/alert.dto';
import { AlertsService } from './alerts.service';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';

@ApiTags('alerts')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's inbox: alerts and escalations addressed to them, newest first" })
  @ApiOkResponse({ type: AlertPageView })
  inbox(@CurrentActor() actor: Actor, @Query() query: ListAlertsQuery): Promise<AlertPageView> {
    return this.alerts.inbox(actor, query);
  }

  @Post(':id/acknowledgement')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Acknowledge an alert: the caller has seen it (repeating it changes nothing)' })
  @ApiOkResponse({ type: AlertView })
  @ApiProblemResponses(404, 413, 415)
  acknowledge(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: AcknowledgeAlertDto,
  ): Promise<AlertView> {
    return this.alerts.acknowledge(actor, id, dto.note);
  }
}
