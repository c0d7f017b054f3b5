import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor, Needs } from '../auth/auth';
import { Idempotent } from '../common/idempotency';
import { etagFor, ExpectedVersion } from '../common/preconditions';
import { withHeaders, type WithHeaders } from '../common/response-headers.interceptor';
import { PolicyView, UpdatePolicyDto } from './policy.dto';
import { PolicyService } from './policy.service';
import {
  ApiIfMatch,
  ApiProblemResponses,
  AUTHENTICATED_PROBLEMS,
  PRECONDITION_PROBLEMS,
} from '../common/openapi';

@ApiTags('policy')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('policy')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @Get()
  @ApiOperation({ summary: 'The deadline and escalation policy in force, with its version' })
  @ApiOkResponse({ type: PolicyView })
  async get(): Promise<WithHeaders<PolicyView>> {
    const current = await this.policies.current();
    return withHeaders(current, { ETag: etagFor(current.version) });
  }

  @Put()
  @Needs('policy.manage')
  @Idempotent()
  @ApiIfMatch('the ETag of the policy as last read, e.g. "v3"; a stale one gets 412')
  @ApiProblemResponses(...PRECONDITION_PROBLEMS)
  @ApiOperation({
    summary: 'Store a new policy version; every open project workflow recomputes its deadlines',
  })
  @ApiOkResponse({ type: PolicyView })
  async put(
    @Body() dto: UpdatePolicyDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
  ): Promise<WithHeaders<PolicyView>> {
    const updated = await this.policies.update(dto, actor, expectedVersion);
    return withHeaders(updated, { ETag: etagFor(updated.version) });
  }
}
