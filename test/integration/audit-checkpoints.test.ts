import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createAuditCheckpointActivities } from '../../apps/worker/src/activities';
import { ensureAuditCheckpointSchedule } from '../../apps/worker/src/audit-checkpoints';
import { createProjectWorker } from '../../apps/worker/src/worker';
import { DEVELOPMENT_AUDIT_SIGNING_KEY } from '../../libs/config/src';
import { appendEvents, eventHash, GENESIS_HASH, readStream } from '../../libs/persistence/src';
import {
  listAuditAlerts,
  publicKeyOf,
  takeCheckpoint,
  verifyAgainstCheckpoint,
} from '../../libs/audit-integrity/src';
import {
  AUDIT_CHECKPOINT_SCHEDULE_ID,
  type AuditCheckpointResult,
} from '../../libs/workflow-interface/src/audit-checkpoint';
import { dropDatabase, freshDatabase } from '../support/portfolio';
import { workflowBundle } from '../support/system';

/** Checkpoints extend the heads signed before them, re-hash only what is new, and block a rewrite. */
let db: DataSource;
const KEY = DEVELOPMENT_AUDIT_SIGNING_KEY;

beforeAll(async () => {
  db = await freshDatabase();
}, 60_000);
afterAll(() => (db ? dropDatabase(db) : undefined));

/** Appends `n` one-event commands to a project (new when no id is given). */
async function append(n: number, projectId: string = randomUUID()): Promise<string> {
  const [{ version }] = await db.query<{ version: number }[]>(
    `SELECT COALESCE(MAX(version), 0)::int AS version FROM events WHERE project_id = $1`,
    [projectId],
  );
  for (let v = version + 1; v <= version + n; v++) {
    await db.transaction((manager) =>
      appendEvents(manager, {
        projectId,
        expectedVersion: v - 1,
        events: [
          {
            eventId: randomUUID(),
            type: 'ServiceVisitLogged',
            schemaVersion: 1,
            businessTime: '2025-03-01',
            data: { visitDate: '2025-03-01', summary: `走访 ${v}`, officerId: 'officer-1' },
          },
        ],
        actor: { id: 'officer-1', role: 'officer' },
        commandId: `c-${projectId}-${v}`,
        workflowId: `project-${projectId}`,
        runId: 'run-1',
        recordedAt: new Date(Date.UTC(2025, 2, 1, 2, v)),
      }),
    );
  }
  return projectId;
}

/** As the owner with the triggers off: changes one event's data and recomputes the whole chain. */
async function rewrite(projectId: string, version: number): Promise<void> {
  await db.transaction(async (m) => {
    await m.query(`ALTER TABLE events DISABLE TRIGGER USER`);
    await m.query(
      `UPDATE events SET data = jsonb_set(data, '{summary}', '"改写"') WHERE project_id = $1 AND version = $2`,
      [projectId, version],
    );
    let previous = GENESIS_HASH;
    for (const e of await readStream(m, projectId)) {
      const { globalPosition: _p, hash: _h, ...fields } = e;
      const hash = eventHash({ ...fields, previousHash: previous });
      await m.query(
        `UPDATE events SET previous_hash = $3, hash = $4 WHERE project_id = $1 AND version = $2`,
        [projectId, e.version, previous, hash],
      );
      previous = hash;
    }
    await m.query(`UPDATE event_streams SET head_hash = $2 WHERE project_id = $1`, [projectId, previous]);
    await m.query(`ALTER TABLE events ENABLE TRIGGER USER`);
  });
}

