import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { startSystem, TEST_JWT_SECRET, type TestSystem } from '../support/system';

jest.setTimeout(60_000);

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

const jwt = new JwtService({ secret: TEST_JWT_SECRET });
const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;

/** A token signed with the suite's key, claims exactly as given (no exp or iat added). */
function sign(claims: Record<string, unknown>): string {
  // jsonwebtoken drops a given iat under noTimestamp, and adds one without it.
  return jwt.sign({ role: 'officer', regions: ['420500'], ...claims }, { noTimestamp: !('iat' in claims) });
}

const call = (authorization: string) =>
  request(system.app.getHttpServer()).get('/api/projects').set('Authorization', authorization);

/** The refusal: 401 problem+json naming the claim (or header) and the rule. */
async function expectRefused(authorization: string, field: string, rule: string): Promise<void> {
  const res = await call(authorization);
  expect(res.status).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  expect(res.body.errors).toEqual([expect.objectContaining({ field, rule })]);
}

describe('bearer tokens', () => {
  it('accepts a well-formed token, and those the test helpers mint (they carry exp)', async () => {
    await call(`Bearer ${sign({ sub: 'officer-ok', iat: now(), exp: now() + HOUR })}`).expect(200);
    const helper = system.token({ role: 'officer', regions: ['420500'], sub: 'officer-helper' });
    expect(jwt.decode<{ exp?: number }>(helper).exp).toEqual(expect.any(Number));
    await call(`Bearer ${helper}`).expect(200);
  });

  it('refuses a token without exp', async () => {
    await expectRefused(`Bearer ${sign({ sub: 'officer-1', iat: now() })}`, 'exp', 'required');
    await expectRefused(`Bearer ${sign({ sub: 'officer-1' })}`, 'exp', 'required');
  });

  it('caps the lifetime at JWT_MAX_LIFETIME_HOURS (24 by default)', async () => {
    const century = now() + 100 * 365 * 24 * HOUR;
    await expectRefused(
      `Bearer ${sign({ sub: 'officer-1', iat: now(), exp: century })}`,
      'exp',
      'max_lifetime',
    );
    await expectRefused(`Bearer ${sign({ sub: 'officer-1', exp: century })}`, 'exp', 'max_lifetime');
    await expectRefused(
      `Bearer ${sign({ sub: 'officer-1', iat: now(), exp: now() + 25 * HOUR })}`,
      'exp',
      'max_lifetime',
    );
    await expectRefused(
      `Bearer ${sign({ sub: 'officer-1', iat: century - HOUR, exp: century })}`,
      'iat',
      'not_in_future',
    );
    await call(`Bearer ${sign({ sub: 'officer-1', iat: now(), exp: now() + 24 * HOUR })}`).expect(200);
  });

  it('refuses an expired token and one signed with another key', async () => {
    await expectRefused(
      `Bearer ${sign({ sub: 'officer-1', iat: now() - 2 * HOUR, exp: now() - HOUR })}`,
      'exp',
      'expired',
    );
    const forged = new JwtService({ secret: 'another-secret-of-some-length' }).sign(
      { role: 'admin', regions: [] },
      { subject: 'admin-1', expiresIn: '1h' },
    );
    await expectRefused(`Bearer ${forged}`, 'Authorization', 'signature');
  });

  it('refuses anything but "Bearer <token>" in the header', async () => {
    const token = sign({ sub: 'officer-1', iat: now(), exp: now() + HOUR });
    await expectRefused(`Bearer ${token} junk`, 'Authorization', 'bearer_format');
    await expectRefused(`Bearer ${token} ${token}`, 'Authorization', 'bearer_format');
    await expectRefused(`Bearer  ${token}`, 'Authorization', 'bearer_format');
    await expectRefused(`Token ${token}`, 'Authorization', 'bearer_format');
    await expectRefused(`Bearer`, 'Authorization', 'bearer_format');
    const none = await request(system.app.getHttpServer()).get('/api/projects');
    expect(none.status).toBe(401);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'Authorization', rule: 'required' })]);
  });

  it.each([
    ['the system', 'system', 'reserved'],
    ['the system in capitals', 'System', 'reserved'],
    ['under the system prefix', 'system:quarterly-review', 'reserved'],
    ['empty', '', 'required'],
    ['overlong', 'o'.repeat(129), 'max_length'],
    ['with a control character', 'officer\u0007', 'format'],
  ])('refuses a subject %s', async (_, sub, rule) => {
    await expectRefused(`Bearer ${sign({ sub, iat: now(), exp: now() + HOUR })}`, 'sub', rule);
  });

  it('never lets a token record a write as the system', async () => {
    const token = sign({ sub: 'system', role: 'officer', iat: now(), exp: now() + HOUR });
    const res = await request(system.app.getHttpServer())
      .post('/api/projects')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', `as-system-${Date.now()}`)
      .send({});
    expect(res.status).toBe(401);
    expect(res.body.errors[0]).toMatchObject({ field: 'sub', rule: 'reserved' });
  });
});

describe('npm run token', () => {
  // The built script, as `npm run token` runs it (scripts/test.sh builds before the tests).
  const script = join(resolve(__dirname, '..', '..'), 'dist', 'scripts', 'token.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [script, ...args], {
      env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test' },
      encoding: 'utf8',
    });

  it('prints a token the API accepts, with an expiry within the cap', async () => {
    const out = run('--role', 'leader', '--region', '420500', '--sub', 'leader-script');
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const token = out.stdout.trim();
    const claims = jwt.decode<{ exp: number; iat: number; sub: string }>(token);
    expect(claims.sub).toBe('leader-script');
    expect(claims.exp - claims.iat).toBe(12 * HOUR);
    await call(`Bearer ${token}`).expect(200);
  });

  it('refuses to print a token the API would refuse', () => {
    const long = run('--sub', 'officer-1', '--expires', '100y');
    expect(long.status).toBe(2);
    expect(long.stderr).toMatch(/--expires 100y: a token may live at most 24 hours/);
    const reserved = run('--sub', 'system');
    expect(reserved.status).toBe(2);
    expect(reserved.stderr).toMatch(/--sub: the subject system is reserved/);
    expect(long.stdout + reserved.stdout).toBe('');
  });
});
