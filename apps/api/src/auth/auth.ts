import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  HttpStatus,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { Environment } from '@app/config';
import {
  rolesIssuing,
  rolesWith,
  type Actor,
  type Capability,
  type ProjectCommandType,
  type Role,
} from '@app/domain';
import { PROBLEM_BASE, ProblemException, roleNotAllowed } from '../common/problem-details';
import { actorFromClaims, bearerTokenOf, isTokenRefusal, USER_ROLES, type TokenRefusal } from './token-rules';

export { USER_ROLES };

const PUBLIC = Symbol('public');
/** Routes anyone may call (health, docs). */
export const Public = () => SetMetadata(PUBLIC, true);

const ROLES = Symbol('roles');
/** The route sends these project commands: only the roles the domain lets send one may call it. */
export const Sends = (...commands: ProjectCommandType[]) => SetMetadata(ROLES, rolesIssuing(...commands));
/** The route needs this capability: only the roles the domain grants it may call it. */
export const Needs = (capability: Capability) => SetMetadata(ROLES, rolesWith(capability));

function unauthorized(detail: string, refused?: TokenRefusal): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}unauthorized`,
    title: 'Unauthorized',
    status: HttpStatus.UNAUTHORIZED,
    detail,
    ...(refused ? { errors: [refused] } : {}),
  });
}

/** jsonwebtoken's refusals, by the claim and rule they stand for. */
function verificationRefusal(e: unknown): TokenRefusal {
  const name = e instanceof Error ? e.name : '';
  const message = e instanceof Error ? e.message : String(e);
  if (name === 'TokenExpiredError')
    return { field: 'exp', rule: 'expired', message: 'the token has expired' };
  if (name === 'NotBeforeError')
    return { field: 'nbf', rule: 'not_before', message: 'the token is not valid yet' };
  if (message === 'invalid signature')
    return { field: 'Authorization', rule: 'signature', message: 'the token is not signed with our key' };
  return { field: 'Authorization', rule: 'invalid', message: `the token is not valid: ${message}` };
}

/**
 * Authentication. Bearer JWT (HS256): `sub` is the user id, `role` one of USER_ROLES, `regions`
 * division codes; an expiry within JWT_MAX_LIFETIME_HOURS is required (token-rules.ts). Each refusal
 * is a 401 naming the claim and the rule.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
    private readonly env: Environment,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const token = bearerTokenOf(req.headers.authorization);
    if (isTokenRefusal(token)) throw unauthorized(token.message, token);
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'] });
    } catch (e) {
      const refused = verificationRefusal(e);
      throw unauthorized(refused.message, refused);
    }
    const actor = actorFromClaims(claims, {
      now: Math.floor(Date.now() / 1000),
      maxLifetimeSeconds: this.env.JWT_MAX_LIFETIME_HOURS * 3600,
    });
    if (isTokenRefusal(actor)) throw unauthorized(actor.message, actor);
    req.actor = actor;
    return true;
  }
}

/**
 * Authorisation by role, from the domain's tables (`@Sends`, `@Needs`): a 403 naming the roles that
 * may. Region rules are the domain's too, and are judged where the project or region is known.
 */
@Injectable()
export class AuthorisationGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (!allowed) return true;
    const role = context.switchToHttp().getRequest<{ actor?: Actor }>().actor?.role;
    if (role === undefined) throw unauthorized('not authenticated');
    if (allowed.includes(role)) return true;
    throw roleNotAllowed(`role ${role} may not do this; allowed: ${allowed.join(', ')}`);
  }
}

/** The authenticated caller as the domain sees it. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw unauthorized('not authenticated');
  return actor;
});