describe('incremental audit checkpoints', () => {
  it('re-hashes only the events after the last checkpointed heads, and blocks a chain rewritten under them', async () => {
    const [a, b, c] = [await append(5), await append(5), await append(5)];
    const first = await takeCheckpoint(db, KEY);
    expect(first).toMatchObject({ basedOn: null, eventsHashed: 15, blocked: [] });
    expect(first.digest).toMatchObject({ projects: 3, events: 15 });

    // Two events more on one chain and a new chain of three: the next checkpoint hashes the three
    // heads it extends, the two new events and the new chain, not the fifteen it already signed.
    await append(2, a);
    const d = await append(3);
    const second = await takeCheckpoint(db, KEY);
    expect(second).toMatchObject({
      basedOn: first.digest.checkpointId,
      eventsHashed: 3 + 2 + 3,
      blocked: [],
    });
    expect(second.digest).toMatchObject({ projects: 4, events: 20 });

    // The owner rewrites event 2 of b and recomputes its chain: verify alone would pass it.
    await rewrite(b, 2);
    await append(1, c);
    const third = await takeCheckpoint(db, KEY);
    expect(third.blocked).toEqual([
      expect.objectContaining({ projectId: b, version: 2, problem: 'rewritten_before_checkpoint' }),
    ]);
    // The others are signed; b keeps the head signed before, which the rewritten chain does not reach.
    const headOf = (digest: typeof third.digest, id: string) => digest.heads.find((h) => h.projectId === id);
    expect(headOf(third.digest, c)?.version).toBe(6);
    expect(headOf(third.digest, d)?.version).toBe(3);
    expect(headOf(third.digest, b)).toEqual(headOf(second.digest, b));
    const [stored] = await db.query<{ blocked: unknown[] }[]>(
      `SELECT blocked FROM audit_checkpoints WHERE id = $1`,
      [third.digest.checkpointId],
    );
    expect(stored.blocked).toEqual([expect.objectContaining({ projectId: b, version: 2 })]);

    // Raised to auditors, once however many checkpoints find it.
    await takeCheckpoint(db, KEY);
    const alerts = (await listAuditAlerts(db.manager)).filter((x) => x.kind === 'chain_blocked');
    expect(alerts).toEqual([
      expect.objectContaining({ projectId: b, version: 2, problem: 'rewritten_before_checkpoint' }),
    ]);

    // A kept digest checked against the rewritten chain names the event that changed, not the head.
    const verdict = await verifyAgainstCheckpoint(db.manager, first.digest, publicKeyOf(KEY));
    expect(verdict.ok).toBe(false);
    expect(verdict.findings).toEqual([
      expect.objectContaining({ projectId: b, version: 2, problem: 'rewritten_before_checkpoint' }),
    ]);
  });

  it('ignores, and reports, a stored checkpoint this key did not sign', async () => {
    const other = await freshDatabase();
    try {
      const projectId = randomUUID();
      await other.query(
        `INSERT INTO audit_checkpoints (id, created_at, projects, events, merkle_root, digest)
         VALUES (1, now(), 1, 1, $1, $2::jsonb)`,
        [
          '0'.repeat(64),
          JSON.stringify({
            heads: [{ projectId, version: 1, headHash: '0'.repeat(64) }],
            publicKey: 'x',
            signature: 'y',
          }),
        ],
      );
      await other.query(`SELECT setval(pg_get_serial_sequence('audit_checkpoints', 'id'), 1)`);
      const outcome = await takeCheckpoint(other, KEY);
      expect(outcome).toMatchObject({ basedOn: null, blocked: [] });
      expect(await listAuditAlerts(other.manager)).toEqual([
        expect.objectContaining({ kind: 'checkpoint_forged', problem: 'signature_invalid' }),
      ]);
    } finally {
      await dropDatabase(other);
    }
  });
});

describe('the audit-checkpoint schedule', () => {
  it('is created once however often workers start, and its run takes a checkpoint', async () => {
    const taskQueue = `checkpoints-${randomUUID()}`;
    const connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    const client = new Client({ connection });
    const native = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    const worker: Worker = await createProjectWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      dataSource: db,
      activities: createAuditCheckpointActivities(db, KEY),
      workflowBundle: await workflowBundle(),
    });
    const running = worker.run();
    const settings = { AUDIT_CHECKPOINT_INTERVAL_MINUTES: 60, TEMPORAL_TASK_QUEUE: taskQueue };
    try {
      expect(await ensureAuditCheckpointSchedule(client, settings)).toBe('created');
      expect(await ensureAuditCheckpointSchedule(client, settings)).toBe('updated');
      const schedule = client.schedule.getHandle(AUDIT_CHECKPOINT_SCHEDULE_ID);
      const described = await schedule.describe();
      expect(described.policies.overlap).toBe('SKIP');
      expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 3_600_000 })]);

      await append(2);
      await schedule.trigger();
      let workflowId: string | undefined;
      for (let i = 0; i < 100 && !workflowId; i++) {
        const action = (await schedule.describe()).info.recentActions[0];
        workflowId = action?.action.workflow.workflowId;
        if (!workflowId) await new Promise((r) => setTimeout(r, 100));
      }
      const result = (await client.workflow.getHandle(workflowId!).result()) as AuditCheckpointResult;
      expect(result).toMatchObject({
        blocked: [expect.objectContaining({ problem: 'rewritten_before_checkpoint' })],
      });
      expect(result.eventsHashed).toBeLessThan(10);
      const [{ latest }] = await db.query<{ latest: string }[]>(
        `SELECT max(id) AS latest FROM audit_checkpoints`,
      );
      expect(Number(latest)).toBe(result.checkpointId);

      expect(
        await ensureAuditCheckpointSchedule(client, { ...settings, AUDIT_CHECKPOINT_INTERVAL_MINUTES: 0 }),
      ).toBe('paused');
      expect((await schedule.describe()).state.paused).toBe(true);
    } finally {
      await client.schedule
        .getHandle(AUDIT_CHECKPOINT_SCHEDULE_ID)
        .delete()
        .catch(() => undefined);
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
    }
  }, 120_000);
});
