import { randomUUID } from 'node:crypto';
import { addDays } from '../../libs/domain/src';
import { ApiClient, COUNTY, daysAgo, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let admin: ApiClient;
let officer: ApiClient;
const tag = randomUUID().slice(0, 8);
const officerId = `officer-tl-${tag}`;

beforeAll(async () => {
  system = await startSystem();
  admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-tl-${tag}` });
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: officerId });
  await admin
    .write('/api/people', { personId: officerId, name: '张三', role: 'officer', regions: [COUNTY] })
    .expect(201);
}, 120_000);
afterAll(() => system?.stop(), 60_000);

interface Entry {
  version: number;
  type: string;
  businessDate: string;
  recordedAt: string;
  actorId: string;
  actorName: string;
  sentence: string;
}

describe('GET /api/projects/{id}/timeline', () => {
  it("tells a signed project's events in Chinese to its officer, by name, in stream order", async () => {
    const id = await officer.projectAt('signed', { name: `时间线${tag}项目` });
    await officer.command(id, '/funds', { month: today().slice(0, 7), amount: '30000000.00' });

    const res = await officer.get(`/api/projects/${id}/timeline`).expect(200);
    const entries = res.body as Entry[];
    const d = today();
    expect(entries.map((e) => e.sentence)).toEqual([
      `${d} 登记线索「时间线${tag}项目」,计划投资 1.5 亿元,张三 录入`,
      `${d} 签约,合同投资 1.5 亿元,张三 录入`,
      `${d} 到位资金 3000 万元(${d.slice(0, 7)}),累计 3000 万元,张三 录入`,
    ]);
    expect(entries.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(entries[1]).toMatchObject({
      type: 'ProjectSigned',
      businessDate: d,
      actorId: officerId,
      actorName: '张三',
    });
    expect(Number.isNaN(Date.parse(entries[1].recordedAt))).toBe(false);
  });

  it('tells the alert the timers raised and its acknowledgement by the officer, after it', async () => {
    // A lead with no activity for 50 days: the timers raise 线索30天无进展提醒 to its service officer.
    const { id } = await officer.register({ leadDate: daysAgo(50) });
    let alertId: string | undefined;
    for (let i = 0; i < 100 && !alertId; i++) {
      const inbox = await officer.get(`/api/alerts?projectId=${id}`).expect(200);
      alertId = (inbox.body.items as { id: string }[])[0]?.id;
      if (!alertId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(alertId).toBeDefined();
    await officer.write(`/api/alerts/${alertId}/acknowledgement`, { note: '本周内走访' }).expect(200);

    const entries = (await officer.get(`/api/projects/${id}/timeline`).expect(200)).body as Entry[];
    const raised = entries.findIndex((e) => e.type === 'AlertRaised');
    const acked = entries.findIndex((e) => e.type === 'AlertAcknowledged');
    expect(entries[raised]).toMatchObject({ actorId: 'system', actorName: '系统' });
    // Told on the day it fell due (the day after its due date), not on the day the lead was entered.
    const told =
      /^(\d{4}-\d{2}-\d{2}) .灯:线索跟进时限已于 (\d{4}-\d{2}-\d{2}) 到期,第 1 级督办,提醒服务专员 张三$/.exec(
        entries[raised].sentence,
      );
    expect(told).not.toBeNull();
    expect(told![1]).toBe(addDays(told![2], 1));
    expect(told![1] < today()).toBe(true);
    expect(acked).toBeGreaterThan(raised);
    expect(entries[acked]).toMatchObject({
      version: entries[raised].version,
      actorId: officerId,
      actorName: '张三',
      sentence: `${today()} 张三 签收线索跟进时限提醒(第 1 级督办),备注:本周内走访`,
    });
  });

  it("answers another county's officer as if the project did not exist (404, as for an unknown id)", async () => {
    const id = await officer.projectAt('lead');
    const stranger = new ApiClient(system, {
      role: 'officer',
      regions: ['420502'],
      sub: `officer-other-${tag}`,
    });
    const hidden = await stranger.get(`/api/projects/${id}/timeline`).expect(404);
    const unknown = await stranger.get(`/api/projects/${randomUUID()}/timeline`).expect(404);
    expect(hidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(hidden.body.code).toBe('PROJECT_NOT_FOUND');
    expect(hidden.body.type).toBe(unknown.body.type);
    expect(hidden.body.title).toBe(unknown.body.title);
  });

  it('refuses an id that is not a uuid with a 400 problem, never a 5xx', async () => {
    const res = await officer.get('/api/projects/not-a-uuid/timeline');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
