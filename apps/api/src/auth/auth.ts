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
import { REFUSAL_MESSAGES, type Actor, type Role } from '@app/domain';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';

export const USER_ROLES: readonly Role[] = ['officer', 'chief_officer', 'leader', 'auditor', 'admin'];

const PUBLIC = Symbol('public');
/** Routes anyone may call (health, docs). */
export const Public = () => SetMetadata(PUBLIC, true);

const ROLES = Symbol('roles');
/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

interface TokenClaims {
  sub?: unknown;
  role?: unknown;
  regions?: unknown;
}

function unauthorized(detail: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}unauthorized`,
    title: 'Unauthorized',
    status: HttpStatus.UNAUTHORIZED,
    detail,
  });
}

/** Bearer JWT (HS256): `sub` is the user id, `role` one of USER_ROLES, `regions` 6-digit division codes. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const header = req.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) throw unauthorized('send Authorization: Bearer <token>');
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & object>(token, { algorithms: ['HS256'] });
    } catch (e) {
      throw unauthorized(`the token is not valid: ${e instanceof Error ? e.message : String(e)}`);
    }
    const role = claims.role as Role;
    const regions = claims.regions;
    if (typeof claims.sub !== 'string' || !claims.sub) throw unauthorized('the token has no subject (sub)');
    if (!USER_ROLES.includes(role))
      throw unauthorized(`the token's role must be one of ${USER_ROLES.join(', ')}`);
    if (!Array.isArray(regions) || !regions.every((r) => typeof r === 'string' && /^\d{6}$/.test(r))) {
      throw unauthorized("the token's regions must be a list of 6-digit division codes");
    }
    req.actor = { id: claims.sub, role, regions: regions as string[] };
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (allowed && !allowed.includes(role)) {
      const en = `role ${role} may not do this; allowed: ${allowed.join(', ')}`;
      throw new ProblemException({
        type: `${PROBLEM_BASE}refused/role-not-allowed`,
        title: en,
        status: HttpStatus.FORBIDDEN,
        detail: REFUSAL_MESSAGES.ROLE_NOT_ALLOWED.zh,
        code: 'ROLE_NOT_ALLOWED',
        message: { zh: REFUSAL_MESSAGES.ROLE_NOT_ALLOWED.zh, en },
      });
    }
    return true;
  }
}

/** The authenticated caller as the domain sees it. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw unauthorized('not authenticated');
  return actor;
});
