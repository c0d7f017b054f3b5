import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor, Needs } from '../auth/auth';
import { Idempotent } from '../common/idempotency';
import {
  ApiIfMatch,
  ApiProblemResponses,
  AUTHENTICATED_PROBLEMS,
  PRECONDITION_PROBLEMS,
} from '../common/openapi';
import { etagFor, ExpectedVersion } from '../common/preconditions';
import { withHeaders, type WithHeaders } from '../common/response-headers.interceptor';
import { CreatePersonDto, ListPeopleQuery, PersonDto, PersonPageView, PersonView } from './people.dto';
import { PersonIdParam } from './person-id.param';
import { PeopleService } from './people.service';

const PERSON_PARAM = ApiParam({
  name: 'id',
  description: 'the person’s id, as their sign-in carries it',
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' },
});

@ApiTags('people')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @ApiOperation({ summary: '人员名录: people by role, region or name, to pick assignees and show names' })
  @ApiOkResponse({ type: PersonPageView })
  list(@Query() query: ListPeopleQuery, @CurrentActor() actor: Actor): Promise<PersonPageView> {
    return this.people.list(query, actor);
  }

  @Get(':id')
  @PERSON_PARAM
  @ApiOperation({ summary: 'One person of the directory' })
  @ApiOkResponse({ type: PersonView })
  @ApiProblemResponses(404)
  async get(
    @Param('id', PersonIdParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<WithHeaders<PersonView>> {
    const person = await this.people.get(id, actor);
    return withHeaders(person, { ETag: etagFor(person.version) });
  }

  @Post()
  @Needs('people.manage')
  @HttpCode(HttpStatus.CREATED)
  @Idempotent()
  @ApiOperation({ summary: 'Add a person to the directory' })
  @ApiCreatedResponse({ type: PersonView })
  @ApiProblemResponses(409)
  async create(@Body() dto: CreatePersonDto, @CurrentActor() actor: Actor): Promise<WithHeaders<PersonView>> {
    const person = await this.people.create(dto, actor);
    return withHeaders(person, {
      ETag: etagFor(person.version),
      Location: `/api/people/${encodeURIComponent(person.personId)}`,
    });
  }

  @Put(':id')
  @Needs('people.manage')
  @PERSON_PARAM
  @Idempotent()
  @ApiIfMatch('the ETag of the person as last read, e.g. "v3"; a stale one gets 412')
  @ApiProblemResponses(404, ...PRECONDITION_PROBLEMS)
  @ApiOperation({
    summary: 'Change a person: name, role, regions, phone, e-mail, or retire them (active: false)',
  })
  @ApiOkResponse({ type: PersonView })
  async update(
    @Param('id', PersonIdParam) id: string,
    @Body() dto: PersonDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentActor() actor: Actor,
  ): Promise<WithHeaders<PersonView>> {
    const person = await this.people.update(id, dto, expectedVersion, actor);
    return withHeaders(person, { ETag: etagFor(person.version) });
  }
}
