import { JwtService } from '@nestjs/jwt';
import { Environment } from '@app/config';
import { ProblemException } from '../common/problem-details';
import type { PeopleQueries } from '../people/people.queries';
import { DevPeopleController, DevSignInController } from './dev-sign-in.controller';

const SECRET = 'a-secret-for-this-spec-only';
function controller(nodeEnv: Environment['NODE_ENV']): DevSignInController {
  const env = Object.assign(new Environment(), { NODE_ENV: nodeEnv, JWT_SECRET: SECRET });
  return new DevSignInController(new JwtService({ secret: SECRET }), env);
}

describe('POST /api/dev/tokens', () => {
  it('signs a token the API verifies, with the claims asked for and an expiry within 12 hours', () => {
    const { token, expiresAt } = controller('development').issue({
      sub: 'officer-7',
      role: 'officer',
      regions: ['420506'],
    });
    const claims = new JwtService({ secret: SECRET }).verify<Record<string, unknown>>(token);
    expect(claims).toMatchObject({ sub: 'officer-7', role: 'officer', regions: ['420506'] });
    const hours = (Date.parse(expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it('is not there in production: a 404 problem, no token', () => {
    let thrown: unknown;
    try {
      controller('production').issue({ sub: 'officer-7', role: 'officer', regions: ['420506'] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).problem).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it("refuses the system's reserved subject", () => {
    expect(() => controller('test').issue({ sub: 'system:timer', role: 'admin', regions: [] })).toThrow(
      ProblemException,
    );
  });
});

describe('GET /api/dev/people', () => {
  it('is not there in production: a 404 problem before the directory is read', async () => {
    const env = Object.assign(new Environment(), { NODE_ENV: 'production', JWT_SECRET: SECRET });
    // Production must refuse before any query: a directory that throws when read proves it is not read.
    const unread = {
      list: () => Promise.reject(new Error('the directory was read in production')),
    } as unknown as PeopleQueries;
    const refused = await new DevPeopleController(unread, env).list({}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem).toMatchObject({ status: 404, title: 'Not Found' });
  });
});
