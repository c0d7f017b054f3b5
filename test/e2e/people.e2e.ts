import { randomUUID } from 'node:crypto';
import { ApiClient } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let admin: ApiClient;
let officer: ApiClient;
const tag = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${tag}`;

beforeAll(async () => {
  system = await startSystem();
  admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-people' });
  officer = new ApiClient(system, { role: 'officer', regions: ['420506'], sub: id('officer') });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

function fieldsOf(body: { errors?: { field: string; rule: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.field);
}

describe('the people directory', () => {
  it('is kept by admins: added with Location and ETag, changed under If-Match, a duplicate refused', async () => {
    const created = await admin
      .write('/api/people', {
        personId: id('officer'),
        name: '张三',
        role: 'officer',
        regions: ['420506'],
        phone: '13800138000',
        email: 'zhangsan@example.gov.cn',
      })
      .expect(201);
    expect(created.headers.location).toBe(`/api/people/${id('officer')}`);
    expect(created.headers.etag).toBe('"v1"');
    expect(created.body).toMatchObject({
      name: '张三',
      roleLabel: '服务专员',
      phone: '13800138000',
      active: true,
    });

    const again = await admin
      .write('/api/people', { personId: id('officer'), name: '李四', role: 'officer', regions: [] })
      .expect(409);
    expect(fieldsOf(again.body)).toEqual(['personId']);

    const changed = await admin
      .write(
        `/api/people/${id('officer')}`,
        { name: '张三丰', role: 'officer', regions: ['420506', '420502'] },
        {
          method: 'put',
          version: 1,
        },
      )
      .expect(200);
    expect(changed.headers.etag).toBe('"v2"');
    expect(changed.body).toMatchObject({ name: '张三丰', regions: ['420506', '420502'], phone: null });

    const stale = await admin.write(
      `/api/people/${id('officer')}`,
      { name: '旧的', role: 'officer', regions: [] },
      {
        method: 'put',
        version: 1,
      },
    );
    expect(stale.status).toBe(412);
    const unconditional = await admin.write(
      `/api/people/${id('officer')}`,
      { name: 'x', role: 'officer', regions: [] },
      {
        method: 'put',
      },
    );
    expect(unconditional.status).toBe(428);
    expect((await admin.get(`/api/people/${id('officer')}`).expect(200)).body.name).toBe('张三丰');
  });

  it('refuses what it cannot hold, naming the field, and keeps it out of reach of other roles', async () => {
    const bad = await admin
      .write('/api/people', {
        personId: 'has space',
        name: ' ',
        role: 'mayor',
        regions: ['42050'],
        phone: '12345',
        email: 'not-mail',
      })
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(fieldsOf(bad.body).sort()).toEqual(['email', 'name', 'personId', 'phone', 'regions', 'role']);

    const byOfficer = await officer.write('/api/people', {
      personId: id('x'),
      name: '王五',
      role: 'officer',
      regions: [],
    });
    expect(byOfficer.status).toBe(403);
    expect(byOfficer.body.code).toBe('ROLE_NOT_ALLOWED');
    const badPath = await admin.get('/api/people/%20drop');
    expect(badPath.status).toBe(400);
    expect(fieldsOf(badPath.body)).toEqual(['id']);
    expect((await admin.get(`/api/people/${id('nobody')}`)).status).toBe(404);
  });

  it('is read by everyone signed in: by role and region, contacts only for admins and oneself, retired people apart', async () => {
    for (const [person, role, regions] of [
      [id('city-leader'), 'leader', ['420500']],
      [id('county-officer'), 'officer', ['420502']],
      [id('other-officer'), 'officer', ['430102']],
    ] as const) {
      await admin
        .write('/api/people', {
          personId: person,
          name: `人员${person}`,
          role,
          regions,
          phone: '0717-6222222',
        })
        .expect(201);
    }
    const reader = new ApiClient(system, { role: 'leader', regions: ['420500'], sub: id('reader') });
    const inCounty = await reader.get(`/api/people?region=420502&q=${tag}`).expect(200);
    const ids = inCounty.body.items.map((p: { personId: string }) => p.personId);
    // The county's own officer, the city's leader whose region covers it, and the officer changed
    // above to cover 420502; not the officer of another province.
    expect(ids).toEqual([id('city-leader'), id('county-officer'), id('officer')].sort());
    expect(inCounty.body.items.every((p: { phone: unknown }) => p.phone === null)).toBe(true);

    const leaders = await reader.get(`/api/people?role=leader&q=${tag}`).expect(200);
    expect(leaders.body.items.map((p: { personId: string }) => p.personId)).toEqual([id('city-leader')]);
    const cityWide = await reader.get(`/api/people?region=420500&q=${tag}`).expect(200);
    expect(cityWide.body.items.map((p: { personId: string }) => p.personId)).not.toContain(
      id('other-officer'),
    );

    const self = new ApiClient(system, { role: 'officer', regions: ['420502'], sub: id('county-officer') });
    expect((await self.get(`/api/people/${id('county-officer')}`).expect(200)).body.phone).toBe(
      '0717-6222222',
    );

    const paged = await reader.get(`/api/people?q=${tag}&limit=2`).expect(200);
    expect(paged.body.items).toHaveLength(2);
    const rest = await reader.get(`/api/people?q=${tag}&limit=2&cursor=${paged.body.nextCursor}`).expect(200);
    expect(rest.body.items.length).toBeGreaterThan(0);
    expect(rest.body.items[0].personId > paged.body.items[1].personId).toBe(true);

    const current = await admin.get(`/api/people/${id('other-officer')}`).expect(200);
    await admin
      .write(
        `/api/people/${id('other-officer')}`,
        { name: current.body.name, role: 'officer', regions: ['430102'], active: false },
        {
          method: 'put',
          version: current.body.version,
        },
      )
      .expect(200);
    const active = await reader.get(`/api/people?q=${tag}&limit=200`).expect(200);
    expect(active.body.items.map((p: { personId: string }) => p.personId)).not.toContain(id('other-officer'));
    const retired = await reader.get(`/api/people?q=${tag}&active=false`).expect(200);
    expect(retired.body.items.map((p: { personId: string }) => p.personId)).toEqual([id('other-officer')]);
  });

  it('lists for admins the people no alert can reach: no e-mail and no mobile (a landline reaches no one)', async () => {
    const people = [
      [id('by-mail'), { email: 'mail@example.gov.cn' }, ['email']],
      [id('by-mobile'), { phone: '13900139000' }, ['mobile']],
      [id('landline-only'), { phone: '0717-6000000' }, []],
      [id('no-contact'), {}, []],
    ] as const;
    for (const [person, contacts] of people) {
      await admin
        .write('/api/people', {
          personId: person,
          name: `渠道${person}`,
          role: 'officer',
          regions: ['420581'],
          ...contacts,
        })
        .expect(201);
    }
    for (const [person, , channels] of people) {
      expect((await admin.get(`/api/people/${person}`).expect(200)).body.channels).toEqual(channels);
    }
    const unreachable = await admin
      .get(`/api/people?reachable=false&q=渠道&region=420581&limit=200`)
      .expect(200);
    const ids = unreachable.body.items.map((p: { personId: string }) => p.personId);
    expect(ids).toEqual(expect.arrayContaining([id('landline-only'), id('no-contact')]));
    expect(ids).not.toContain(id('by-mail'));
    expect(ids).not.toContain(id('by-mobile'));
    const reachable = await admin.get(`/api/people?reachable=true&q=${tag}&limit=200`).expect(200);
    expect(reachable.body.items.map((p: { personId: string }) => p.personId)).toEqual(
      expect.arrayContaining([id('by-mail'), id('by-mobile')]),
    );
    expect(reachable.body.items.map((p: { personId: string }) => p.personId)).not.toContain(id('no-contact'));

    // Others see no one's channels and may not ask who has none.
    const leader = new ApiClient(system, { role: 'leader', regions: ['420500'], sub: id('channel-reader') });
    expect((await leader.get(`/api/people/${id('by-mail')}`).expect(200)).body.channels).toBeNull();
    const refused = await leader.get('/api/people?reachable=false').expect(403);
    expect(fieldsOf(refused.body)).toEqual(['reachable']);
    expect(fieldsOf((await admin.get('/api/people?reachable=maybe').expect(400)).body)).toEqual([
      'reachable',
    ]);
  });
});
