import { createHash } from 'node:crypto';
import type request from 'supertest';
import { canonicalJson, readStream } from '../../libs/persistence/src';
import { ApiClient, evidence, lead, REGION } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(120_000);

const N = 20;
// A repeat waits this long for the first request's answer; short here so the in-progress case is quick.
const WAIT_MS = 1500;

let system: TestSystem;
let officer: ApiClient;
let previousWait: string | undefined;
beforeAll(async () => {
  previousWait = process.env.IDEMPOTENCY_WAIT_MS;
  process.env.IDEMPOTENCY_WAIT_MS = String(WAIT_MS);
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [REGION], sub: `officer-races-${Date.now()}` });
}, 120_000);
afterAll(async () => {
  if (previousWait === undefined) delete process.env.IDEMPOTENCY_WAIT_MS;
  else process.env.IDEMPOTENCY_WAIT_MS = previousWait;
  await system?.stop();
}, 60_000);

/** Every request started before any is awaited, so they reach the API together. */
function together(requests: request.Test[]): Promise<request.Response[]> {
  return Promise.all(requests.map((r) => r.then((res) => res)));
}

function statuses(responses: request.Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await system.dataSource.query<{ n: number }[]>(sql, params);
  return row.n;
}

/** The hash the API keeps for a request, so a test can plant the claim a crashed process left. */
function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

