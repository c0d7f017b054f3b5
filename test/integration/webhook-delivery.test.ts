import { randomUUID, timingSafeEqual } from 'node:crypto';
import { appendSystemEvents } from '../support/system-events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDataSource, enqueueAlerts } from '../../libs/persistence/src';
import {
  OutboxDispatcher,
  webhookSignature,
  type WebhookBody,
  type WebhookDeliveryOptions,
} from '../../libs/webhook-delivery/src';
import { startWebhookDelivery } from '../../apps/worker/src/webhook-delivery';
import { loadEnvironment } from '../../libs/config/src';
import type { ProjectEvent } from '../../libs/domain/src';
import { ApiClient, COUNTY, daysAgo, REGION } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(60_000);

const SECRET = 'webhook-secret-for-this-test';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: WebhookBody;
  answered: number;
}

/** A webhook endpoint on a free port that answers each request with what `answer` says. */
async function receiver(answer: (request: number) => number | Promise<number>) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry: Received = {
        headers: req.headers,
        raw,
        body: JSON.parse(raw.toString('utf8')),
        answered: 0,
      };
      received.push(entry);
      void Promise.resolve(answer(received.length)).then((status) => {
        entry.answered = status;
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'try later');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/alerts?token=abc`,
    received,
    accepted: () => received.filter((r) => r.answered < 300),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Fails the first request with 500 and accepts the rest. */
const failsFirst = (n: number) => (n === 1 ? 500 : 204);

interface OutboxRow {
  id: string;
  event_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  delivered_at: Date | null;
  delivered_to: string[];
}

async function outboxOf(projectIds: string[]): Promise<OutboxRow[]> {
  return system.dataSource.query<OutboxRow[]>(
    `SELECT id::text AS id, event_id, status, attempts, last_error, delivered_at, delivered_to
     FROM outbox WHERE project_id = ANY($1::text[]) ORDER BY id`,
    [projectIds],
  );
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Alerts recorded straight into a fresh project's history and queued, as the activity does. */
async function queuedAlerts(n: number): Promise<{ projectId: string; eventIds: string[] }> {
  const projectId = `p-${randomUUID()}`;
  const events = Array.from({ length: n }, (_, i) => {
    const event: ProjectEvent = {
      type: 'AlertRaised',
      schemaVersion: 1,
      businessTime: '2025-03-01',
      data: {
        deadlineId: `deadline-${i}`,
        rule: 'lead_follow_up',
        step: 'follow_up_lead',
        dueDate: '2025-03-01',
        rung: 1,
        addressee: { kind: 'service_officer', role: 'officer', label: '服务专员', region: COUNTY },
        light: 'yellow',
      },
    };
    return { eventId: randomUUID(), event };
  });
  await system.dataSource.transaction(async (m) => {
    await appendSystemEvents(m, projectId, events);
    await enqueueAlerts(m, projectId, events, new Date().toISOString());
  });
  return { projectId, eventIds: events.map((e) => e.eventId) };
}

const fast = (urls: string[], projectIds: string[]): WebhookDeliveryOptions => ({
  urls,
  secret: SECRET,
  projectIds,
  baseDelayMs: 5,
  maxDelayMs: 20,
  timeoutMs: 2000,
});

function verifies(r: Received): boolean {
  const expected = Buffer.from(webhookSignature(SECRET, r.raw));
  const given = Buffer.from(String(r.headers['x-signature-256']));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

describe('webhook delivery of the outbox', () => {
  it('delivers a real overdue alert, signed, and again with the same delivery id after a 500', async () => {
    const hook = await receiver(failsFirst);
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-webhook' });
    // A lead with no activity for 50 days is overdue at once: its reminder is queued with its events.
    const { id } = await officer.register({ leadDate: daysAgo(50) });
    const [queued] = await waitFor('the alert in the outbox', async () => {
      const rows = await outboxOf([id]);
      return rows.length > 0 ? rows : undefined;
    });

    // Started as the worker process starts it, from the environment.
    const logged: Record<string, unknown>[] = [];
    const env = loadEnvironment({ WEBHOOK_URLS: hook.url, WEBHOOK_SECRET: SECRET });
    const loop = startWebhookDelivery(
      system.dataSource,
      env,
      { projectIds: [id], baseDelayMs: 5, pollIntervalMs: 10 },
      (line) => logged.push(line),
    )!;
    try {
      await waitFor('the delivery', async () =>
        (await outboxOf([id])).every((r) => r.status === 'delivered') ? true : undefined,
      );
    } finally {
      await loop.stop();
    }

    expect(hook.received.map((r) => r.answered)).toEqual([500, 204]);
    const [first, second] = hook.received;
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['x-delivery-id']).toBe(queued.event_id);
    expect(second.headers['x-delivery-id']).toBe(queued.event_id);
    expect([first.headers['x-delivery-attempt'], second.headers['x-delivery-attempt']]).toEqual(['1', '2']);
    expect(hook.received.every(verifies)).toBe(true);
    expect(second.raw.equals(first.raw)).toBe(true);
    expect(second.body).toMatchObject({
      deliveryId: queued.event_id,
      eventId: queued.event_id,
      kind: 'alert',
      projectId: id,
      deadlineId: 'lead_follow_up',
      rung: 1,
      addressee: { kind: 'service_officer', id: 'officer-webhook' },
      event: { type: 'AlertRaised', data: { deadlineId: 'lead_follow_up' } },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const [row] = await outboxOf([id]);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'webhook deliveries', delivered: 1 }));
    expect(row.delivered_at).toBeInstanceOf(Date);
    await hook.close();
  });

  it('loses nothing when several rows are pending and two dispatchers share them', async () => {
    const hook = await receiver(failsFirst);
    const a = await queuedAlerts(4);
    const b = await queuedAlerts(3);
    const projects = [a.projectId, b.projectId];
    const options = { ...fast([hook.url], projects), batchSize: 2 };
    const dispatchers = [
      new OutboxDispatcher(system.dataSource, options),
      new OutboxDispatcher(system.dataSource, options),
    ];

    await waitFor('every row delivered', async () => {
      await Promise.all(dispatchers.map((d) => d.dispatchOnce()));
      return (await outboxOf(projects)).every((r) => r.status === 'delivered') ? true : undefined;
    });

    const rows = await outboxOf(projects);
    expect(rows.map((r) => r.event_id).sort()).toEqual([...a.eventIds, ...b.eventIds].sort());
    // The rows stay locked while a pass delivers them: each was accepted exactly once.
    const accepted = hook.accepted().map((r) => r.headers['x-delivery-id']);
    expect([...accepted].sort()).toEqual(rows.map((r) => r.event_id).sort());
    expect(rows.filter((r) => r.attempts === 2)).toHaveLength(1);
    expect(hook.received.every(verifies)).toBe(true);
    await hook.close();
  });

  it('keeps a row pending when the dispatcher dies mid-delivery, and sends it again', async () => {
    const doomed = createDataSource(process.env.TEST_DATABASE_URL!, { applicationName: 'webhook-doomed' });
    await doomed.initialize();
    // The endpoint accepts, but the dispatcher's connection is gone before it can record that.
    const hook = await receiver(async (n) => {
      if (n === 1) {
        await system.dataSource.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'webhook-doomed'`,
        );
      }
      return 200;
    });
    const { projectId, eventIds } = await queuedAlerts(1);
    await expect(
      new OutboxDispatcher(doomed, fast([hook.url], [projectId])).dispatchOnce(),
    ).rejects.toThrow();
    await doomed.destroy().catch(() => undefined);
    expect((await outboxOf([projectId]))[0]).toMatchObject({ status: 'pending', attempts: 0 });

    const healthy = new OutboxDispatcher(system.dataSource, fast([hook.url], [projectId]));
    expect(await healthy.dispatchOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    // At least once: the receiver has it twice, under one delivery id to dedupe on.
    expect(hook.received.map((r) => r.headers['x-delivery-id'])).toEqual([eventIds[0], eventIds[0]]);
    await hook.close();
  });

  it('sends a retry only to the endpoints that have not yet accepted it', async () => {
    const steady = await receiver(() => 200);
    const flaky = await receiver(failsFirst);
    const { projectId, eventIds } = await queuedAlerts(1);
    const dispatcher = new OutboxDispatcher(system.dataSource, fast([steady.url, flaky.url], [projectId]));

    expect(await dispatcher.dispatchOnce()).toEqual({ claimed: 1, delivered: 0, retrying: 1, dead: 0 });
    const [failed] = await outboxOf([projectId]);
    expect(failed.status).toBe('pending');
    expect(failed.delivered_to).toEqual([steady.url]);
    // The error names the endpoint without its query string, which may carry a token.
    expect(failed.last_error).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/alerts: HTTP 500 try later$/);

    await waitFor('the retry', async () =>
      (await dispatcher.dispatchOnce()).delivered === 1 ? true : undefined,
    );
    expect(steady.received).toHaveLength(1);
    expect(flaky.received.map((r) => r.headers['x-delivery-id'])).toEqual([eventIds[0], eventIds[0]]);
    expect((await outboxOf([projectId]))[0].delivered_to).toEqual([steady.url, flaky.url]);
    await Promise.all([steady.close(), flaky.close()]);
  });

  it('sets a delivery aside as dead after the last attempt, and delivers it once an admin retries', async () => {
    let down = true;
    const hook = await receiver(() => (down ? 503 : 200));
    const { projectId, eventIds } = await queuedAlerts(1);
    const dispatcher = new OutboxDispatcher(system.dataSource, {
      ...fast([hook.url], [projectId]),
      maxAttempts: 3,
    });

    await waitFor('the dead letter', async () => {
      await dispatcher.dispatchOnce();
      return (await outboxOf([projectId]))[0].status === 'dead' ? true : undefined;
    });
    const [dead] = await outboxOf([projectId]);
    expect(dead).toMatchObject({ attempts: 3, event_id: eventIds[0] });
    expect(dead.last_error).toContain('HTTP 503');
    expect(hook.received.map((r) => r.headers['x-delivery-attempt'])).toEqual(['1', '2', '3']);
    // A dead row is not claimed again.
    expect(await dispatcher.dispatchOnce()).toMatchObject({ claimed: 0 });

    const admin = new ApiClient(system, { role: 'admin', regions: [REGION], sub: 'admin-webhooks' });
    const auditor = new ApiClient(system, { role: 'auditor', regions: [REGION], sub: 'auditor-webhooks' });
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-webhooks' });

    const listed = await deadDeliveries(auditor);
    expect(listed.find((d) => d.id === dead.id)).toMatchObject({
      deliveryId: eventIds[0],
      kind: 'alert',
      projectId,
      status: 'dead',
      attempts: 3,
      lastError: expect.stringContaining('HTTP 503'),
    });
    await officer.get('/api/deliveries').expect(403);
    const badStatus = await auditor.get('/api/deliveries?status=lost').expect(400);
    expect(badStatus.headers['content-type']).toMatch(/application\/problem\+json/);
    await auditor.write(`/api/deliveries/${dead.id}/retry`, undefined).expect(403);

    const retried = await admin.write(`/api/deliveries/${dead.id}/retry`, undefined).expect(200);
    expect(retried.body).toMatchObject({ id: dead.id, status: 'pending', attempts: 0 });
    down = false;
    expect(await dispatcher.dispatchOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect((await outboxOf([projectId]))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(hook.accepted().map((r) => r.headers['x-delivery-attempt'])).toEqual(['1']);

    const conflict = await admin.write(`/api/deliveries/${eventIds[0]}/retry`, undefined).expect(409);
    expect(conflict.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(conflict.body).toMatchObject({ status: 409, type: expect.stringContaining('already-delivered') });
    const missing = await admin.write(`/api/deliveries/${randomUUID()}/retry`, undefined).expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    await admin.write('/api/deliveries/not-an-id/retry', undefined).expect(404);
    await hook.close();
  });
});

describe('what an append queues', () => {
  it('queues of one append only what stays open: each alert and its last rung, none that it resolves', async () => {
    const projectId = `p-${randomUUID()}`;
    const addressee = (rung: number) =>
      ({ kind: 'service_officer', role: 'officer', label: `第${rung}级`, region: COUNTY }) as const;
    const raised = (deadlineId: string, day: string): ProjectEvent => ({
      type: 'AlertRaised',
      schemaVersion: 1,
      businessTime: day,
      data: {
        deadlineId,
        rule: deadlineId,
        step: 'land',
        dueDate: day,
        rung: 1,
        addressee: addressee(1),
        light: 'yellow',
      },
    });
    const escalated = (deadlineId: string, rung: 2 | 3, day: string): ProjectEvent => ({
      type: 'AlertEscalated',
      schemaVersion: 1,
      businessTime: day,
      data: { deadlineId, fromRung: (rung - 1) as 1 | 2, rung, addressee: addressee(rung) },
    });
    const resolved = (deadlineId: string, day: string): ProjectEvent => ({
      type: 'AlertResolved',
      schemaVersion: 1,
      businessTime: day,
      data: { deadlineId, resolution: 'met', rung: 2 },
    });
    // A 2020 history imported in one append: the land alert climbed to rung 3 and is still open; the
    // start alert climbed to rung 2 and was met; the chief-officer alert was raised and stays open.
    const history: ProjectEvent[] = [
      raised('land_after_signing', '2020-04-11'),
      escalated('land_after_signing', 2, '2020-04-17'),
      raised('start_after_signing', '2020-05-11'),
      escalated('start_after_signing', 2, '2020-05-18'),
      resolved('start_after_signing', '2020-09-01'),
      escalated('land_after_signing', 3, '2020-04-30'),
      raised('assign_chief_officer', '2020-02-11'),
    ];
    const events = history.map((event) => ({ eventId: randomUUID(), event }));
    const queued = await system.dataSource.transaction(async (m) => {
      await appendSystemEvents(m, projectId, events);
      return enqueueAlerts(m, projectId, events, new Date().toISOString());
    });
    const rows = await system.dataSource.query<{ event_id: string; kind: string; rung: number }[]>(
      `SELECT event_id, kind, rung FROM outbox WHERE project_id = $1 ORDER BY deadline_id, id`,
      [projectId],
    );
    expect(queued).toBe(3);
    expect(rows).toEqual([
      { event_id: events[6].eventId, kind: 'alert', rung: 1 },
      { event_id: events[0].eventId, kind: 'alert', rung: 1 },
      { event_id: events[5].eventId, kind: 'escalation', rung: 3 },
    ]);
  });
});

/** Every dead delivery, page by page (other test files share the database). */
async function deadDeliveries(client: ApiClient): Promise<{ id: string; [k: string]: unknown }[]> {
  const all: { id: string }[] = [];
  let cursor: string | null = null;
  do {
    const res = await client
      .get(`/api/deliveries?status=dead&limit=50${cursor ? `&cursor=${cursor}` : ''}`)
      .expect(200);
    all.push(...(res.body.items as { id: string; status: string }[]));
    expect(res.body.items.every((d: { status: string }) => d.status === 'dead')).toBe(true);
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return all;
}
