import { randomInt, randomUUID } from 'node:crypto';
import { appendSystemEvents } from '../support/system-events';
import { Client } from '@temporalio/client';
import { foldEvents, makeEvent, type ProjectEvent } from '../../libs/domain/src';
import {
  digestDeliveryId,
  enqueueAlerts,
  projectRowFromState,
  upsertProjectRow,
} from '../../libs/persistence/src';
import { ChannelDispatcher } from '../../libs/webhook-delivery/src';
import { DingTalkSender, EmailSender } from '../../libs/notification-channels/src';
import {
  DIGEST_WORKFLOW_TYPE,
  type DigestWorkflowInput,
  type DigestWorkflowResult,
} from '../../libs/workflow-interface/src/digest';
import { DingTalkReceiver, SmtpReceiver } from '../support/channel-receivers';
import { startTimeSkipping, type TimeSkippingSystem } from '../support/time-skipping';

jest.setTimeout(120_000);

/**
 * The morning digest on China's calendar, on Temporal's time-skipping server started at 08:30 in
 * Shanghai: 2026-10-10 is a Saturday worked for the National Day holiday (调休), 2026-10-01 is
 * National Day itself. Everything is narrowed to people of this file, who share the database.
 */
const MAKE_UP_SATURDAY = '2026-10-10';
const NATIONAL_DAY = '2026-10-01';
const tag = randomUUID().slice(0, 8);
const county = `72${String(randomInt(10, 100))}${String(randomInt(10, 100))}`;

interface DeliveryRow {
  delivery_id: string;
  person_id: string;
  channel: string;
  kind: string;
  status: string;
  digest: {
    day: string;
    alerts: { projectName: string }[];
    redLights: { projectName: string }[];
    supervision: { projectName: string; dueDate: string; statusLabel: string }[];
    quiet: { projectName: string; lastUpdated: string }[];
  } | null;
}

function digestsOf(system: TimeSkippingSystem, personIds: string[]): Promise<DeliveryRow[]> {
  return system.dataSource.query<DeliveryRow[]>(
    `SELECT delivery_id, person_id, channel, kind, status, digest FROM channel_deliveries
     WHERE kind = 'digest' AND person_id = ANY($1::text[]) ORDER BY person_id, channel`,
    [personIds],
  );
}

async function addPerson(
  system: TimeSkippingSystem,
  personId: string,
  name: string,
  email: string | null,
  phone: string | null = null,
) {
  await system.dataSource.query(
    `INSERT INTO people (person_id, name, role, regions, email, phone, updated_by)
     VALUES ($1, $2, 'officer', $3, $4, $5, 'test')`,
    [personId, name, [county], email, phone],
  );
}

/** A project served by this person, with an open alert to them by name (red light), queued as the activity queues it. */
async function projectWithOpenAlert(
  system: TimeSkippingSystem,
  personId: string,
  name: string,
  options: { alert?: boolean; updatedAt?: string } = {},
): Promise<string> {
  const projectId = randomUUID();
  const lead = makeEvent('LeadRegistered', '2026-06-01', {
    projectId,
    name,
    investor: { name: '某某智能科技有限公司', type: 'private', flags: [] },
    industryChain: '智能装备',
    region: county,
    park: null,
    industrial: true,
    plannedInvestment: '80000000.00',
    source: '以商招商',
    leadDate: '2026-06-01',
    serviceOfficerId: personId,
  });
  const alert = makeEvent('AlertRaised', '2026-09-01', {
    deadlineId: 'land_after_signing',
    rule: 'land_after_signing',
    step: 'land',
    dueDate: '2026-09-01',
    rung: 1,
    addressee: { kind: 'service_officer', role: 'officer', label: '服务专员', id: personId },
    light: 'red',
  });
  const red = makeEvent('LightChanged', '2026-09-01', {
    deadlineId: 'land_after_signing',
    from: 'green',
    to: 'red',
  });
  const events = (options.alert === false ? [lead] : [lead, alert, red]).map((event) => ({
    eventId: randomUUID(),
    event,
  }));
  await system.dataSource.transaction(async (m) => {
    const [, ...timers]: { eventId: string; event: ProjectEvent }[] = events;
    await appendSystemEvents(m, projectId, events);
    await enqueueAlerts(m, projectId, timers, new Date().toISOString());
    const updatedAt = options.updatedAt ?? new Date().toISOString();
    await upsertProjectRow(m, projectRowFromState(foldEvents(events.map((e) => e.event)), updatedAt));
  });
  return projectId;
}

