import { ApiClient, COUNTY, lead, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

/** The headers a handler's answer carries, as the client receives them, first and on a replay. */
let system: TestSystem;
let officer: ApiClient;
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-headers' });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

describe('response headers', () => {
  it("carry a registration's ETag and Location, and its replay repeats them with Idempotent-Replayed", async () => {
    const key = `lead-headers-${Date.now()}`;
    const body = lead();
    const first = await officer.write('/api/projects', body, { key }).expect(201);
    expect(first.headers.etag).toBe('"v1"');
    expect(first.headers.location).toBe(`/api/projects/${first.body.projectId}`);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The body is the view alone, never the headers it travelled with.
    expect(first.body).not.toHaveProperty('headers');
    expect(first.body).toMatchObject({ projectId: first.body.projectId, revision: 1 });

    const replay = await officer.write('/api/projects', body, { key }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers.etag).toBe(first.headers.etag);
    expect(replay.headers.location).toBe(first.headers.location);
    expect(replay.body).toEqual(first.body);
  });

  it("carry a command's ETag and Server-Timing; a replay repeats the ETag and not the timing", async () => {
    const { id, version } = await officer.register();
    const send = () =>
      officer.write(
        `/api/projects/${id}/visits`,
        { visitDate: today(), summary: '走访' },
        { version, key: `visit-headers-${id}` },
      );
    const first = await send().expect(200);
    expect(first.headers.etag).toBe(`"v${first.body.project.revision}"`);
    expect(first.headers['server-timing']).toMatch(
      /^update;dur=\d+\.\d\d, append;dur=\d+\.\d\d, commit;dur=\d+\.\d\d$/,
    );
    expect(Object.keys(first.body).sort()).toEqual(['events', 'project']);

    const replay = await send().expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers.etag).toBe(first.headers.etag);
    expect(replay.headers['server-timing']).toBeUndefined();
    expect(replay.body).toEqual(first.body);

    // The detail's ETag comes from the revision it shows.
    const read = await officer.get(`/api/projects/${id}`).expect(200);
    expect(read.headers.etag).toBe(`"v${read.body.revision}"`);
    expect(read.headers.etag).toBe(first.headers.etag);
  });

  it("carry the policy's version as its ETag", async () => {
    const res = await officer.get('/api/policy').expect(200);
    expect(res.headers.etag).toBe(`"v${res.body.version}"`);
    expect(res.body).toHaveProperty('policy');
    expect(res.body).not.toHaveProperty('headers');
  });
});
