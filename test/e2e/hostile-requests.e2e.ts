import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory';
import { ApiClient, COUNTY, evidence, lead, REGION } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

/**
 * Requests that are wrong, or that arrive while a part of the system is away: each answer is a 4xx
 * (or a 503 with Retry-After) as application/problem+json, never a 500 and never Node's plain text.
 */
jest.setTimeout(60_000);

let system: TestSystem;
let officer: ApiClient;
let leader: ApiClient;
let admin: ApiClient;
let auditor: ApiClient;
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-hostile' });
  leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-hostile' });
  admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-hostile' });
  auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: 'auditor-hostile' });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

const PROBLEM = /^application\/problem\+json/;
const UUID = '0b9e1c52-3f0a-4f5e-9d7a-2c1b6e8f4a10';

/** A problem+json answer with this status; for a 400, one naming `field`. */
function expectProblem(res: request.Response, status: number, field?: string): void {
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(PROBLEM);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  if (field !== undefined) {
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, rule: expect.any(String) })]),
    );
  }
}

describe('ids, cursors and path parameters', () => {
  let projectId: string;
  let version: number;
  beforeAll(async () => {
    ({ id: projectId, version } = await officer.register());
  });

  it.each([
    ['a 督办 item that is not a UUID', () => leader.get('/api/supervision-items/not-a-uuid'), 'id'],
    ['a 督办 item id of 36 dashes', () => leader.get(`/api/supervision-items/${'-'.repeat(36)}`), 'id'],
    [
      'a 督办 cursor of 36 dashes',
      () => leader.get(`/api/supervision-items?cursor=${'-'.repeat(36)}`),
      'cursor',
    ],
    ['a project id that is not a UUID', () => officer.get('/api/projects/42'), 'id'],
    ['a project history of no UUID', () => auditor.get('/api/projects/x/history'), 'id'],
    ['a project state of no UUID', () => auditor.get('/api/projects/x/state'), 'id'],
    ['a list cursor that was never given out', () => officer.get('/api/projects?cursor=%27%3B--'), 'cursor'],
    ['an inbox cursor past bigint', () => officer.get('/api/alerts?cursor=99999999999999999999'), 'cursor'],
    ['an inbox filter by no UUID', () => officer.get('/api/alerts?projectId=nope'), 'projectId'],
    [
      'a delivery cursor past bigint',
      () => admin.get('/api/deliveries?cursor=99999999999999999999'),
      'cursor',
    ],
    ['a verification of no UUID', () => auditor.get('/api/audit/verify?projectId=nope'), 'projectId'],
  ])('%s is a 400 naming the parameter', async (_name, send, field) => {
    expectProblem(await send(), 400, field);
  });

  it('a step on a 督办 item that is not a UUID is a 400 naming id', async () => {
    expectProblem(await leader.write('/api/supervision-items/nope/steps', { to: 'acknowledged' }), 400, 'id');
  });

  it('a blocker id no blocker can have is a 400 naming blockerId', async () => {
    const res = await officer.write(
      `/api/projects/${projectId}/blockers/${'b'.repeat(41)}/resolution`,
      { resolution: '已协调解决' },
      { version },
    );
    expectProblem(res, 400, 'blockerId');
  });

  it('a command to a project id that is not a UUID is a 400 naming id', async () => {
    expectProblem(
      await officer.write('/api/projects/nope/transitions', evidence('negotiating'), { version: 1 }),
      400,
      'id',
    );
  });

  it.each([
    ['an alert', () => officer.write('/api/alerts/not-an-alert/acknowledgement', {})],
    ['an alert past bigint', () => officer.write('/api/alerts/99999999999999999999/acknowledgement', {})],
    ['a delivery', () => admin.write('/api/deliveries/not-a-delivery/retry', undefined)],
    ['a 督办 item that is a UUID but none', () => leader.get(`/api/supervision-items/${UUID}`)],
    ['a project that is a UUID but none', () => officer.get(`/api/projects/${UUID}`)],
  ])('%s that does not exist is a 404', async (_name, send) => {
    expectProblem(await send(), 404);
  });
});

