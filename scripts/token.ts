/**
 * Prints a bearer token for local use, signed with JWT_SECRET (the development default if unset).
 *   npm run -s token -- --role officer --region 420500 [--region 420502] --sub officer-1 [--expires 12h]
 * The token is held to the API's own rules (token-rules.ts) before it is printed, so it is accepted.
 */
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { actorFromClaims, isTokenRefusal, USER_ROLES } from '../apps/api/src/auth/token-rules';
import { loadEnvironment } from '../libs/config/src';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'officer' },
    region: { type: 'string', multiple: true, default: [] },
    sub: { type: 'string', default: 'officer-1' },
    expires: { type: 'string', default: '12h' },
  },
});
if (!(USER_ROLES as readonly string[]).includes(values.role)) {
  process.stderr.write(`--role must be one of ${USER_ROLES.join(', ')}\n`);
  process.exit(2);
}
const bad = values.region.find((r) => !/^\d{6}$/.test(r));
if (bad) {
  process.stderr.write(`--region ${bad}: a region is a 6-digit administrative division code\n`);
  process.exit(2);
}
const env = loadEnvironment();
const jwt = new JwtService({ secret: env.JWT_SECRET });
let token: string;
try {
  token = jwt.sign(
    { role: values.role, regions: values.region },
    { subject: values.sub, expiresIn: values.expires as '12h', algorithm: 'HS256' },
  );
} catch (e) {
  process.stderr.write(`--expires ${values.expires}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
const refused = actorFromClaims(jwt.decode<Record<string, unknown>>(token), {
  now: Math.floor(Date.now() / 1000),
  maxLifetimeSeconds: env.JWT_MAX_LIFETIME_HOURS * 3600,
});
if (isTokenRefusal(refused)) {
  const option = refused.field === 'exp' ? `--expires ${values.expires}` : `--${refused.field}`;
  process.stderr.write(
    `${option}: ${refused.message} (JWT_MAX_LIFETIME_HOURS=${env.JWT_MAX_LIFETIME_HOURS})\n`,
  );
  process.exit(2);
}
process.stdout.write(`${token}\n`);
