import { randomUUID } from 'node:crypto';
import { ApiClient, COUNTY, evidence, OTHER_REGION, REGION } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

describe('GET /api/projects over HTTP', () => {
  it('filters, pages and scopes the list, and refuses unknown query parameters', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-list' });
    const tag = `列表${randomUUID().slice(0, 8)}`;
    const lead = await officer.projectAt('lead', { name: `${tag} 食品项目`, industryChain: '食品饮料' });
    const signed = await officer.projectAt('signed', {
      name: `${tag} 装备项目`,
      industryChain: '先进装备制造',
    });
    await officer.command(signed, '/transitions', { ...evidence('landed') });

    const q = encodeURIComponent(tag);
    const all = await officer.get(`/api/projects?q=${q}&sort=name`).expect(200);
    // Sorted by name in code-point order: 装 (U+88C5) before 食 (U+98DF).
    expect(all.body.items.map((p: { projectId: string }) => p.projectId)).toEqual([signed, lead]);
    expect(all.body.items[0]).toMatchObject({
      stage: { code: 'landed', label: '落地' },
      contractInvestment: '150000000.00',
    });
    expect(all.body.items[0].state).toBeUndefined();

    const landed = await officer.get(`/api/projects?q=${q}&stage=landed,signed`).expect(200);
    expect(landed.body.items.map((p: { projectId: string }) => p.projectId)).toEqual([signed]);
    const chain = await officer
      .get(`/api/projects?q=${q}&industryChain=${encodeURIComponent('食品饮料')}`)
      .expect(200);
    expect(chain.body.items.map((p: { projectId: string }) => p.projectId)).toEqual([lead]);
    const big = await officer
      .get(`/api/projects?q=${q}&sizeBand=100m_plus&signingYear=${new Date().getFullYear()}`)
      .expect(200);
    expect(big.body.items.map((p: { projectId: string }) => p.projectId)).toEqual([signed]);

    const first = await officer.get(`/api/projects?q=${q}&limit=1`).expect(200);
    expect(first.body.items).toHaveLength(1);
    const second = await officer
      .get(`/api/projects?q=${q}&limit=1&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].projectId).not.toBe(first.body.items[0].projectId);
    expect(second.body.nextCursor).toBeNull();

    const leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-list' });
    expect((await leader.get(`/api/projects?q=${q}`).expect(200)).body.items).toHaveLength(2);
    const elsewhere = new ApiClient(system, {
      role: 'officer',
      regions: [OTHER_REGION],
      sub: 'officer-elsewhere',
    });
    expect((await elsewhere.get(`/api/projects?q=${q}`).expect(200)).body.items).toEqual([]);

    const unknown = await officer.get('/api/projects?colour=red').expect(400);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'colour' });
    const badStage = await officer.get('/api/projects?stage=built').expect(400);
    expect(badStage.body.errors[0].field).toBe('stage');
    await officer.get('/api/projects?limit=1000').expect(400);
  });
});
