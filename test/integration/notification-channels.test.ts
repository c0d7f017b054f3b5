import { createServer } from 'node:net';
import {
  DingTalkSender,
  EmailSender,
  renderDingTalk,
  renderEmail,
  renderWeCom,
  WeComSender,
  type AlertNotice,
  type DingTalkMarkdown,
  type WeComMessage,
} from '@app/notification-channels';
import { loadEnvironment } from '@app/config';
import { DingTalkReceiver, SmtpReceiver, WeComReceiver } from '../support/channel-receivers';

const notice: AlertNotice = {
  projectId: '5b9d8c1e-3f7a-4c2b-9e61-0a7d2f4b8c10',
  projectName: '智能装备*产业园[一期]<瓯海>',
  region: '瓯海区',
  stageLabel: '签约',
  ruleLabel: '签约后30日内完成工商注册',
  dueDate: '2026-12-10',
  rung: 2,
  addresseeLabel: '王局长',
  consoleUrl: 'http://console.test',
};
const LINK = 'http://console.test/projects/5b9d8c1e-3f7a-4c2b-9e61-0a7d2f4b8c10';
const MOBILE = '13800138000';
const TOKEN = 'dingtalk-access-token-0001';
const SECRET = 'SECdingtalk-robot-secret-abcdef0123456789';
const SIGNED_TOKEN = 'dingtalk-access-token-signed';
const WECOM_KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
/** The channels' defaults as an operator gets them; only the timeout is shortened for the hung receiver. */
const env = loadEnvironment({ NOTIFY_TIMEOUT_MS: '500' });