describe('JSON nested 3,000 deep', () => {
  const deep = `{"a":${'['.repeat(3000)}${']'.repeat(3000)}}`;
  const send = (client: ApiClient, path: string, method: 'post' | 'put' = 'post', version?: number) =>
    client.write(path, undefined, { method, version }).set('Content-Type', 'application/json').send(deep);

  it.each([
    ['POST /projects', () => send(officer, '/api/projects')],
    ['POST /reviews', () => send(leader, '/api/reviews')],
    ['PUT /policy', () => send(admin, '/api/policy', 'put', 1)],
    ['PUT /targets', () => send(leader, '/api/targets/2025/420500', 'put')],
    ['POST /audit/checkpoints/verify', () => send(auditor, '/api/audit/checkpoints/verify')],
    ['POST /alerts/{id}/acknowledgement', () => send(officer, '/api/alerts/1/acknowledgement')],
  ])('%s is a 400 naming the body and its depth', async (_name, make) => {
    const res = await make();
    expectProblem(res, 400, 'body');
    expect(res.body.errors[0]).toMatchObject({ field: 'body', rule: 'maxDepth' });
  });

  it('a command to a project is refused the same, and the project takes the next command', async () => {
    const { id, version } = await officer.register();
    expectProblem(await send(officer, `/api/projects/${id}/transitions`, 'post', version), 400, 'body');
    await officer.command(id, '/transitions', evidence('negotiating'));
  });

  it('a body nested 64 deep still reaches validation', async () => {
    // 64 levels, counting the top object: the validators answer, naming the unknown property.
    const body = `{"a":${'['.repeat(63)}${']'.repeat(63)}}`;
    const res = await officer
      .write('/api/projects', undefined)
      .set('Content-Type', 'application/json')
      .send(body);
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'a' })]));
  });
});

describe('impossible years, months and quarters', () => {
  it.each([
    ['a bulletin of 0000-01', () => leader.get('/api/bulletins/0000-01'), 'month'],
    ['a bulletin spreadsheet of 0000-01', () => leader.get('/api/bulletins/0000-01.xlsx'), 'month'],
    ['a bulletin of 1999-12', () => leader.get('/api/bulletins/1999-12'), 'month'],
    ['progress of year 0', () => leader.get('/api/progress?year=0'), 'year'],
    [
      'progress of a year past any number',
      () => leader.get('/api/progress?year=99999999999999999999'),
      'year',
    ],
    ['targets of year 0000', () => leader.get('/api/targets/0000/420500'), 'year'],
    ['targets of 1999', () => leader.get('/api/targets/1999/420500'), 'year'],
    ['targets of 2999', () => leader.get('/api/targets/2999/420500'), 'year'],
    ['a review of 0000Q1', () => leader.get('/api/reviews/0000Q1'), 'quarter'],
    ['a review spreadsheet of 0000Q1', () => leader.get('/api/reviews/0000Q1.xlsx'), 'quarter'],
    ['a review of 1899Q4', () => leader.get('/api/reviews/1899Q4'), 'quarter'],
    ['督办 items of 0000Q1', () => leader.get('/api/supervision-items?quarter=0000Q1'), 'quarter'],
    [
      'a checkpoint id past bigint',
      () => auditor.get('/api/audit/checkpoints/99999999999999999999/digest'),
      'id',
    ],
    ['a checkpoint id of 0', () => auditor.get('/api/audit/checkpoints/0/digest'), 'id'],
  ])('%s is a 400 naming the parameter', async (_name, send, field) => {
    expectProblem(await send(), 400, field);
  });

  it.each(['0000Q1', '1899Q4', '1999Q4'])(
    'POST /reviews for %s is refused and nothing is stored',
    async (quarter) => {
      expectProblem(await leader.write('/api/reviews', { quarter }), 400, 'quarter');
      const stored = await leader.get('/api/reviews').expect(200);
      expect((stored.body as { quarter: string }[]).map((r) => r.quarter)).not.toContain(quarter);
    },
  );

  it('PUT of targets for a year before 2000 is refused', async () => {
    const res = await leader.write('/api/targets/1999/420500', { targets: {} }, { method: 'put' });
    expectProblem(res, 400, 'year');
  });

  it('a checkpoint digest with numbers past any id is refused by field', async () => {
    const res = await auditor.write('/api/audit/checkpoints/verify', {
      format: 'lifecycle-checkpoint/1',
      checkpointId: 1e20,
      createdAt: '2025-07-01T00:00:00Z',
      projects: 1,
      events: 1,
      merkleRoot: '0'.repeat(64),
      heads: [{ projectId: '', version: 1e20, headHash: '0'.repeat(64) }],
      publicKey: 'AAAA',
      signature: 'AAAA',
    });
    expectProblem(res, 400, 'checkpointId');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'heads.0.projectId' }),
        expect.objectContaining({ field: 'heads.0.version' }),
      ]),
    );
  });
});

