import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEVELOPMENT_AUDIT_SIGNING_KEY } from '../../libs/config/src';
import { appendEvents, eventHash, GENESIS_HASH, readStream } from '../../libs/persistence/src';
import {
  createCheckpoint,
  publicKeyOf,
  takeCheckpoint,
  verifyAgainstCheckpoint,
  verifyChains,
  type CheckpointDigest,
} from '../../libs/audit-integrity/src';
import { dropDatabase, freshDatabase } from '../support/portfolio';

/** Tampering as the table's owner: each kind is found by verify or by the exported checkpoint, by name. */
let db: DataSource;
const TRUSTED = publicKeyOf(DEVELOPMENT_AUDIT_SIGNING_KEY);

beforeAll(async () => {
  db = await freshDatabase();
}, 60_000);
afterAll(() => (db ? dropDatabase(db) : undefined));

/** A project with `n` events, one command each. */
async function project(n: number): Promise<string> {
  const projectId = randomUUID();
  for (let v = 1; v <= n; v++) {
    await db.transaction((manager) =>
      appendEvents(manager, {
        projectId,
        expectedVersion: v - 1,
        events: [
          {
            eventId: randomUUID(),
            type: 'ServiceVisitLogged',
            schemaVersion: 1,
            businessTime: `2025-03-0${v}`,
            data: { visitDate: `2025-03-0${v}`, summary: `走访 ${v}`, officerId: 'officer-1' },
          },
        ],
        actor: { id: 'officer-1', role: 'officer' },
        commandId: `c-${v}`,
        workflowId: `project-${projectId}`,
        runId: 'run-1',
        recordedAt: new Date(Date.UTC(2025, 2, v, 2)),
      }),
    );
  }
  return projectId;
}

/** Runs SQL as the owner with the append-only triggers switched off, as an insider could. */
async function asOwner(sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (m) => {
    await m.query(`ALTER TABLE events DISABLE TRIGGER USER`);
    await m.query(sql, params);
    await m.query(`ALTER TABLE events ENABLE TRIGGER USER`);
  });
}

/** Rewrites a chain's hashes from its (changed) content, and the stream head, so that verify passes. */
async function recomputeChain(projectId: string): Promise<void> {
  const events = await readStream(db.manager, projectId);
  let previous = GENESIS_HASH;
  for (const e of events) {
    const { globalPosition: _p, hash: _h, ...fields } = e;
    const hash = eventHash({ ...fields, previousHash: previous });
    await asOwner(`UPDATE events SET previous_hash = $3, hash = $4 WHERE project_id = $1 AND version = $2`, [
      projectId,
      e.version,
      previous,
      hash,
    ]);
    previous = hash;
  }
  await db.query(`UPDATE event_streams SET head_hash = $2 WHERE project_id = $1`, [projectId, previous]);
}

describe('integrity of the event log', () => {
  it('names the first broken link of every tampered chain, and the checkpoint catches a recomputed one', async () => {
    const [changed, deleted, reordered, rewritten, untouched] = [
      await project(4),
      await project(4),
      await project(4),
      await project(4),
      await project(3),
    ];
    expect((await verifyChains(db.manager)).ok).toBe(true);
    const digest = await createCheckpoint(db, DEVELOPMENT_AUDIT_SIGNING_KEY);
    expect(digest).toMatchObject({ projects: 5, events: 19, format: 'lifecycle-checkpoint/1' });
    expect((await verifyAgainstCheckpoint(db.manager, digest, TRUSTED)).ok).toBe(true);

    // The table refuses changes while its triggers stand.
    await expect(
      db.query(`UPDATE events SET data = '{}'::jsonb WHERE project_id = $1`, [changed]),
    ).rejects.toThrow();

    await asOwner(
      `UPDATE events SET data = jsonb_set(data, '{summary}', '"篡改"') WHERE project_id = $1 AND version = 2`,
      [changed],
    );
    await asOwner(`DELETE FROM events WHERE project_id = $1 AND version = 3`, [deleted]);
    await asOwner(`UPDATE events SET version = 99 WHERE project_id = $1 AND version = 2`, [reordered]);
    await asOwner(`UPDATE events SET version = 2 WHERE project_id = $1 AND version = 3`, [reordered]);
    await asOwner(`UPDATE events SET version = 3 WHERE project_id = $1 AND version = 99`, [reordered]);
    await asOwner(
      `UPDATE events SET data = jsonb_set(data, '{summary}', '"改写后的历史"') WHERE project_id = $1 AND version = 1`,
      [rewritten],
    );
    await recomputeChain(rewritten);

    const report = await verifyChains(db.manager);
    expect(report.ok).toBe(false);
    const byProject = Object.fromEntries(report.broken.map((b) => [b.projectId, b]));
    expect(byProject[changed]).toMatchObject({ version: 2, problem: 'hash_mismatch' });
    expect(byProject[deleted]).toMatchObject({ version: 4, problem: 'version_gap' });
    expect(byProject[reordered]).toMatchObject({ version: 2, problem: 'previous_hash_mismatch' });
    // Recomputed by the owner: every link holds, so verify alone cannot tell…
    expect(byProject[rewritten]).toBeUndefined();
    expect(byProject[untouched]).toBeUndefined();
    expect((await verifyChains(db.manager, { projectId: untouched })).ok).toBe(true);

    // …but the checkpoint the auditor kept outside the database can.
    const verdict = await verifyAgainstCheckpoint(db.manager, digest, TRUSTED);
    expect(verdict).toMatchObject({
      ok: false,
      signatureValid: true,
      trustedKey: true,
      merkleRootValid: true,
    });
    const found = Object.fromEntries(verdict.findings.map((f) => [f.projectId, f]));
    // Named at the first changed event, from the hashes kept when the checkpoint covered them.
    expect(found[rewritten]).toMatchObject({ version: 1, problem: 'rewritten_before_checkpoint' });
    expect(found[changed]).toMatchObject({ version: 2, problem: 'hash_mismatch' });
    expect(found[deleted]).toMatchObject({ problem: 'version_gap' });
    expect(found[untouched]).toBeUndefined();

    // The next checkpoint refuses to extend the rewritten chain: it carries the head it signed before.
    const next = await takeCheckpoint(db, DEVELOPMENT_AUDIT_SIGNING_KEY);
    expect(next.blocked).toEqual([
      expect.objectContaining({ projectId: rewritten, version: 1, problem: 'rewritten_before_checkpoint' }),
    ]);
    expect(next.digest.heads.find((h) => h.projectId === rewritten)).toEqual(
      digest.heads.find((h) => h.projectId === rewritten),
    );
  });

  it('refuses a digest whose signature, key or root does not hold', async () => {
    const other = await freshDatabase();
    try {
      const digest = await createCheckpoint(other, DEVELOPMENT_AUDIT_SIGNING_KEY);
      const forged: CheckpointDigest = { ...digest, events: digest.events + 1 };
      expect(await verifyAgainstCheckpoint(other.manager, forged, TRUSTED)).toMatchObject({
        ok: false,
        signatureValid: false,
      });
      expect(await verifyAgainstCheckpoint(other.manager, digest, 'c29tZSBvdGhlciBrZXk=')).toMatchObject({
        ok: false,
        signatureValid: true,
        trustedKey: false,
      });
    } finally {
      await dropDatabase(other);
    }
  });
});
