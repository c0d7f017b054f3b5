import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JwtService } from '@nestjs/jwt';
import { Environment } from '@app/config';
import { ROLE_LABELS } from '@app/domain';
import { Public } from '../auth/auth';
import { actorFromClaims, isTokenRefusal, subjectRefusal } from '../auth/token-rules';
import { ApiProblemResponses } from '../common/openapi';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { PeopleQueries } from '../people/people.queries';
import { DevPeopleQuery, DevPeopleView, DevTokenDto, DevTokenView } from './dev-sign-in.dto';

/** A development token lives at most this long (and never past JWT_MAX_LIFETIME_HOURS). */
const DEV_TOKEN_HOURS = 12;

/**
 * The console's sign-in for development and tests: a token for any person, role and regions,
 * signed as `npm run token` signs one. With NODE_ENV=production the route is not there (404):
 * tokens come from the deployment's single sign-on.
 */
@ApiTags('dev')
@Controller('dev/tokens')
export class DevSignInController {
  constructor(
    private readonly jwt: JwtService,
    private readonly env: Environment,
  ) {}

  @Public()
  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Development only: a bearer token for a person, role and regions (404 in production)',
  })
  @ApiCreatedResponse({ type: DevTokenView })
  @ApiProblemResponses(400, 404, 413, 415, 422)
  issue(@Body() dto: DevTokenDto): DevTokenView {
    refuseInProduction(this.env);
    const badSubject = subjectRefusal(dto.sub);
    if (badSubject) throw refused(badSubject);
    const hours = Math.min(DEV_TOKEN_HOURS, this.env.JWT_MAX_LIFETIME_HOURS);
    const token = this.jwt.sign(
      { role: dto.role, regions: dto.regions },
      { subject: dto.sub, expiresIn: hours * 3600 },
    );
    // Held to the same rules the authentication guard applies, so the token given is one it accepts.
    const actor = actorFromClaims(this.jwt.decode<Record<string, unknown>>(token), {
      now: Math.floor(Date.now() / 1000),
      maxLifetimeSeconds: this.env.JWT_MAX_LIFETIME_HOURS * 3600,
    });
    if (isTokenRefusal(actor)) throw refused(actor);
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }
}

/**
 * The directory for the development sign-in page, which lists people before the user has a token
 * (GET /api/people needs one). With NODE_ENV=production it is not there (404), as POST /api/dev/tokens.
 */
@ApiTags('dev')
@Controller('dev/people')
export class DevPeopleController {
  constructor(
    private readonly people: PeopleQueries,
    private readonly env: Environment,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Development only: active people to sign in as, without contacts (404 in production)',
  })
  @ApiOkResponse({ type: DevPeopleView })
  @ApiProblemResponses(400, 404)
  async list(@Query() query: DevPeopleQuery): Promise<DevPeopleView> {
    refuseInProduction(this.env);
    const rows = await this.people.list({ q: query.q?.trim() || undefined, active: true, limit: 50 });
    return {
      items: rows.map((r) => ({
        personId: r.person_id,
        name: r.name,
        role: r.role,
        roleLabel: ROLE_LABELS[r.role] ?? r.role,
        regions: r.regions,
      })),
    };
  }
}

function refuseInProduction(env: Environment): void {
  if (env.NODE_ENV === 'production')
    throw new ProblemException({
      type: `${PROBLEM_BASE}not-found`,
      title: 'Not Found',
      status: HttpStatus.NOT_FOUND,
      detail: 'development sign-in is not offered in production; sign in through single sign-on',
    });
}

function refused(problem: { field: string; rule: string; message: string }): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}validation`,
    title: 'The request is not valid',
    status: HttpStatus.BAD_REQUEST,
    detail: `${problem.field}: ${problem.message}`,
    errors: [problem],
  });
}
