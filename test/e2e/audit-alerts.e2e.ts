import { eventHash, GENESIS_HASH, readStream } from '../../libs/persistence/src';
import { ApiClient, COUNTY } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(60_000);

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

describe('alerts to auditors', () => {
  it('shows auditors a chain rewritten under a signed checkpoint, and keeps it from the next one', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-alerts' });
    const auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: 'auditor-alerts' });
    const admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-alerts' });
    const { id } = await officer.register();
    await admin.write('/api/audit/checkpoints', undefined).expect(201);

    // The owner rewrites the registration and recomputes the chain (the app role could not).
    const original = await readStream(system.dataSource.manager, id);
    await system.dataSource.transaction(async (m) => {
      await m.query(`ALTER TABLE events DISABLE TRIGGER USER`);
      await m.query(
        `UPDATE events SET data = jsonb_set(data, '{name}', '"改写"') WHERE project_id = $1 AND version = 1`,
        [id],
      );
      let previous = GENESIS_HASH;
      for (const e of await readStream(m, id)) {
        const { globalPosition: _p, hash: _h, ...fields } = e;
        const hash = eventHash({ ...fields, previousHash: previous });
        await m.query(
          `UPDATE events SET previous_hash = $3, hash = $4 WHERE project_id = $1 AND version = $2`,
          [id, e.version, previous, hash],
        );
        previous = hash;
      }
      await m.query(`UPDATE event_streams SET head_hash = $2 WHERE project_id = $1`, [id, previous]);
      await m.query(`ALTER TABLE events ENABLE TRIGGER USER`);
    });
    await admin.write('/api/audit/checkpoints', undefined).expect(201);

    await officer.get('/api/audit/alerts').expect(403);
    const alerts = await auditor.get('/api/audit/alerts').expect(200);
    expect(alerts.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'chain_blocked',
          projectId: id,
          version: 1,
          problem: 'rewritten_before_checkpoint',
        }),
      ]),
    );

    // Put the history back: the suite's other files verify every chain of this database.
    await system.dataSource.transaction(async (m) => {
      await m.query(`ALTER TABLE events DISABLE TRIGGER USER`);
      for (const e of original) {
        await m.query(
          `UPDATE events SET data = $3::jsonb, previous_hash = $4, hash = $5 WHERE project_id = $1 AND version = $2`,
          [id, e.version, JSON.stringify(e.data), e.previousHash, e.hash],
        );
      }
      await m.query(`UPDATE event_streams SET head_hash = $2 WHERE project_id = $1`, [
        id,
        original.at(-1)!.hash,
      ]);
      await m.query(`ALTER TABLE events ENABLE TRIGGER USER`);
    });
    const verified = await auditor.get(`/api/audit/verify?projectId=${id}`).expect(200);
    expect(verified.body.ok).toBe(true);
    const next = await admin.write('/api/audit/checkpoints', undefined).expect(201);
    expect(next.body.heads).toEqual(expect.arrayContaining([expect.objectContaining({ projectId: id })]));
  });
});
