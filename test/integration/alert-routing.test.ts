import { randomInt, randomUUID } from 'node:crypto';
import { appendSystemEvents } from '../support/system-events';
import request from 'supertest';
import { channelDeliveryId, enqueueAlerts } from '../../libs/persistence/src';
import { ChannelDispatcher, type ChannelDeliveryOptions } from '../../libs/webhook-delivery/src';
import { DingTalkSender, EmailSender, WeComSender } from '../../libs/notification-channels/src';
import type { Addressee, ProjectEvent } from '../../libs/domain/src';
import { loadEnvironment } from '../../libs/config/src';
import { startChannelDelivery } from '../../apps/worker/src/channel-delivery';
import { ApiClient, daysAgo } from '../support/api';
import { DingTalkReceiver, SmtpReceiver, WeComReceiver } from '../support/channel-receivers';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(60_000);

let system: TestSystem;
let admin: ApiClient;
let dingtalk: DingTalkReceiver;
let wecom: WeComReceiver;
let smtp: SmtpReceiver;
let email: EmailSender;

const tag = randomUUID().slice(0, 8);
const personId = (name: string) => `${name}-${tag}`;

/** A county code no other file uses (71xxxx, two random non-zero pairs), so robots and people here are ours alone. */
function uniqueCounty(): string {
  const pair = () => String(randomInt(1, 100)).padStart(2, '0');
  return `71${pair()}${pair()}`;
}

beforeAll(async () => {
  system = await startSystem();
  admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-routing-${tag}` });
  [dingtalk, wecom, smtp] = await Promise.all([
    new DingTalkReceiver().start(),
    new WeComReceiver().start(),
    new SmtpReceiver().start(),
  ]);
  email = new EmailSender({ smtpUrl: smtp.url, from: '招商项目管理 <noreply@localhost>', timeoutMs: 5000 });
}, 120_000);
afterAll(async () => {
  email?.close();
  await Promise.all([dingtalk?.stop(), wecom?.stop(), smtp?.stop()]);
  await system?.stop();
}, 60_000);

function dispatcher(projectIds: string[], over: Partial<ChannelDeliveryOptions> = {}): ChannelDispatcher {
  return new ChannelDispatcher(system.dataSource, {
    senders: {
      dingtalk: new DingTalkSender({ baseUrl: dingtalk.baseUrl, timeoutMs: 2000 }),
      wecom: new WeComSender({ baseUrl: wecom.baseUrl, timeoutMs: 2000 }),
      email,
    },
    consoleUrl: 'http://console.test',
    projectIds,
    baseDelayMs: 1,
    maxDelayMs: 5,
    ...over,
  });
}

interface ChannelRow {
  id: string;
  delivery_id: string;
  event_id: string;
  person_id: string;
  channel: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

function deliveriesOf(projectId: string): Promise<ChannelRow[]> {
  return system.dataSource.query<ChannelRow[]>(
    `SELECT id::text AS id, delivery_id, event_id, person_id, channel, status, attempts, last_error
     FROM channel_deliveries WHERE project_id = $1 ORDER BY channel`,
    [projectId],
  );
}

/** Passes until `done` holds; each pass only takes rows that are due, so this ends once they are settled. */
async function dispatchUntil(
  d: ChannelDispatcher,
  done: () => Promise<boolean>,
  what: string,
): Promise<void> {
  for (let pass = 0; pass < 500; pass++) {
    await d.dispatchOnce();
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never came to pass: ${what}`);
}

/** An alert and its escalation to a region's 分管领导, recorded and queued in one append as the activity does. */
async function queueEscalation(region: string) {
  const projectId = `p-${randomUUID()}`;
  const deputy: Addressee = { kind: 'deputy_leader', role: 'leader', label: '分管领导', region };
  const events: { eventId: string; event: ProjectEvent }[] = [
    {
      eventId: randomUUID(),
      event: {
        type: 'AlertRaised',
        schemaVersion: 1,
        businessTime: '2025-03-01',
        data: {
          deadlineId: 'start_after_signing',
          rule: 'start_after_signing',
          step: 'start_construction',
          dueDate: '2025-03-01',
          rung: 1,
          addressee: { kind: 'service_officer', role: 'officer', label: '服务专员', id: `nobody-${tag}` },
          light: 'yellow',
        },
      },
    },
    {
      eventId: randomUUID(),
      event: {
        type: 'AlertEscalated',
        schemaVersion: 1,
        businessTime: '2025-04-01',
        data: { deadlineId: 'start_after_signing', fromRung: 2, rung: 3, addressee: deputy },
      },
    },
  ];
  const queue = () =>
    system.dataSource.transaction(async (m) => {
      if (!(await m.query(`SELECT 1 FROM events WHERE event_id = $1`, [events[0].eventId])).length) {
        await appendSystemEvents(m, projectId, events);
      }
      await enqueueAlerts(m, projectId, events, new Date().toISOString());
    });
  await queue();
  return { projectId, escalationId: events[1].eventId, queueAgain: queue };
}

