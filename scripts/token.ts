/**
 * Prints a bearer token for local use, signed with JWT_SECRET (the development default if unset).
 *   npm run -s token -- --role officer --region 420500 [--region 420502] --sub officer-1
 */
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { loadEnvironment } from '../libs/config/src';

const USER_ROLES = ['officer', 'chief_officer', 'leader', 'auditor', 'admin'];
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'officer' },
    region: { type: 'string', multiple: true, default: [] },
    sub: { type: 'string', default: 'officer-1' },
    expires: { type: 'string', default: '12h' },
  },
});
if (!USER_ROLES.includes(values.role)) {
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
process.stdout.write(
  `${jwt.sign({ role: values.role, regions: values.region }, { subject: values.sub, expiresIn: values.expires as '12h', algorithm: 'HS256' })}\n`,
);
