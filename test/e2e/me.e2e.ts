import request from 'supertest';
import { ApiClient, COUNTY, REGION } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

const ROLES = ['officer', 'chief_officer', 'leader', 'auditor', 'admin'] as const;

describe('GET /api/me', () => {
  it('tells the caller their role, regions, commands and capabilities from the domain’s tables', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-me' });
    const me = (await officer.get('/api/me').expect(200)).body;
    expect(me).toMatchObject({ id: 'officer-me', role: 'officer', roleLabel: '服务专员', regions: [COUNTY] });
    expect(me.readsEverywhere).toBe(false);
    expect(me.commands).toContain('Sign');
    expect(me.commands).not.toContain('ExtendDeadline');
    expect(me.commands).not.toContain('RaiseAlert');
    expect(me.capabilities).toEqual(['supervision.step']);

    const leader = (
      await new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-me' })
        .get('/api/me')
        .expect(200)
    ).body;
    expect(leader.commands).toEqual(expect.arrayContaining(['ExtendDeadline', 'Reopen', 'Drop']));
    expect(leader.commands).not.toContain('Sign');
    const auditor = (
      await new ApiClient(system, { role: 'auditor', regions: [], sub: 'auditor-me' })
        .get('/api/me')
        .expect(200)
    ).body;
    expect(auditor).toMatchObject({ readsEverywhere: true, commands: [] });
  });

  it('is what the route guards go by: a role reaches a guarded route exactly when /api/me lists its capability', async () => {
    const outcomes = [];
    for (const role of ROLES) {
      const client = new ApiClient(system, { role, regions: [REGION], sub: `${role}-me` });
      const me = (await client.get('/api/me').expect(200)).body as { capabilities: string[] };
      const deliveries = await client.get('/api/deliveries?limit=1');
      const checkpoints = await client.get('/api/audit/checkpoints');
      outcomes.push({
        role,
        deliveries: deliveries.status,
        checkpoints: checkpoints.status,
        expected: {
          deliveries: me.capabilities.includes('deliveries.read') ? 200 : 403,
          checkpoints: me.capabilities.includes('audit.read') ? 200 : 403,
        },
      });
    }
    for (const o of outcomes)
      expect({ role: o.role, deliveries: o.deliveries, checkpoints: o.checkpoints }).toEqual({
        role: o.role,
        ...o.expected,
      });
  });

  it('asks for a token', async () => {
    const res = await request(system.app.getHttpServer()).get('/api/me');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
