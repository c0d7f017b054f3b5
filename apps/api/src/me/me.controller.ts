import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor } from '../auth/auth';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { MeView } from './me.view';

@ApiTags('me')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The caller: role, regions, and the commands and capabilities the role carries' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentActor() actor: Actor): MeView {
    return MeView.of(actor);
  }
}
