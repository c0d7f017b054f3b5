import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor } from '../auth/auth';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { MeetingAgendaQuery, MeetingAgendaView } from './meeting.dto';
import { MeetingService } from './meeting.service';

@ApiTags('meeting')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller()
export class MeetingController {
  constructor(private readonly meeting: MeetingService) {}

  @Get('meeting-agenda')
  @ApiOperation({
    summary:
      "调度会: the projects in the caller's regions a meeting should discuss (red lights, alerts at rung 3 or 4, 督办 未整改, overdue blockers), each with why",
  })
  @ApiOkResponse({ type: MeetingAgendaView })
  agenda(@Query() query: MeetingAgendaQuery, @CurrentActor() actor: Actor): Promise<MeetingAgendaView> {
    return this.meeting.agenda(actor, query);
  }
}