/**
 * Runs the workflow through a plain client: the environment's own client lets the server skip
 * ahead while it waits for a result, to the next timer it holds — another run's ten-year
 * execution timeout — and the day would be ten years on. The run needs no timer; the clock stays.
 */
async function runDigest(
  system: TimeSkippingSystem,
  input: DigestWorkflowInput,
): Promise<DigestWorkflowResult> {
  const client = new Client({ connection: system.env.connection, namespace: system.env.namespace });
  return client.workflow.execute<(i: DigestWorkflowInput) => Promise<DigestWorkflowResult>>(
    DIGEST_WORKFLOW_TYPE,
    {
      taskQueue: system.taskQueue,
      workflowId: `morning-digest-${randomUUID()}`,
      args: [input],
    },
  );
}

describe('the morning digest on a 调休 make-up Saturday', () => {
  let system: TimeSkippingSystem;
  let smtp: SmtpReceiver;
  let email: EmailSender;
  let dingtalk: DingTalkReceiver;
  const token = `dt-${randomUUID()}`;
  const secret = `SEC${randomUUID().replace(/-/g, '')}`;
  const mobile = `138${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  const officer = `digest-officer-${tag}`;
  const idle = `digest-idle-${tag}`;
  const mail = `digest-${tag}@example.gov.cn`;
  const projectName = `瓯海智能装备产业园-${tag}`;
  const quietName = `新材料基地-${tag}`;

  beforeAll(async () => {
    // 08:30 in Shanghai is 00:30 UTC.
    system = await startTimeSkipping(`${MAKE_UP_SATURDAY} 00:30:00`);
    smtp = await new SmtpReceiver().start();
    dingtalk = await new DingTalkReceiver().start();
    dingtalk.addRobot(token, secret);
    // The county's DingTalk group robot, in signed mode.
    await system.dataSource.query(
      `INSERT INTO group_robots (robot_id, kind, name, region, token, secret, updated_by)
       VALUES ($1, 'dingtalk', '区招商群', $2, $3, $4, 'test')`,
      [randomUUID(), county, token, secret],
    );
    email = new EmailSender({ smtpUrl: smtp.url, from: '招商项目管理 <noreply@localhost>', timeoutMs: 5000 });
    await addPerson(system, officer, '陈专员', mail, mobile);
    await addPerson(system, idle, '周专员', `idle-${tag}@example.gov.cn`, null);
    await projectWithOpenAlert(system, officer, projectName);
    // Quiet since August; and a 督办 item due on the day, issued to the officer, another due later.
    const quiet = await projectWithOpenAlert(system, officer, quietName, {
      alert: false,
      updatedAt: '2026-08-01T02:00:00.000Z',
    });
    for (const [rule, due] of [
      ['land_after_signing', MAKE_UP_SATURDAY],
      ['start_after_signing', '2026-10-12'],
    ]) {
      await system.dataSource.query(
        `INSERT INTO supervision_items (item_id, project_id, rule, rule_label, region, opened_in, status, owner_role,
                                        owner_id, rung, due_date)
         VALUES ($1, $2, $3, '签约后3个月内落地', $4, '2026Q3', 'issued', 'officer', $5, 1, $6)`,
        [randomUUID(), quiet, rule, county, officer, due],
      );
    }
  }, 120_000);
  afterAll(async () => {
    email?.close();
    await Promise.all([smtp?.stop(), dingtalk?.stop()]);
    await system?.stop();
  }, 60_000);

  it('queues one digest per person and channel, nothing for a person with nothing, nothing twice', async () => {
    const first = await runDigest(system, { personIds: [officer, idle] });
    expect(first).toEqual({ day: MAKE_UP_SATURDAY, workingDay: true, people: 1, queued: 2 });
    const rows = await digestsOf(system, [officer, idle]);
    expect(rows.map((r) => [r.person_id, r.channel, r.status])).toEqual([
      [officer, 'dingtalk', 'pending'],
      [officer, 'email', 'pending'],
    ]);
    expect(rows.map((r) => r.delivery_id)).toEqual([
      digestDeliveryId(MAKE_UP_SATURDAY, officer, 'dingtalk'),
      digestDeliveryId(MAKE_UP_SATURDAY, officer, 'email'),
    ]);
    expect(rows[0].digest?.alerts.map((a) => a.projectName)).toEqual([projectName]);
    expect(rows[0].digest?.redLights.map((p) => p.projectName)).toEqual([projectName]);
    expect(rows[0].digest?.supervision).toEqual([
      expect.objectContaining({ projectName: quietName, dueDate: MAKE_UP_SATURDAY, statusLabel: '下发' }),
    ]);
    expect(rows[0].digest?.quiet).toEqual([
      expect.objectContaining({ projectName: quietName, lastUpdated: '2026-08-01' }),
    ]);
    expect(rows[1].digest).toEqual(rows[0].digest);

    // A second run the same day (a retried activity, a restarted schedule) queues nothing again.
    const second = await runDigest(system, { personIds: [officer, idle] });
    expect(second).toEqual({ day: MAKE_UP_SATURDAY, workingDay: true, people: 1, queued: 0 });
    expect(await digestsOf(system, [officer, idle])).toHaveLength(2);
  });

  it('reaches the person by e-mail and on the signed robot, naming the alert’s project with a link to it', async () => {
    const dispatcher = new ChannelDispatcher(system.dataSource, {
      senders: { email, dingtalk: new DingTalkSender({ baseUrl: dingtalk.baseUrl, timeoutMs: 2000 }) },
      consoleUrl: 'http://console.test',
      personIds: [officer],
    });
    for (let pass = 0; pass < 20; pass++) {
      await dispatcher.dispatchOnce();
      if ((await digestsOf(system, [officer])).every((r) => r.status !== 'pending')) break;
    }
    expect((await digestsOf(system, [officer])).map((r) => r.status)).toEqual(['delivered', 'delivered']);
    const digests = smtp.received.filter((m) => m.subject.startsWith('【每日待办】'));
    expect(digests).toHaveLength(1);
    expect(digests[0].to).toEqual([mail]);
    expect(digests[0].subject).toBe(`【每日待办】${MAKE_UP_SATURDAY} 陈专员`);
    expect(digests[0].text).toContain(projectName);
    expect(digests[0].text).toContain('未关闭的预警与升级督办（1）');
    expect(digests[0].text).toContain('到期的督办事项（1）');
    expect(digests[0].text).toContain(`${quietName}（线索，最近更新 2026-08-01）`);
    expect(digests[0].html).toContain(projectName);
    expect(digests[0].html).toContain('http://console.test/projects/');

    const robot = dingtalk.received.filter((m) => m.accessToken === token);
    expect(robot).toHaveLength(1);
    expect(robot[0]).toMatchObject({ signed: true, atMobiles: [mobile], isAtAll: false });
    expect(robot[0].title).toBe(`【每日待办】${MAKE_UP_SATURDAY} 陈专员`);
    expect(robot[0].text).toContain(projectName);
    expect(robot[0].text).toContain(`@${mobile}`);
  });
});

describe('the morning digest on a holiday', () => {
  let system: TimeSkippingSystem;
  const officer = `digest-holiday-${tag}`;

  beforeAll(async () => {
    system = await startTimeSkipping(`${NATIONAL_DAY} 00:30:00`);
    await addPerson(system, officer, '吴专员', `holiday-${tag}@example.gov.cn`);
    await projectWithOpenAlert(system, officer, `国庆不发-${tag}`);
  }, 120_000);
  afterAll(() => system?.stop(), 60_000);

  it('sends nothing on National Day, though the person has an open alert', async () => {
    const result = await runDigest(system, { personIds: [officer] });
    expect(result).toEqual({ day: NATIONAL_DAY, workingDay: false, people: 0, queued: 0 });
    expect(await digestsOf(system, [officer])).toEqual([]);
  });
});