describe('one Idempotency-Key sent by many requests at once', () => {
  it('registers exactly one project when the bodies differ: one 201, the rest 422 or 409', async () => {
    const key = `race-different-${Date.now()}`;
    const names = Array.from({ length: N }, (_, i) => `并发登记项目-${key}-${i}`);
    const responses = await together(
      names.map((name) => officer.write('/api/projects', lead({ name }), { key })),
    );
    const counts = statuses(responses);
    expect(counts[201]).toBe(1);
    expect((counts[422] ?? 0) + (counts[409] ?? 0)).toBe(N - 1);
    for (const res of responses.filter((r) => r.status !== 201)) {
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors[0]).toMatchObject({
        field: 'Idempotency-Key',
        rule: res.status === 422 ? 'reused' : 'in_progress',
      });
    }
    const winner = responses.find((r) => r.status === 201)!;
    expect(names).toContain(winner.body.name);
    // Exactly one project was registered, under the winner's name, with one event.
    expect(await count(`SELECT count(*)::int AS n FROM projects WHERE name = ANY($1)`, [names])).toBe(1);
    const events = await readStream(system.dataSource.manager, winner.body.projectId);
    expect(events.map((e) => e.type)).toEqual(['LeadRegistered']);
    expect(events[0].data).toMatchObject({ name: winner.body.name });
  });

  it('answers every identical request with the same project, registered once', async () => {
    const key = `race-same-${Date.now()}`;
    const body = lead({ name: `并发重复登记-${key}` });
    const responses = await together(
      Array.from({ length: N }, () => officer.write('/api/projects', body, { key })),
    );
    expect(statuses(responses)).toEqual({ 201: N });
    const ids = new Set(responses.map((r) => r.body.projectId));
    expect(ids.size).toBe(1);
    expect(new Set(responses.map((r) => r.headers.etag)).size).toBe(1);
    expect(new Set(responses.map((r) => r.headers.location)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(N - 1);
    expect(await count(`SELECT count(*)::int AS n FROM projects WHERE name = $1`, [body.name])).toBe(1);
    const [id] = ids;
    expect(await readStream(system.dataSource.manager, id)).toHaveLength(1);
  });

  it('moves a project once when the transitions differ: one 200, the rest 422 or 409', async () => {
    const { id, version } = await officer.register();
    const key = `race-transition-${id}`;
    const officials = Array.from({ length: N }, (_, i) => `副市长-${i}`);
    const responses = await together(
      officials.map((leadingOfficial) =>
        officer.write(
          `/api/projects/${id}/transitions`,
          { ...evidence('negotiating'), leadingOfficial },
          { key, version },
        ),
      ),
    );
    const counts = statuses(responses);
    expect(counts[200]).toBe(1);
    expect((counts[422] ?? 0) + (counts[409] ?? 0)).toBe(N - 1);
    const events = await readStream(system.dataSource.manager, id);
    const moved = events.filter((e) => e.type === 'TalksStarted');
    expect(moved).toHaveLength(1);
    const winner = responses.find((r) => r.status === 200)!;
    expect(winner.body.project.version).toBe(moved[0].version);
  });

  it('answers every identical transition with the same outcome, recorded once', async () => {
    const { id, version } = await officer.register();
    const key = `race-transition-same-${id}`;
    const responses = await together(
      Array.from({ length: N }, () =>
        officer.write(`/api/projects/${id}/transitions`, evidence('negotiating'), { key, version }),
      ),
    );
    expect(statuses(responses)).toEqual({ 200: N });
    for (const res of responses) expect(res.body).toEqual(responses[0].body);
    const events = await readStream(system.dataSource.manager, id);
    expect(events.filter((e) => e.type === 'TalksStarted')).toHaveLength(1);
  });
});

describe('a claim that does not end in a success', () => {
  it('is released when the write is refused, so the key works once the cause is put right', async () => {
    const { id, version } = await officer.register();
    const key = `release-${id}`;
    const body = { visitDate: lead().leadDate, summary: '走访' };
    // A stale If-Match (412), then a body the validation refuses (400): neither keeps the key.
    const stale = await officer.write(`/api/projects/${id}/visits`, body, { key, version: version + 5 });
    expect(stale.status).toBe(412);
    const invalid = await officer.write(
      `/api/projects/${id}/visits`,
      { ...body, extra: 1 },
      { key, version },
    );
    expect(invalid.status).toBe(400);
    const done = await officer.write(`/api/projects/${id}/visits`, body, { key, version });
    expect(done.status).toBe(200);
    expect(done.headers['idempotent-replayed']).toBeUndefined();
    const again = await officer.write(`/api/projects/${id}/visits`, body, { key, version });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const events = await readStream(system.dataSource.manager, id);
    expect(events.filter((e) => e.type === 'ServiceVisitLogged')).toHaveLength(1);
  });

  it('answers a repeat of a request still running with 409 and Retry-After after a short wait', async () => {
    const key = `in-progress-${Date.now()}`;
    const body = lead({ name: `进行中-${key}` });
    // A claim held by a request that is still running elsewhere.
    await system.dataSource.query(
      `INSERT INTO idempotent_responses (actor_id, key, request_hash, state, claim_token, claimed_at)
       VALUES ($1, $2, $3, 'pending', gen_random_uuid(), now())`,
      [officer.caller.sub, key, requestHash('POST', '/api/projects', body)],
    );
    const started = Date.now();
    const res = await officer.write('/api/projects', body, { key });
    expect(res.status).toBe(409);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors[0]).toMatchObject({ field: 'Idempotency-Key', rule: 'in_progress' });
    // A different request under that key is refused at once.
    const other = await officer.write('/api/projects', lead({ name: '别的项目' }), { key });
    expect(other.status).toBe(422);
    expect(await count(`SELECT count(*)::int AS n FROM projects WHERE name = $1`, [body.name])).toBe(0);
  });

  it('left by a crashed process is taken over by the same request once stale, and only by it', async () => {
    const key = `crashed-${Date.now()}`;
    const body = lead({ name: `崩溃后重试-${key}` });
    await system.dataSource.query(
      `INSERT INTO idempotent_responses (actor_id, key, request_hash, state, claim_token, claimed_at)
       VALUES ($1, $2, $3, 'pending', gen_random_uuid(), now() - interval '1 hour')`,
      [officer.caller.sub, key, requestHash('POST', '/api/projects', body)],
    );
    const other = await officer.write('/api/projects', lead({ name: '别的项目' }), { key });
    expect(other.status).toBe(422);
    const res = await officer.write('/api/projects', body, { key });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(body.name);
    const replay = await officer.write('/api/projects', body, { key });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.projectId).toBe(res.body.projectId);
  });
});
