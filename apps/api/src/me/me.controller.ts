import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor } from '../auth/auth';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { PeopleQueries } from '../people/people.queries';
import { MeView } from './me.view';

@ApiTags('me')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('me')
export class MeController {
  constructor(private readonly people: PeopleQueries) {}

  @Get()
  @ApiOperation({
    summary: 'The caller: name, role, regions, and the commands and capabilities the role carries',
  })
  @ApiOkResponse({ type: MeView })
  async me(@CurrentActor() actor: Actor): Promise<MeView> {
    const names = await this.people.names([actor.id]);
    return MeView.of(actor, names.get(actor.id) ?? null);
  }
}
