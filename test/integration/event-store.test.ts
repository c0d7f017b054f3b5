import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  appendEvents,
  createDataSource,
  eventHash,
  GENESIS_HASH,
  LOG_START,
  readAll,
  readStream,
  StreamVersionConflict,
  type AppendRequest,
} from '@app/persistence';

let ds: DataSource;
beforeAll(async () => {
  ds = createDataSource(process.env.TEST_DATABASE_URL!);
  await ds.initialize();
});
afterAll(() => ds.destroy());

function request(projectId: string, expectedVersion: number, n = 1): AppendRequest {
  return {
    projectId,
    expectedVersion,
    events: Array.from({ length: n }, (_, i) => ({
      eventId: randomUUID(),
      type: 'ServiceVisitLogged',
      schemaVersion: 1,
      businessTime: '2025-03-01',
      data: { note: `visit ${expectedVersion + i + 1}`, amount: '100.10' },
    })),
    actor: { id: 'officer-1', role: 'officer' },
    commandId: randomUUID(),
    workflowId: `project-${projectId}`,
    runId: 'run-1',
    recordedAt: new Date('2025-03-02T01:02:03.456Z'),
  };
}

describe('event store', () => {
  it('appends contiguous versions with a hash chain that recomputes from the stored rows', async () => {
    const id = `p-${randomUUID()}`;
    await ds.transaction((m) => appendEvents(m, request(id, 0, 2)));
    await ds.transaction((m) => appendEvents(m, request(id, 2, 1)));
    const events = await readStream(ds.manager, id);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3]);
    let previous = GENESIS_HASH;
    for (const e of events) {
      const { globalPosition: _p, hash, ...fields } = e;
      expect(fields.previousHash).toBe(previous);
      expect(eventHash(fields)).toBe(hash);
      previous = hash;
    }
    expect(events[0].recordedAt).toBe('2025-03-02T01:02:03.456Z');
  });

  it('writes nothing when the same append is retried', async () => {
    const id = `p-${randomUUID()}`;
    const req = request(id, 0, 2);
    const first = await ds.transaction((m) => appendEvents(m, req));
    const again = await ds.transaction((m) => appendEvents(m, req));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await readStream(ds.manager, id)).toHaveLength(2);
  });

  it('refuses an append that does not follow the stream head', async () => {
    const id = `p-${randomUUID()}`;
    await ds.transaction((m) => appendEvents(m, request(id, 0)));
    await expect(ds.transaction((m) => appendEvents(m, request(id, 0)))).rejects.toBeInstanceOf(
      StreamVersionConflict,
    );
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the events table', async () => {
    const id = `p-${randomUUID()}`;
    await ds.transaction((m) => appendEvents(m, request(id, 0)));
    await expect(ds.query(`UPDATE events SET data = '{}' WHERE project_id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query(`DELETE FROM events WHERE project_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE events`)).rejects.toThrow();
    await expect(ds.query(`TRUNCATE events CASCADE`)).rejects.toThrow(/append-only/);
    expect(await readStream(ds.manager, id)).toHaveLength(1);
  });

  it('never lets a global reader skip an event whose transaction commits late', async () => {
    const late = `p-${randomUUID()}`;
    const early = `p-${randomUUID()}`;
    const seen = new Set<string>();
    let checkpoint = LOG_START;
    const drain = async () => {
      for (;;) {
        const page = await readAll(ds.manager, checkpoint, 1000);
        page.events.forEach((e) => seen.add(e.eventId));
        checkpoint = page.checkpoint;
        if (page.events.length === 0) return;
      }
    };
    await drain();
    // The late transaction takes its position first and commits last.
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const lateReq = request(late, 0);
    await appendEvents(runner.manager, lateReq);
    const earlyReq = request(early, 0);
    await ds.transaction((m) => appendEvents(m, earlyReq));
    await drain();
    expect(seen.has(earlyReq.events[0].eventId)).toBe(false); // held back behind the open transaction
    await runner.commitTransaction();
    await runner.release();
    await drain();
    expect(seen.has(lateReq.events[0].eventId)).toBe(true);
    expect(seen.has(earlyReq.events[0].eventId)).toBe(true);
  });
});
