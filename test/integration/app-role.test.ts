import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendEvents, createDataSource, readStream } from '../../libs/persistence/src';
import { verifyChains } from '../../libs/audit-integrity/src';

/** The credentials the API and the worker hold can add to history and read it, never rewrite it. */
let app: DataSource;
let owner: DataSource;
const projectId = randomUUID();

beforeAll(async () => {
  expect(process.env.TEST_DATABASE_APP_URL).toBeDefined();
  app = createDataSource(process.env.TEST_DATABASE_APP_URL!);
  owner = createDataSource(process.env.TEST_DATABASE_URL!);
  await Promise.all([app.initialize(), owner.initialize()]);
}, 60_000);
afterAll(async () => {
  await app?.destroy();
  await owner?.destroy();
});

describe('the app role', () => {
  it('is a login member of lifecycle_app, neither owner nor superuser', async () => {
    const [me] = await app.query<{ user: string; superuser: boolean; member: boolean; owns: boolean }[]>(
      `SELECT current_user AS user, rolsuper AS superuser,
              pg_has_role(current_user, 'lifecycle_app', 'MEMBER') AS member,
              pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE tablename = 'events'), 'MEMBER') AS owns
       FROM pg_roles WHERE rolname = current_user`,
    );
    expect(me).toEqual({ user: 'lifecycle_app_test', superuser: false, member: true, owns: false });
  });

  it('appends through the event store and reads the stream back', async () => {
    const result = await app.transaction((manager) =>
      appendEvents(manager, {
        projectId,
        expectedVersion: 0,
        events: [
          {
            eventId: randomUUID(),
            type: 'ServiceVisitLogged',
            schemaVersion: 1,
            businessTime: '2025-03-01',
            data: { visitDate: '2025-03-01', summary: '走访', officerId: 'officer-1' },
          },
        ],
        actor: { id: 'officer-1', role: 'officer' },
        commandId: `c-${projectId}`,
        workflowId: `project-${projectId}`,
        runId: 'run-1',
        recordedAt: new Date(),
      }),
    );
    expect(result).toMatchObject({ fromVersion: 1, toVersion: 1, duplicate: false });
    expect((await readStream(app.manager, projectId)).map((e) => e.version)).toEqual([1]);
    expect((await verifyChains(app.manager, { projectId })).ok).toBe(true);
  });

  it.each([
    ['ALTER TABLE events DISABLE TRIGGER ALL', /must be owner/],
    ['ALTER TABLE events DISABLE TRIGGER USER', /must be owner/],
    [`UPDATE events SET data = '{}'::jsonb WHERE project_id = '${projectId}'`, /permission denied/],
    [`DELETE FROM events WHERE project_id = '${projectId}'`, /permission denied/],
    ['TRUNCATE events', /permission denied/],
    ['DROP TABLE events', /must be owner/],
    [`UPDATE audit_checkpoints SET merkle_root = merkle_root`, /permission denied/],
    [`DELETE FROM audit_checkpoints`, /permission denied/],
    [`DELETE FROM review_reports`, /permission denied/],
    [`DELETE FROM migrations`, /permission denied/],
  ])('refuses %s', async (sql, reason) => {
    await expect(app.query(sql)).rejects.toThrow(reason);
    // Refused by the grants, before any trigger: the event is still there, unchanged.
    expect((await readStream(owner.manager, projectId)).map((e) => e.version)).toEqual([1]);
  });

  it('may still change the rows the application keeps up to date', async () => {
    await app.transaction(async (m) => {
      await m.query(`UPDATE event_streams SET version = version WHERE project_id = $1`, [projectId]);
      await m.query(`SELECT id FROM outbox FOR UPDATE SKIP LOCKED LIMIT 1`);
      await m.query(`DELETE FROM alert_acknowledgements WHERE false`);
    });
  });
});
