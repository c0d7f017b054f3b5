import { isRegionCode, ROLES, SYSTEM_ACTOR, type Actor, type Role } from '@app/domain';

/** The roles a person's token may carry: the domain's, less the system's own. */
export const USER_ROLES: readonly Role[] = ROLES.filter((role) => role !== SYSTEM_ACTOR.role);

/** A user id longer than this is no user id any directory issues, and would bloat every event. */
export const MAX_SUBJECT_LENGTH = 128;
/** How far ahead of our clock a token's issue time may be: the issuer's clock may run a little fast. */
export const CLOCK_SKEW_SECONDS = 60;

/** Why a bearer token is refused: the field (header or claim) and the rule it broke. */
export interface TokenRefusal {
  field: string;
  rule: string;
  message: string;
}

const refusal = (field: string, rule: string, message: string): TokenRefusal => ({ field, rule, message });

/**
 * The token of an `Authorization: Bearer <token>` header: the scheme, one space and a compact JWS
 * (three base64url parts), nothing before or after. Anything else is refused rather than guessed at.
 */
export function bearerTokenOf(header: string | undefined): string | TokenRefusal {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (match) return match[1];
  return refusal(
    'Authorization',
    header ? 'bearer_format' : 'required',
    'send Authorization: Bearer <token>, the token alone after one space',
  );
}

/**
 * Whether a user id is the system's own or under its prefix (`system`, `system:…`, `SYSTEM-…`): the
 * events it records must never be taken for the timers'.
 */
export function isReservedSubject(sub: string): boolean {
  const id = SYSTEM_ACTOR.id.toLowerCase();
  const lower = sub.normalize('NFKC').toLowerCase();
  return lower === id || (lower.startsWith(id) && /^[^a-z0-9]/.test(lower.slice(id.length)));
}

/** The checks on a subject, shared by the API and the token script. */
export function subjectRefusal(sub: unknown): TokenRefusal | null {
  if (typeof sub !== 'string' || sub === '')
    return refusal('sub', 'required', 'the token has no subject (sub)');
  if ([...sub].length > MAX_SUBJECT_LENGTH)
    return refusal(
      'sub',
      'max_length',
      `the token's subject is longer than ${MAX_SUBJECT_LENGTH} characters`,
    );
  // No control, format, unassigned or lone-surrogate characters and no spaces: an id is recorded
  // in every event its holder writes, and must read back as written.
  if (!/^[^\p{C}\p{Z}]+$/u.test(sub))
    return refusal('sub', 'format', "the token's subject must be visible characters without spaces");
  if (isReservedSubject(sub))
    return refusal('sub', 'reserved', `the subject ${sub} is reserved for the system's own actions`);
  return null;
}

/**
 * The caller a verified token's claims name, or why they are refused: an expiry is required, the
 * lifetime (exp − iat, or exp − now without iat) is at most `maxLifetimeSeconds`, iat is not in the
 * future, and sub, role and regions are well formed. `now` in seconds since the epoch.
 */
export function actorFromClaims(
  claims: Record<string, unknown>,
  options: { now: number; maxLifetimeSeconds: number },
): Actor | TokenRefusal {
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    return refusal('exp', 'required', 'the token must carry an expiry (exp)');
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat)))
    return refusal('iat', 'format', "the token's issue time (iat) must be a number of seconds");
  if (typeof iat === 'number' && iat > options.now + CLOCK_SKEW_SECONDS)
    return refusal('iat', 'not_in_future', 'the token claims to be issued in the future');
  const lifetime = exp - (typeof iat === 'number' ? iat : options.now);
  if (lifetime > options.maxLifetimeSeconds) {
    const hours = options.maxLifetimeSeconds / 3600;
    return refusal('exp', 'max_lifetime', `a token may live at most ${hours} hours (exp − iat)`);
  }
  const sub = subjectRefusal(claims.sub);
  if (sub) return sub;
  const role = claims.role as Role;
  if (!USER_ROLES.includes(role))
    return refusal('role', 'enum', `the token's role must be one of ${USER_ROLES.join(', ')}`);
  const regions = claims.regions;
  if (!Array.isArray(regions) || !regions.every(isRegionCode))
    return refusal('regions', 'format', "the token's regions must be a list of 6-digit division codes");
  return { id: claims.sub as string, role, regions: regions };
}

export function isTokenRefusal(value: unknown): value is TokenRefusal {
  return typeof value === 'object' && value !== null && 'rule' in value && 'field' in value;
}
