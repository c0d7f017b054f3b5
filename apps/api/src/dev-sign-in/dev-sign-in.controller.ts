import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JwtService } from '@nestjs/jwt';
import { Environment } from '@app/config';
import { Public } from '../auth/auth';
import { actorFromClaims, isTokenRefusal, subjectRefusal } from '../auth/token-rules';
import { ApiProblemResponses } from '../common/openapi';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { DevTokenDto, DevTokenView } from './dev-sign-in.dto';

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
    if (this.env.NODE_ENV === 'production')
      throw new ProblemException({
        type: `${PROBLEM_BASE}not-found`,
        title: 'Not Found',
        status: HttpStatus.NOT_FOUND,
        detail: 'development sign-in is not offered in production; sign in through single sign-on',
      });
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

function refused(problem: { field: string; rule: string; message: string }): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}validation`,
    title: 'The request is not valid',
    status: HttpStatus.BAD_REQUEST,
    detail: `${problem.field}: ${problem.message}`,
    errors: [problem],
  });
}
