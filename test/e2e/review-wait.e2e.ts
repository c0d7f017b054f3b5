import { ApiClient, REGION } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let leader: ApiClient;
beforeAll(async () => {
  // The request waits no time at all: every review is still running when the answer goes. The
  // quarter predates every project, so the review opens no 督办 item another test could meet.
  process.env.REVIEW_WAIT_MS = '0';
  system = await startSystem();
  leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-review-wait' });
}, 120_000);
afterAll(async () => {
  delete process.env.REVIEW_WAIT_MS;
  await system?.stop();
}, 60_000);

it('answers 202 with Location while a review runs on, replays that answer for the same key, and the report is there once stored', async () => {
  const key = 'review-wait-2000Q1';
  const res = await leader.write('/api/reviews', { quarter: '2000Q1' }, { key });
  expect(res.status).toBe(202);
  expect(res.headers.location).toBe('/api/reviews/2000Q1');
  expect(res.body).toMatchObject({ quarter: '2000Q1', status: 'running' });
  // The same request again is the first answer replayed: its 202 and Location with it.
  const replayed = await leader.write('/api/reviews', { quarter: '2000Q1' }, { key });
  expect({
    status: replayed.status,
    location: replayed.headers.location,
    replayed: replayed.headers['idempotent-replayed'],
    body: replayed.body,
  }).toEqual({ status: 202, location: '/api/reviews/2000Q1', replayed: 'true', body: res.body });
  for (let i = 0; i < 50; i++) {
    const stored = await leader.get('/api/reviews/2000Q1');
    if (stored.status === 200) {
      expect(stored.body.quarter).toBe('2000Q1');
      return;
    }
    expect(stored.status).toBe(404);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the review was never stored');
}, 60_000);
