import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

/**
 * Real local stand-ins for DingTalk's and WeCom's robot APIs and for a mail server, checking what
 * the vendors check (tokens, DingTalk's signature, the body's shape) and recording what arrives.
 * Each can be told to fail its next N requests, the way the real ones do when they are down or busy.
 */

export type RobotFailure = { http: number } | { errcode: number; errmsg: string } | 'hang';

interface Answer {
  status: number;
  body?: unknown;
}

/** A JSON-over-HTTP robot API on 127.0.0.1, a free port. */
abstract class RobotReceiver<Message> {
  readonly received: Message[] = [];
  /** Every request, refused or not, with its query string, to show secrets never travel elsewhere. */
  readonly requests: { path: string; query: URLSearchParams; body: string }[] = [];
  private readonly failures: RobotFailure[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server?: Server;

  protected abstract readonly path: string;
  protected abstract answer(query: URLSearchParams, body: unknown): { ok: Message } | { refuse: Answer };

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('receiver not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The next `times` requests get `failure` instead of being looked at. */
  failNext(times: number, failure: RobotFailure): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://receiver');
    this.requests.push({ path: url.pathname, query: url.searchParams, body: raw });
    const failure = this.failures.shift();
    if (failure === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (failure)
      return send(res, 'http' in failure ? { status: failure.http, body: 'unavailable' } : ok(failure));
    if (req.method !== 'POST' || url.pathname !== this.path)
      return send(res, { status: 404, body: 'not found' });
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      return send(res, ok({ errcode: 40035, errmsg: 'content-type must be application/json' }));
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, ok({ errcode: 40035, errmsg: 'body is not JSON' }));
    }
    const verdict = this.answer(url.searchParams, body);
    if ('refuse' in verdict) return send(res, verdict.refuse);
    this.received.push(verdict.ok);
    send(res, ok({ errcode: 0, errmsg: 'ok' }));
  }
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function send(res: ServerResponse, answer: Answer): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json; charset=utf-8',
  });
  res.end(text);
}

function refuse(errcode: number, errmsg: string): { refuse: Answer } {
  return { refuse: ok({ errcode, errmsg }) };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

export interface DingTalkReceived {
  accessToken: string;
  signed: boolean;
  title: string;
  text: string;
  atMobiles: string[];
  isAtAll: boolean;
}

/**
 * DingTalk's custom robot API. Robots are registered by access token, with a secret for signed
 * mode; the signature is checked as DingTalk computes it: base64(HmacSHA256(secret,
 * timestamp + "\n" + secret)), URL-encoded in the query, the timestamp within an hour of now.
 */
export class DingTalkReceiver extends RobotReceiver<DingTalkReceived> {
  protected readonly path = '/robot/send';
  private readonly robots = new Map<string, { secret?: string }>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  addRobot(accessToken: string, secret?: string): void {
    this.robots.set(accessToken, { secret });
  }

  protected answer(query: URLSearchParams, body: unknown) {
    const accessToken = query.get('access_token') ?? '';
    const robot = this.robots.get(accessToken);
    if (!robot) return refuse(300001, 'token is not exist');
    if (robot.secret !== undefined) {
      const timestamp = Number(query.get('timestamp'));
      const sign = query.get('sign') ?? '';
      if (!Number.isSafeInteger(timestamp) || Math.abs(this.now() - timestamp) > 3600_000) {
        return refuse(310000, 'sign not match, timestamp is not within one hour of now');
      }
      const expected = createHmac('sha256', robot.secret)
        .update(`${timestamp}\n${robot.secret}`)
        .digest('base64');
      const a = Buffer.from(sign);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) return refuse(310000, 'sign not match');
    }
    if (!isRecord(body) || body.msgtype !== 'markdown' || !isRecord(body.markdown)) {
      return refuse(40035, 'msgtype must be markdown with a markdown object');
    }
    const { title, text } = body.markdown;
    if (typeof title !== 'string' || title === '' || typeof text !== 'string' || text === '') {
      return refuse(40035, 'markdown.title and markdown.text are required');
    }
    const at = body.at === undefined ? {} : body.at;
    if (!isRecord(at)) return refuse(40035, 'at must be an object');
    const atMobiles = at.atMobiles ?? [];
    if (!isStringList(atMobiles)) return refuse(40035, 'at.atMobiles must be a list of strings');
    if (at.isAtAll !== undefined && typeof at.isAtAll !== 'boolean')
      return refuse(40035, 'at.isAtAll must be a boolean');
    // DingTalk only highlights a mention whose @mobile also stands in the markdown text.
    const unmentioned = atMobiles.filter((mobile) => !text.includes(`@${mobile}`));
    if (unmentioned.length > 0) return refuse(40035, `atMobiles not in the text: ${unmentioned.join(',')}`);
    return {
      ok: {
        accessToken,
        signed: robot.secret !== undefined,
        title,
        text,
        atMobiles,
        isAtAll: at.isAtAll === true,
      },
    };
  }
}

export type WeComReceived =
  | { key: string; msgtype: 'markdown'; content: string }
  | { key: string; msgtype: 'text'; content: string; mentionedMobiles: string[] };

