import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor } from '../auth/auth';
import { ApiProblemResponses, ApiUuidParam, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { UuidParam } from '../common/validators';
import { TimelineService } from './timeline.service';
import { TimelineEntryView } from './timeline.view';

@ApiTags('projects')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('projects')
export class TimelineController {
  constructor(private readonly timelines: TimelineService) {}

  @Get(':id/timeline')
  @ApiOperation({
    summary:
      "The project's events in order, each as a Chinese sentence: stages, funds, blockers, visits, assignments, corrections, alerts and escalations; for whoever may read the project",
  })
  @ApiUuidParam('id', 'the project')
  @ApiOkResponse({ type: [TimelineEntryView] })
  @ApiProblemResponses(404)
  timeline(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<TimelineEntryView[]> {
    return this.timelines.timeline(id, actor);
  }
}
