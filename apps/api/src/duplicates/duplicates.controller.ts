import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor, Needs } from '../auth/auth';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { DuplicatePageView, ListDuplicatesQuery } from './dto/duplicates.dto';
import { DuplicatesService } from './duplicates.service';

@ApiTags('duplicates')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('duplicates')
export class DuplicatesController {
  constructor(private readonly duplicates: DuplicatesService) {}

  @Get()
  @Needs('duplicates.read')
  @ApiOperation({
    summary:
      '疑似重复签约: the pairs people confirmed to be different projects when one was flagged as the other counted again, newest first, where the reader may read either project',
  })
  @ApiOkResponse({ type: DuplicatePageView })
  list(@Query() query: ListDuplicatesQuery, @CurrentActor() actor: Actor): Promise<DuplicatePageView> {
    return this.duplicates.list(query, actor);
  }
}