async function addPerson(body: Record<string, unknown>): Promise<void> {
  await admin.write('/api/people', body).expect(201);
}

async function addRobot(body: Record<string, unknown>): Promise<{ robotId: string; hasSecret: boolean }> {
  const res = await admin.write('/api/robots', body).expect(201);
  return res.body as { robotId: string; hasSecret: boolean };
}

describe('alerts routed to people on their channels', () => {
  it('reaches the 分管领导 of the region once on DingTalk (signed), WeCom and e-mail, and nobody else', async () => {
    const county = uniqueCounty();
    const mobile = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    const mail = `leader-${tag}@example.gov.cn`;
    await addPerson({
      personId: personId('leader'),
      name: '王副区长',
      role: 'leader',
      regions: [county],
      phone: mobile,
      email: mail,
    });
    // Not theirs: an officer of the same county, and a leader of another county.
    await addPerson({
      personId: personId('officer'),
      name: '李专员',
      role: 'officer',
      regions: [county],
      email: `officer-${tag}@example.gov.cn`,
    });
    await addPerson({
      personId: personId('elsewhere'),
      name: '赵副区长',
      role: 'leader',
      regions: [uniqueCounty()],
      email: `elsewhere-${tag}@example.gov.cn`,
    });
    const token = `dt-${randomUUID()}`;
    const secret = `SEC${randomUUID().replace(/-/g, '')}`;
    const key = `wc-${randomUUID()}`;
    dingtalk.addRobot(token, secret);
    wecom.addRobot(key);
    const signed = await addRobot({ kind: 'dingtalk', name: '区招商群', region: county, token, secret });
    expect(signed.hasSecret).toBe(true);
    await addRobot({
      kind: 'wecom',
      name: '区招商企业微信群',
      region: county,
      department: '投资促进局',
      token: key,
    });

    const { projectId, escalationId, queueAgain } = await queueEscalation(county);
    const rows = await deliveriesOf(projectId);
    expect(rows.map((r) => [r.person_id, r.channel])).toEqual([
      [personId('leader'), 'dingtalk'],
      [personId('leader'), 'email'],
      [personId('leader'), 'wecom'],
    ]);
    for (const r of rows) {
      expect(r.event_id).toBe(escalationId);
      expect(r.delivery_id).toBe(channelDeliveryId(escalationId, personId('leader'), r.channel as 'email'));
    }

    // Delivered by the worker's loop, configured from the environment as the worker process does.
    const env = loadEnvironment({
      DINGTALK_BASE_URL: dingtalk.baseUrl,
      WECOM_BASE_URL: wecom.baseUrl,
      SMTP_URL: smtp.url,
      CONSOLE_URL: 'http://console.test',
    });
    const logged: Record<string, unknown>[] = [];
    const loop = startChannelDelivery(
      system.dataSource,
      env,
      { projectIds: [projectId], pollIntervalMs: 10 },
      (line) => logged.push(line),
    );
    try {
      for (let i = 0; i < 500; i++) {
        if ((await deliveriesOf(projectId)).every((r) => r.status === 'delivered')) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await loop.stop();
    }
    expect((await deliveriesOf(projectId)).map((r) => [r.status, r.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ]);
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'channel delivery started', email: true }));
    const d = dispatcher([projectId]);

    const toUs = dingtalk.received.filter((m) => m.accessToken === token);
    expect(toUs).toHaveLength(1);
    expect(toUs[0]).toMatchObject({ signed: true, atMobiles: [mobile], isAtAll: false });
    expect(toUs[0].text).toContain('王副区长');
    expect(toUs[0].text).toContain('第3级');
    expect(toUs[0].text).toContain('签约后6个月内开工');
    expect(toUs[0].text).toContain(`](http://console.test/projects/${projectId})`);
    const wecomToUs = wecom.received.filter((m) => m.key === key);
    expect(wecomToUs).toEqual([expect.objectContaining({ msgtype: 'text', mentionedMobiles: [mobile] })]);
    const mails = smtp.received.filter((m) => m.to.includes(mail));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('升级督办');
    expect(mails[0].text).toContain('2025-03-01');
    const others = [`officer-${tag}@example.gov.cn`, `elsewhere-${tag}@example.gov.cn`];
    expect(smtp.received.filter((m) => m.to.some((t) => others.includes(t)))).toEqual([]);

    // Queued again (a retried activity) and passed over again: nothing new, nothing sent twice.
    await queueAgain();
    expect(await deliveriesOf(projectId)).toHaveLength(3);
    expect(await d.dispatchOnce()).toMatchObject({ claimed: 0 });
    expect(dingtalk.received.filter((m) => m.accessToken === token)).toHaveLength(1);
    expect(smtp.received.filter((m) => m.to.includes(mail))).toHaveLength(1);

    // The admin's deliveries list shows them by person and channel.
    const mine = await admin.get(`/api/deliveries?personId=${personId('leader')}`).expect(200);
    expect(mine.body.items.map((i: { channel: string }) => i.channel).sort()).toEqual([
      'dingtalk',
      'email',
      'wecom',
    ]);
    expect(mine.body.items[0]).toMatchObject({
      personId: personId('leader'),
      eventId: escalationId,
      kind: 'escalation',
      status: 'delivered',
      attempts: 1,
    });
    const one = await admin.get(`/api/deliveries?personId=${personId('leader')}&channel=email`).expect(200);
    expect(one.body.items).toHaveLength(1);
    const webhooks = await admin.get(`/api/deliveries?channel=webhook&limit=200`).expect(200);
    expect(webhooks.body.items.every((i: { channel: string }) => i.channel === 'webhook')).toBe(true);
    const nobodys = await admin
      .get(`/api/deliveries?channel=webhook&personId=${personId('leader')}`)
      .expect(200);
    expect(nobodys.body).toEqual({ items: [], nextCursor: null });
  });

  it('retries a robot answering 500, dead-letters it after the last attempt, and an admin resends it', async () => {
    const county = uniqueCounty();
    const mobile = `138${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    await addPerson({
      personId: personId('flaky'),
      name: '钱副区长',
      role: 'leader',
      regions: [county],
      phone: mobile,
    });
    const key = `wc-${randomUUID()}`;
    wecom.addRobot(key);
    await addRobot({ kind: 'wecom', name: '区群', region: county, token: key });
    const { projectId } = await queueEscalation(county);
    const [row] = await deliveriesOf(projectId);
    expect(row).toMatchObject({ person_id: personId('flaky'), channel: 'wecom', status: 'pending' });

    const before = wecom.requests.length;
    wecom.failNext(3, { http: 500 });
    const d = dispatcher([projectId], { maxAttempts: 3 });
    const isDead = async () => (await deliveriesOf(projectId))[0].status === 'dead';
    await dispatchUntil(d, isDead, 'the delivery dead');
    const [dead] = await deliveriesOf(projectId);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, last_error: 'HTTP 500' });
    expect(wecom.requests.length - before).toBe(3);
    expect(wecom.received.filter((m) => m.key === key)).toEqual([]);

    const listed = await admin.get(`/api/deliveries?status=dead&channel=wecom&personId=${personId('flaky')}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: dead.id,
        deliveryId: dead.delivery_id,
        lastError: 'HTTP 500',
        attempts: 3,
      }),
    ]);
    const officer = new ApiClient(system, { role: 'officer', regions: [county], sub: personId('o') });
    expect((await officer.write(`/api/deliveries/${dead.delivery_id}/retry`, undefined)).status).toBe(403);

    const resent = await admin.write(`/api/deliveries/${dead.delivery_id}/retry`, undefined).expect(200);
    expect(resent.body).toMatchObject({ id: dead.id, status: 'pending', attempts: 0, channel: 'wecom' });
    await dispatchUntil(d, async () => (await deliveriesOf(projectId))[0].status === 'delivered', 'resent');
    expect(wecom.received.filter((m) => m.key === key)).toEqual([
      expect.objectContaining({ msgtype: 'text', mentionedMobiles: [mobile] }),
    ]);
    expect((await admin.write(`/api/deliveries/${dead.id}/retry`, undefined)).status).toBe(409);
  });

  it('sends nothing to a disabled robot, and keeps the robots’ secrets out of every answer', async () => {
    const county = uniqueCounty();
    const secret = `SEC${randomUUID().replace(/-/g, '')}`;
    const token = `dt-${randomUUID()}`;
    const robot = await addRobot({ kind: 'dingtalk', name: '停用群', region: county, token, secret });
    const listed = await admin.get(`/api/robots?region=${county}`).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ robotId: robot.robotId, hasSecret: true, hasToken: true, enabled: true }),
    ]);
    for (const body of [JSON.stringify(listed.body), JSON.stringify(robot)]) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain(token);
    }
    const server = request(system.app.getHttpServer());
    const unsigned = await server
      .patch(`/api/robots/${robot.robotId}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ secret: null, name: '改名群' })
      .expect(200);
    expect(unsigned.body).toMatchObject({ hasSecret: false, name: '改名群', version: 2 });
    const bad = await server
      .patch(`/api/robots/${robot.robotId}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ region: '12', token: 'short' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['region', 'token']);
    const wecomSecret = await admin.write('/api/robots', {
      kind: 'wecom',
      name: '群',
      region: county,
      token: `wc-${randomUUID()}`,
      secret,
    });
    expect(wecomSecret.status).toBe(400);
    expect(wecomSecret.body.errors).toEqual([expect.objectContaining({ field: 'secret' })]);
    const disabled = await admin.write(`/api/robots/${robot.robotId}/disable`, undefined).expect(200);
    expect(disabled.body.enabled).toBe(false);
    expect((await admin.get(`/api/robots/${randomUUID()}`)).status).toBe(404);
    expect((await admin.get(`/api/robots/not-a-uuid`)).status).toBe(400);
    const officer = new ApiClient(system, { role: 'officer', regions: [county], sub: personId('o2') });
    expect((await officer.get('/api/robots')).status).toBe(403);

    await addPerson({
      personId: personId('mobile-only'),
      name: '孙副区长',
      role: 'leader',
      regions: [county],
      phone: `137${String(randomInt(0, 1e8)).padStart(8, '0')}`,
    });
    const { projectId } = await queueEscalation(county);
    expect(await deliveriesOf(projectId)).toEqual([]);
  });

  it('lists for admins an open alert addressed to someone with no channel, and why', async () => {
    const county = uniqueCounty();
    const silent = personId('silent');
    // Known to the directory, but with neither e-mail nor mobile, in a county without a robot.
    await addPerson({
      personId: silent,
      name: '周专员',
      role: 'officer',
      regions: [county],
      phone: '0717-6222222',
    });
    const officer = new ApiClient(system, { role: 'officer', regions: [county], sub: silent });
    // A lead left 50 days without follow-up is overdue at once: its reminder goes to the officer.
    const { id } = await officer.register({ region: county, leadDate: daysAgo(50) });

    type Item = { projectId: string; causes: { reason: string; personId: string | null }[] };
    const findIt = async (): Promise<Item | undefined> => {
      for (let cursor: string | null = null, page = 0; page < 50; page++) {
        const res = await admin
          .get(`/api/alerts/unreached?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        const found = (res.body.items as Item[]).find((i) => i.projectId === id);
        if (found || !res.body.nextCursor) return found;
        cursor = res.body.nextCursor as string;
      }
      return undefined;
    };
    let item: Item | undefined;
    for (let i = 0; i < 300 && !item; i++) {
      item = await findIt();
      if (!item) await new Promise((r) => setTimeout(r, 50));
    }
    expect(item).toMatchObject({
      projectId: id,
      causes: [{ reason: 'no_channel', personId: silent, personName: '周专员' }],
    });
    // Queued with nobody to reach: no per-person delivery was made for it.
    expect(await deliveriesOf(id)).toEqual([]);
    expect((await officer.get('/api/alerts/unreached')).status).toBe(403);

    // Once the person has an e-mail the alert reaches them, and leaves the list.
    await request(system.app.getHttpServer())
      .put(`/api/people/${silent}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .set('If-Match', '"v1"')
      .set('Idempotency-Key', randomUUID())
      .send({ name: '周专员', role: 'officer', regions: [county], email: `silent-${tag}@example.gov.cn` })
      .expect(200);
    expect(await findIt()).toBeUndefined();

    // The worker queues as the app role: a colleague with an e-mail gets a delivery row from it.
    const reachable = personId('reachable');
    await addPerson({
      personId: reachable,
      name: '吴专员',
      role: 'officer',
      regions: [county],
      email: `reachable-${tag}@example.gov.cn`,
    });
    const colleague = new ApiClient(system, { role: 'officer', regions: [county], sub: reachable });
    const second = await colleague.register({ region: county, leadDate: daysAgo(50) });
    let rows: ChannelRow[] = [];
    for (let i = 0; i < 300 && rows.length === 0; i++) {
      rows = await deliveriesOf(second.id);
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toEqual([
      expect.objectContaining({ person_id: reachable, channel: 'email', status: 'pending' }),
    ]);
  });
});