/** WeChat Work's group robot API: the key in the query, markdown (≤4096 bytes) or text (≤2048). */
export class WeComReceiver extends RobotReceiver<WeComReceived> {
  protected readonly path = '/cgi-bin/webhook/send';
  private readonly keys = new Set<string>();

  addRobot(key: string): void {
    this.keys.add(key);
  }

  protected answer(query: URLSearchParams, body: unknown) {
    const key = query.get('key') ?? '';
    if (!this.keys.has(key)) return refuse(93000, 'invalid webhook url');
    if (!isRecord(body)) return refuse(40008, 'invalid message type');
    if (body.msgtype === 'markdown') {
      const content = isRecord(body.markdown) ? body.markdown.content : undefined;
      if (typeof content !== 'string' || content === '') return refuse(44004, 'empty content');
      if (Buffer.byteLength(content) > 4096) return refuse(40058, 'markdown.content exceed max length 4096');
      return { ok: { key, msgtype: 'markdown' as const, content } };
    }
    if (body.msgtype === 'text') {
      if (!isRecord(body.text)) return refuse(44004, 'empty content');
      const { content, mentioned_mobile_list: mobiles = [] } = body.text;
      if (typeof content !== 'string' || content === '') return refuse(44004, 'empty content');
      if (Buffer.byteLength(content) > 2048) return refuse(40058, 'text.content exceed max length 2048');
      if (!isStringList(mobiles)) return refuse(40058, 'mentioned_mobile_list must be a list of strings');
      return { ok: { key, msgtype: 'text' as const, content, mentionedMobiles: mobiles } };
    }
    return refuse(40008, 'invalid message type');
  }
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** Raw header values, as sent (encoded words still encoded). */
  headers: Map<string, string>;
  /** The From header, decoded. */
  fromHeader: string;
  subject: string;
  text?: string;
  html?: string;
}

export type SmtpFailure = { at: 'rcpt' | 'data'; code: number; message: string };

/** A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps every mail it accepts. */
export class SmtpReceiver {
  readonly received: ReceivedMail[] = [];
  private readonly failures: SmtpFailure[] = [];
  private server?: SMTPServer;
  private port = 0;

  /** With users, the server requires AUTH (PLAIN/LOGIN, over the plain connection: it is local). */
  constructor(private readonly users?: Record<string, string>) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  failNext(times: number, failure: SmtpFailure): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  async start(): Promise<this> {
    const takeFailure = (at: SmtpFailure['at']): SMTPServerError | undefined => {
      if (this.failures[0]?.at !== at) return undefined;
      const failure = this.failures.shift()!;
      return Object.assign(new Error(failure.message), { responseCode: failure.code });
    };
    this.server = new SMTPServer({
      authOptional: !this.users,
      allowInsecureAuth: true,
      disabledCommands: this.users ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        const users = this.users ?? {};
        if (auth.username && Object.hasOwn(users, auth.username) && users[auth.username] === auth.password) {
          return callback(null, { user: auth.username });
        }
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo: (_address, _session, callback) => callback(takeFailure('rcpt') ?? null),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const failure = takeFailure('data');
          if (failure) return callback(failure);
          const mail = parseMail(Buffer.concat(chunks).toString('latin1'));
          this.received.push({
            ...mail,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          callback(null);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.server.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Just enough MIME to read what nodemailer writes: folded headers, RFC 2047 encoded words,
 * multipart bodies, base64 and quoted-printable parts. The raw mail is read as latin1 so that
 * bytes survive until each part is decoded as UTF-8.
 */
export function parseMail(raw: string): Omit<ReceivedMail, 'from' | 'to'> {
  const part = parsePart(raw);
  const leaves: Part[] = [];
  const walk = (p: Part) => (p.children.length > 0 ? p.children.forEach(walk) : leaves.push(p));
  walk(part);
  const body = (type: string) => leaves.find((leaf) => leaf.contentType.startsWith(type))?.body;
  return {
    headers: part.headers,
    fromHeader: decodeWords(part.headers.get('from') ?? ''),
    subject: decodeWords(part.headers.get('subject') ?? ''),
    text: body('text/plain'),
    html: body('text/html'),
  };
}

interface Part {
  headers: Map<string, string>;
  contentType: string;
  body: string;
  children: Part[];
}

function parsePart(raw: string): Part {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const rest = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const contentType = (headers.get('content-type') ?? 'text/plain').toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (contentType.startsWith('multipart/') && boundary) {
    const sections = rest.split(`--${boundary}`).slice(1);
    const children = sections
      .filter((section) => !section.startsWith('--'))
      .map((section) => parsePart(section.replace(/^\r?\n/, '')));
    return { headers, contentType, body: '', children };
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(rest.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(rest)
        : Buffer.from(rest, 'latin1');
  return { headers, contentType, body: bytes.toString('utf8').replace(/\r?\n$/, ''), children: [] };
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047: =?charset?B|Q?…?=, the white space between two adjacent encoded words dropped. */
function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  const bytes = joined.replace(word, (_match, _charset: string, kind: string, data: string) =>
    (kind.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : decodeQuotedPrintable(data.replace(/_/g, ' '))
    ).toString('latin1'),
  );
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