describe('methods a route does not have', () => {
  it('TRACE on the project list is a 405 naming the methods it has', async () => {
    const res = await request(system.app.getHttpServer()).trace('/api/projects');
    expectProblem(res, 405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
  });

  it('DELETE on a project is a 405 with Allow', async () => {
    const del = await request(system.app.getHttpServer())
      .delete(`/api/projects/${UUID}`)
      .set('Authorization', `Bearer ${officer.token}`);
    expectProblem(del, 405);
    expect(del.headers.allow).toBe('GET, HEAD');
  });

  it('POST on /health/live is a 405', async () => {
    const res = await request(system.app.getHttpServer()).post('/health/live');
    expectProblem(res, 405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('an unknown path stays a 404, whatever the method', async () => {
    expectProblem(await request(system.app.getHttpServer()).trace('/api/no-such-thing'), 404);
    expectProblem(await officer.get('/api/no-such-thing'), 404);
  });
});

/** Sends raw bytes to the API and returns what comes back until it closes the connection. */
function raw(bytes: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { port } = new URL(system.url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

describe("requests Node cannot parse answer problem+json, not Node's plain text", () => {
  it.each([
    [
      'oversized headers',
      `GET /api/projects HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
    ],
    [
      'a control character in a header',
      'GET /api/projects HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n',
      400,
    ],
    ['a header name with a space', 'GET /api/projects HTTP/1.1\r\nHost: x\r\nX Bad: 1\r\n\r\n', 400],
    ['a malformed request line', 'THIS IS NOT HTTP\r\n\r\n', 400],
  ])('%s', async (_name, bytes, status) => {
    const res = await raw(bytes);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body)).toMatchObject({
      status,
      title: expect.any(String),
      type: expect.any(String),
    });
  });
});

describe("Express's own ETags are off", () => {
  it('a 412 carries no weak ETag', async () => {
    const { id, version } = await officer.register();
    const res = await officer.write(`/api/projects/${id}/transitions`, evidence('negotiating'), {
      version: version + 5,
    });
    expectProblem(res, 412);
    expect(res.headers.etag).toBeUndefined();
  });

  it.each([
    ['the project list', () => officer.get('/api/projects')],
    ['the inbox', () => officer.get('/api/alerts')],
    ['the reviews', () => leader.get('/api/reviews')],
    ['a problem', () => officer.get('/api/projects/nope')],
  ])('%s carries no ETag', async (_name, send) => {
    const res = await send();
    expect(res.status).toBeLessThan(500);
    expect(res.headers.etag).toBeUndefined();
  });

  it("a project's own ETag is still sent, strong", async () => {
    const { id } = await officer.register();
    const res = await officer.get(`/api/projects/${id}`).expect(200);
    expect(res.headers.etag).toMatch(/^"v\d+"$/);
  });
});

/**
 * A TCP relay to a real server that can be cut and restored, so a second API can lose PostgreSQL
 * exactly as it would in an outage: open connections reset, new ones refused.
 */
class Relay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    if (this.server?.listening) return;
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.resetAndDestroy();
    await closed;
  }
}

/** A second API whose connections `rewrite` points elsewhere (through a relay), by variable. */
async function appThrough(rewrite: (name: string, value: string) => string | undefined) {
  const names = ['DATABASE_URL', 'DATABASE_APP_URL', 'TEMPORAL_ADDRESS'];
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  for (const name of names) {
    const through = process.env[name] === undefined ? undefined : rewrite(name, process.env[name]);
    if (through !== undefined) process.env[name] = through;
  }
  try {
    const app = await createApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  } finally {
    Object.assign(process.env, saved);
  }
}

describe('a part that is away: PostgreSQL', () => {
  let relay: Relay;
  let cutOff: INestApplication;
  let url: string;
  beforeAll(async () => {
    const target = new URL(process.env.TEST_DATABASE_URL!);
    relay = new Relay(target.hostname, Number(target.port));
    await relay.open();
    // Every connection string the API may use (the owner's for migrations, the app role's).
    ({ app: cutOff, url } = await appThrough((name, value) => {
      if (!name.startsWith('DATABASE')) return undefined;
      const through = new URL(value);
      through.port = String(relay.port);
      return through.toString();
    }));
  });
  afterAll(async () => {
    await relay.open();
    await cutOff?.close();
    await relay.cut();
  });

  it('while PostgreSQL cannot be reached, a read and readiness answer 503 with Retry-After, and 200 once it is back', async () => {
    await request(url).get('/api/projects').set('Authorization', `Bearer ${officer.token}`).expect(200);
    await relay.cut();

    const read = await request(url).get('/api/projects').set('Authorization', `Bearer ${officer.token}`);
    expectProblem(read, 503);
    expect(Number(read.headers['retry-after'])).toBeGreaterThan(0);
    expect(read.body.detail).toMatch(/PostgreSQL|server/);

    const again = await request(url)
      .get(`/api/projects/${UUID}`)
      .set('Authorization', `Bearer ${officer.token}`);
    expectProblem(again, 503);

    const ready = await request(url).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(Number(ready.headers['retry-after'])).toBeGreaterThan(0);
    expect(ready.body.checks.postgres.status).toBe('down');

    await relay.open();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await request(url).get('/api/projects').set('Authorization', `Bearer ${officer.token}`))
        .status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });
});

describe('a part that is away: Temporal', () => {
  let relay: Relay;
  let cutOff: INestApplication;
  let url: string;
  beforeAll(async () => {
    const [host, port] = process.env.TEST_TEMPORAL_ADDRESS!.split(':');
    relay = new Relay(host, Number(port));
    await relay.open();
    ({ app: cutOff, url } = await appThrough((name) =>
      name === 'TEMPORAL_ADDRESS' ? `127.0.0.1:${relay.port}` : undefined,
    ));
  });
  afterAll(async () => {
    await relay.open();
    // Temporal's client retries an UNAVAILABLE call on a timer (at most 5 s apart) even past its
    // deadline; closing the connection under a pending retry throws from that timer.
    await new Promise((r) => setTimeout(r, 5_500));
    await cutOff?.close();
    await relay.cut();
  }, 30_000);

  it('while Temporal cannot be reached, a command and readiness answer 503 with Retry-After', async () => {
    await relay.cut();
    const register = await request(url)
      .post('/api/projects')
      .set('Authorization', `Bearer ${officer.token}`)
      .set('Idempotency-Key', `temporal-away-${Date.now()}`)
      .send(lead());
    expectProblem(register, 503);
    expect(Number(register.headers['retry-after'])).toBeGreaterThan(0);

    const ready = await request(url).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(Number(ready.headers['retry-after'])).toBeGreaterThan(0);
    expect(ready.body.checks).toMatchObject({ postgres: { status: 'up' }, temporal: { status: 'down' } });

    // Reads come from PostgreSQL and go on.
    await request(url).get('/api/projects').set('Authorization', `Bearer ${officer.token}`).expect(200);
  });
});