/** A port that was free a moment ago and has nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DingTalk robot', () => {
  let receiver: DingTalkReceiver;
  let sender: DingTalkSender;
  beforeAll(async () => {
    receiver = await new DingTalkReceiver().start();
    receiver.addRobot(TOKEN);
    receiver.addRobot(SIGNED_TOKEN, SECRET);
    sender = new DingTalkSender({ baseUrl: receiver.baseUrl, timeoutMs: env.NOTIFY_TIMEOUT_MS });
  });
  afterAll(() => receiver?.stop());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.requests.length = 0;
  });

  it('delivers the markdown once, with the name, rule, rung, link and the addressee mentioned', async () => {
    await expect(sender.send({ accessToken: TOKEN }, renderDingTalk(notice, [MOBILE]))).resolves.toEqual({
      ok: true,
    });
    expect(receiver.received).toHaveLength(1);
    const [message] = receiver.received;
    expect(message).toMatchObject({ accessToken: TOKEN, signed: false, atMobiles: [MOBILE], isAtAll: false });
    expect(message.title).toContain('智能装备*产业园[一期]<瓯海>');
    for (const part of [
      '智能装备\\*产业园\\[一期\\]\\<瓯海\\>',
      '签约后30日内完成工商注册',
      '2026-12-10',
      '第2级',
      `](${LINK})`,
      `@${MOBILE}`,
    ]) {
      expect(message.text).toContain(part);
    }
  });

  it('signs in signed mode, and the receiver accepts the signature DingTalk would compute', async () => {
    const result = await sender.send({ accessToken: SIGNED_TOKEN, secret: SECRET }, renderDingTalk(notice));
    expect(result).toEqual({ ok: true });
    expect(receiver.received).toEqual([expect.objectContaining({ accessToken: SIGNED_TOKEN, signed: true })]);
    const [request] = receiver.requests;
    expect(request.query.get('sign')).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    // The secret itself never travels: only the timestamp and the signature do.
    expect(`${request.query.toString()}${request.body}`).not.toContain(SECRET);
  });

  it('refuses a wrong secret, a stale timestamp and a missing signature, none of them retryable', async () => {
    const wrong = await sender.send(
      { accessToken: SIGNED_TOKEN, secret: 'SECnot-the-robot-secret' },
      renderDingTalk(notice),
    );
    const stale = await new DingTalkSender({
      baseUrl: receiver.baseUrl,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
      now: () => Date.now() - 2 * 3600_000,
    }).send({ accessToken: SIGNED_TOKEN, secret: SECRET }, renderDingTalk(notice));
    const unsigned = await sender.send({ accessToken: SIGNED_TOKEN }, renderDingTalk(notice));
    for (const result of [wrong, stale, unsigned]) {
      expect(result).toEqual({
        ok: false,
        retryable: false,
        reason: expect.stringMatching(/^DingTalk errcode 310000/),
      });
    }
    expect(receiver.received).toEqual([]);
  });

  it('refuses an unknown token as not retryable, and never puts the token into the reason', async () => {
    const result = await sender.send({ accessToken: 'no-such-robot-token' }, renderDingTalk(notice));
    expect(result).toEqual({
      ok: false,
      retryable: false,
      reason: 'DingTalk errcode 300001: token is not exist',
    });
  });

  it('reports a failing receiver as retryable (HTTP 500, rate limit) and delivers once it recovers', async () => {
    receiver.failNext(1, { http: 500 });
    receiver.failNext(1, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
    const message = renderDingTalk(notice);
    const first = await sender.send({ accessToken: TOKEN }, message);
    const second = await sender.send({ accessToken: TOKEN }, message);
    const third = await sender.send({ accessToken: TOKEN }, message);
    expect([first, second]).toEqual([
      { ok: false, retryable: true, reason: 'HTTP 500' },
      {
        ok: false,
        retryable: true,
        reason: 'DingTalk errcode 130101: send too fast, exceed 20 times per minute',
      },
    ]);
    expect(third).toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
  });

  it('is checked for shape: a mention missing from the text or another msgtype is refused, not retried', async () => {
    const unmentioned = { ...renderDingTalk(notice), at: { atMobiles: [MOBILE], isAtAll: false as const } };
    const asText = { ...renderDingTalk(notice), msgtype: 'text' } as unknown as DingTalkMarkdown;
    expect(await sender.send({ accessToken: TOKEN }, unmentioned)).toEqual({
      ok: false,
      retryable: false,
      reason: `DingTalk errcode 40035: atMobiles not in the text: ${MOBILE}`,
    });
    expect(await sender.send({ accessToken: TOKEN }, asText)).toMatchObject({ ok: false, retryable: false });
    expect(receiver.received).toEqual([]);
  });

  it('takes a base URL with a path, and an address that is not the robot API (404) is not retried', async () => {
    const misrouted = new DingTalkSender({
      baseUrl: `${receiver.baseUrl}/gateway/`,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
    });
    expect(await misrouted.send({ accessToken: TOKEN }, renderDingTalk(notice))).toEqual({
      ok: false,
      retryable: false,
      reason: 'HTTP 404',
    });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/gateway/robot/send']);
  });

  it('reports a receiver that never answers and one that is not there as retryable', async () => {
    receiver.failNext(1, 'hang');
    const hung = await sender.send({ accessToken: TOKEN }, renderDingTalk(notice));
    expect(hung).toEqual({
      ok: false,
      retryable: true,
      reason: `no answer within ${env.NOTIFY_TIMEOUT_MS} ms`,
    });
    const gone = await new DingTalkSender({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
    }).send({ accessToken: TOKEN, secret: SECRET }, renderDingTalk(notice));
    expect(gone).toEqual({ ok: false, retryable: true, reason: 'network error ECONNREFUSED' });
    expect(receiver.received).toEqual([]);
  });
});

describe('WeCom group robot', () => {
  let receiver: WeComReceiver;
  let sender: WeComSender;
  beforeAll(async () => {
    receiver = await new WeComReceiver().start();
    receiver.addRobot(WECOM_KEY);
    sender = new WeComSender({ baseUrl: receiver.baseUrl, timeoutMs: env.NOTIFY_TIMEOUT_MS });
  });
  afterAll(() => receiver?.stop());
  beforeEach(() => {
    receiver.received.length = 0;
  });

  it('delivers markdown once with the name, rule, rung and link', async () => {
    await expect(sender.send({ key: WECOM_KEY }, renderWeCom(notice))).resolves.toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
    const [message] = receiver.received;
    expect(message.msgtype).toBe('markdown');
    for (const part of [
      '智能装备\\*产业园\\[一期\\]\\<瓯海\\>',
      '签约后30日内完成工商注册',
      '2026-12-10',
      '第2级',
      `](${LINK})`,
    ]) {
      expect(message.content).toContain(part);
    }
  });

  it('mentions by mobile with a text message and mentioned_mobile_list', async () => {
    await expect(sender.send({ key: WECOM_KEY }, renderWeCom(notice, [MOBILE]))).resolves.toEqual({
      ok: true,
    });
    expect(receiver.received).toEqual([
      {
        key: WECOM_KEY,
        msgtype: 'text',
        content: expect.stringContaining(`查看项目：${LINK}`) as string,
        mentionedMobiles: [MOBILE],
      },
    ]);
    expect(receiver.received[0].content).toContain('项目：智能装备*产业园[一期]<瓯海>');
  });

  it('is checked for shape: empty content or an unknown msgtype is refused, not retried', async () => {
    const empty: WeComMessage = { msgtype: 'markdown', markdown: { content: '' } };
    const unknown = { msgtype: 'card', card: {} } as unknown as WeComMessage;
    expect(await sender.send({ key: WECOM_KEY }, empty)).toEqual({
      ok: false,
      retryable: false,
      reason: 'WeCom errcode 44004: empty content',
    });
    expect(await sender.send({ key: WECOM_KEY }, unknown)).toEqual({
      ok: false,
      retryable: false,
      reason: 'WeCom errcode 40008: invalid message type',
    });
    expect(receiver.received).toEqual([]);
  });

  it('refuses a wrong key as not retryable and retries HTTP 500 and the rate limit', async () => {
    const wrong = await sender.send({ key: 'not-the-key' }, renderWeCom(notice));
    expect(wrong).toEqual({
      ok: false,
      retryable: false,
      reason: 'WeCom errcode 93000: invalid webhook url',
    });
    receiver.failNext(1, { http: 502 });
    receiver.failNext(1, { errcode: 45009, errmsg: 'api freq out of limit' });
    const busy = [
      await sender.send({ key: WECOM_KEY }, renderWeCom(notice)),
      await sender.send({ key: WECOM_KEY }, renderWeCom(notice)),
    ];
    expect(busy).toEqual([
      { ok: false, retryable: true, reason: 'HTTP 502' },
      { ok: false, retryable: true, reason: 'WeCom errcode 45009: api freq out of limit' },
    ]);
    expect(receiver.received).toEqual([]);
    await expect(sender.send({ key: WECOM_KEY }, renderWeCom(notice))).resolves.toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
  });
});

describe('e-mail over SMTP', () => {
  let receiver: SmtpReceiver;
  let sender: EmailSender;
  beforeAll(async () => {
    receiver = await new SmtpReceiver().start();
    sender = new EmailSender({
      smtpUrl: receiver.url,
      from: env.MAIL_FROM,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
    });
  });
  afterAll(async () => {
    sender?.close();
    await receiver?.stop();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  it('arrives once with a Chinese subject, plain text and HTML', async () => {
    const mail = renderEmail(notice);
    await expect(sender.send({ to: ['wang@ouhai.example.gov.cn'] }, mail)).resolves.toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
    const [received] = receiver.received;
    expect(received.from).toBe('noreply@localhost');
    expect(received.to).toEqual(['wang@ouhai.example.gov.cn']);
    expect(received.fromHeader).toBe('招商项目管理 <noreply@localhost>');
    // Non-ASCII headers go as RFC 2047 encoded words in UTF-8, which every mail client reads.
    expect(received.headers.get('subject')).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(received.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(received.subject).toBe('【升级督办·第2级】智能装备*产业园[一期]<瓯海>：签约后30日内完成工商注册');
    expect(received.text).toContain('王局长，您好：');
    expect(received.text).toContain('项目：智能装备*产业园[一期]<瓯海>');
    expect(received.text).toContain('级别：第2级');
    expect(received.text).toContain(`查看项目：${LINK}`);
    expect(received.html).toContain('智能装备*产业园[一期]&lt;瓯海&gt;');
    expect(received.html).toContain(`<a href="${LINK}">查看项目</a>`);
    expect(received.html).toContain('<td>签约后30日内完成工商注册</td>');
  });

  it('retries a temporary refusal (451) and not a permanent one (550)', async () => {
    receiver.failNext(1, { at: 'data', code: 451, message: 'Requested action aborted: try again later' });
    receiver.failNext(1, { at: 'rcpt', code: 550, message: 'No such user here' });
    const temporary = await sender.send({ to: ['wang@ouhai.example.gov.cn'] }, renderEmail(notice));
    const permanent = await sender.send({ to: ['nobody@ouhai.example.gov.cn'] }, renderEmail(notice));
    expect(temporary).toMatchObject({
      ok: false,
      retryable: true,
      reason: expect.stringMatching(/^SMTP 451/) as string,
    });
    expect(permanent).toMatchObject({
      ok: false,
      retryable: false,
      reason: expect.stringMatching(/^SMTP 550/) as string,
    });
    expect(receiver.received).toEqual([]);
  });

  it('logs in with the credentials in SMTP_URL, and a wrong password is refused without showing it', async () => {
    const guarded = await new SmtpReceiver({ alerts: 'smtp-pa55w0rd' }).start();
    const url = (password: string) => guarded.url.replace('smtp://', `smtp://alerts:${password}@`);
    const good = new EmailSender({
      smtpUrl: url('smtp-pa55w0rd'),
      from: env.MAIL_FROM,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
    });
    const bad = new EmailSender({
      smtpUrl: url('wrong-pa55w0rd'),
      from: env.MAIL_FROM,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
    });
    try {
      expect(await good.send({ to: ['wang@ouhai.example.gov.cn'] }, renderEmail(notice))).toEqual({
        ok: true,
      });
      const refused = await bad.send({ to: ['wang@ouhai.example.gov.cn'] }, renderEmail(notice));
      expect(refused).toMatchObject({
        ok: false,
        retryable: false,
        reason: expect.stringMatching(/^SMTP 535/) as string,
      });
      expect(JSON.stringify(refused)).not.toContain('wrong-pa55w0rd');
      expect(guarded.received).toHaveLength(1);
    } finally {
      good.close();
      bad.close();
      await guarded.stop();
    }
  });

  it('retries when no mail server listens, and refuses a mail with no recipient without trying', async () => {
    const gone = new EmailSender({
      smtpUrl: `smtp://127.0.0.1:${await closedPort()}`,
      from: env.MAIL_FROM,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
    });
    try {
      await expect(
        gone.send({ to: ['wang@ouhai.example.gov.cn'] }, renderEmail(notice)),
      ).resolves.toMatchObject({
        ok: false,
        retryable: true,
        reason: expect.stringMatching(/^SMTP (ECONNECTION|ESOCKET): .*ECONNREFUSED/) as string,
      });
    } finally {
      gone.close();
    }
    await expect(sender.send({ to: [' '] }, renderEmail(notice))).resolves.toEqual({
      ok: false,
      retryable: false,
      reason: 'no recipient address',
    });
  });
});
