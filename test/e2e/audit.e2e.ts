import { businessDateOf } from '../../libs/domain/src';
import type { Response } from 'supertest';
import { ApiClient, COUNTY, evidence, OTHER_REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(60_000);

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

interface HistoryEvent {
  version: number;
  type: string;
  businessTime: string;
  recordedAt: string;
  actorId: string;
  actorRole: string;
  commandId: string;
  hash: string;
  previousHash: string;
  data: Record<string, unknown>;
  brokenLink: { problem: string; version: number; expected?: string; found?: string } | null;
}

/** The events of a history page, with the page's total and the cursor of the next one. */
const pageOf = (res: Response) => ({
  events: res.body as HistoryEvent[],
  total: Number(res.headers['x-total-count']),
  next: res.headers['x-next-after-version'] as string | undefined,
});

describe('auditors over HTTP', () => {
  it('read the history, and the state as of a business date and as known at an instant', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-audit' });
    // An auditor from elsewhere reads everywhere.
    const auditor = new ApiClient(system, { role: 'auditor', regions: [OTHER_REGION], sub: 'auditor-1' });
    const { id } = await officer.register({ leadDate: '2025-01-10' });
    // Signed on 1 March, entered today: a backdated event.
    await officer.command(id, '/transitions', { ...evidence('signed'), contractDate: '2025-03-01' });
    // The timers may have recorded a stale-lead reminder in between: find the signing by its type.
    const signing = (
      (await auditor.get(`/api/projects/${id}/history`).expect(200)).body as HistoryEvent[]
    ).find((e) => e.type === 'ProjectSigned')!;
    await officer.command(id, '/corrections', {
      correctsVersion: signing.version,
      reason: '合同金额录入错误',
      changes: { eventType: 'ProjectSigned', contractInvestment: '180000000.00' },
    });

    const history = (await auditor.get(`/api/projects/${id}/history`).expect(200)).body as HistoryEvent[];
    const people = history.filter((e) => e.actorRole !== 'system');
    expect(people.map((e) => [e.type, e.actorId, e.actorRole])).toEqual([
      ['LeadRegistered', 'officer-audit', 'officer'],
      ['ProjectSigned', 'officer-audit', 'officer'],
      ['EventCorrected', 'officer-audit', 'officer'],
    ]);
    expect(history.map((e) => e.version)).toEqual(history.map((_, i) => i + 1));
    expect(people[1].businessTime.slice(0, 10)).toBe('2025-03-01');
    expect(people[1].recordedAt > '2025-03-02').toBe(true);
    expect(history.every((e, i) => i === 0 || e.previousHash === history[i - 1].hash)).toBe(true);
    expect(history.every((e) => /^[0-9a-f]{64}$/.test(e.hash) && e.commandId.length > 0)).toBe(true);
    const correction = people[2];

    const state = async (query: string) =>
      (await auditor.get(`/api/projects/${id}/state?${query}`).expect(200)).body as {
        eventsApplied: number;
        state: { exists: boolean; stage: string; contractInvestment: string | null };
      };
    // In effect on 1 February: a lead; on 1 March: signed, with the corrected amount.
    expect((await state('asOf=2025-02-01')).state).toMatchObject({ stage: 'lead', contractInvestment: null });
    expect((await state('asOf=2025-03-01')).state).toMatchObject({
      stage: 'signed',
      contractInvestment: '180000000.00',
    });
    // As the system knew it before the correction was recorded: the original amount.
    const beforeCorrection = new Date(Date.parse(correction.recordedAt) - 1).toISOString();
    expect((await state(`knownAt=${beforeCorrection}`)).state).toMatchObject({
      stage: 'signed',
      contractInvestment: '150000000.00',
    });
    // On 1 March, as known before the correction: the registration and the signing, and the stale-lead
    // reminder the timers told on its own day in between (closed by the signing), nothing else.
    const knownThen = history.filter(
      (e) => businessDateOf(e.businessTime) <= '2025-03-01' && e.recordedAt <= beforeCorrection,
    );
    expect(knownThen.filter((e) => e.actorRole !== 'system').map((e) => e.type)).toEqual([
      'LeadRegistered',
      'ProjectSigned',
    ]);
    expect((await state(`asOf=2025-03-01&knownAt=${beforeCorrection}`)).eventsApplied).toBe(knownThen.length);
    expect((await state('knownAt=2000-01-01T00:00:00Z')).state.exists).toBe(false);
    await auditor.get(`/api/projects/${id}/state?asOf=2025-02-30`).expect(400);
    await auditor.get(`/api/projects/${id}/state?knownAt=yesterday`).expect(400);

    // Every audit read is itself recorded.
    const reads = await system.dataSource.query<{ path: string }[]>(
      `SELECT path FROM audit_reads WHERE actor_id = 'auditor-1' ORDER BY id`,
    );
    expect(reads.length).toBeGreaterThanOrEqual(6);
    expect(reads[0].path).toBe(`/api/projects/${id}/history`);

    // Auditors write nowhere.
    await auditor
      .write(
        `/api/projects/${id}/visits`,
        { visitDate: '2025-03-02', summary: '走访' },
        { version: history.length },
      )
      .expect(403);
  });

  it('verifies the chains, and checks the history against an exported, signed checkpoint', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-audit-2' });
    const auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: 'auditor-2' });
    const admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-audit' });
    const id = await officer.projectAt('landed');

    const one = await auditor.get(`/api/audit/verify?projectId=${id}`).expect(200);
    // The landing carried one evidence file, re-hashed too.
    expect(one.body).toEqual({
      ok: true,
      projects: 1,
      events: 3,
      broken: [],
      files: { checked: 1, broken: [] },
    });
    const all = await auditor.get('/api/audit/verify').expect(200);
    expect(all.body.projects).toBeGreaterThanOrEqual(1);
    await officer.get('/api/audit/verify').expect(403);

    await auditor.write('/api/audit/checkpoints', undefined).expect(403);
    const taken = await admin.write('/api/audit/checkpoints', undefined).expect(201);
    const file = await auditor.get(`/api/audit/checkpoints/${taken.body.checkpointId}/digest`).expect(200);
    expect(file.headers['content-disposition']).toMatch(/checkpoint-\d+\.json/);
    expect(file.body.heads.find((h: { projectId: string }) => h.projectId === id)).toMatchObject({
      version: 3,
    });
    const key = await auditor.get('/api/audit/public-key').expect(200);
    expect(file.body.publicKey).toBe(key.body.publicKey);

    const verdict = await auditor.write('/api/audit/checkpoints/verify', file.body).expect(200);
    expect(verdict.body).toMatchObject({ ok: true, signatureValid: true, trustedKey: true, findings: [] });
    const forged = await auditor
      .write('/api/audit/checkpoints/verify', { ...file.body, merkleRoot: '0'.repeat(64) })
      .expect(200);
    expect(forged.body).toMatchObject({ ok: false, signatureValid: false });
    await auditor.write('/api/audit/checkpoints/verify', { ...file.body, heads: 'none' }).expect(400);
  });

  it('pages a history through its cursor, each page’s first link checked against the event before it', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-audit-3' });
    const auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: 'auditor-3' });
    const elsewhere = new ApiClient(system, {
      role: 'officer',
      regions: [OTHER_REGION],
      sub: 'officer-else',
    });
    const id = await officer.projectAt('signed');
    for (const summary of ['走访企业', '电话回访', '现场协调', '座谈']) {
      await officer.command(id, '/visits', { visitDate: today(), summary });
    }
    const whole = pageOf(await auditor.get(`/api/projects/${id}/history?limit=500`).expect(200));
    expect(whole.events.length).toBeGreaterThanOrEqual(6);
    expect(whole.total).toBe(whole.events.length);
    expect(whole.next).toBeUndefined();
    expect(whole.events.every((e) => e.brokenLink === null)).toBe(true);

    // Two at a time, following the cursor: every event once, in order, each page saying the total.
    const paged: HistoryEvent[] = [];
    let path: string | null = `/api/projects/${id}/history?limit=2`;
    while (path) {
      const page = pageOf(await auditor.get(path).expect(200));
      expect(page.events.length).toBeLessThanOrEqual(2);
      expect(page.total).toBe(whole.total);
      expect(page.events.every((e) => e.brokenLink === null)).toBe(true);
      paged.push(...page.events);
      path = page.next ? `/api/projects/${id}/history?limit=2&afterVersion=${page.next}` : null;
    }
    expect(paged.map((e) => e.version)).toEqual(whole.events.map((e) => e.version));
    expect(paged.map((e) => e.hash)).toEqual(whole.events.map((e) => e.hash));
    // A page past the end is empty, not an error.
    const past = pageOf(
      await auditor.get(`/api/projects/${id}/history?afterVersion=${whole.total + 10}`).expect(200),
    );
    expect(past).toEqual({ events: [], total: whole.total, next: undefined });
    // One type alone (the console's corrections): each still verified against the event before it.
    const visits = pageOf(
      await auditor.get(`/api/projects/${id}/history?type=ServiceVisitLogged&limit=3`).expect(200),
    );
    expect(visits.total).toBe(4);
    expect(visits.events.map((e) => [e.type, e.brokenLink])).toEqual(
      Array.from({ length: 3 }, () => ['ServiceVisitLogged', null]),
    );
    expect(visits.next).toBe(String(visits.events[2].version));

    // A link rewritten in the middle is named on the page it opens, though the page starts after it.
    const [{ version: rewritten }] = visits.events;
    const rewrite = async (summary: string) =>
      system.dataSource.transaction(async (m) => {
        await m.query(`ALTER TABLE events DISABLE TRIGGER USER`);
        await m.query(
          `UPDATE events SET data = jsonb_set(data, '{summary}', to_jsonb($3::text))
           WHERE project_id = $1 AND version = $2`,
          [id, rewritten, summary],
        );
        await m.query(`ALTER TABLE events ENABLE TRIGGER USER`);
      });
    const original = whole.events.find((e) => e.version === rewritten)!;
    await rewrite('改写');
    try {
      const [tampered] = pageOf(
        await auditor.get(`/api/projects/${id}/history?limit=1&afterVersion=${rewritten - 1}`).expect(200),
      ).events;
      expect(tampered.brokenLink).toMatchObject({
        problem: 'hash_mismatch',
        version: rewritten,
        expected: original.hash,
      });
      // The event after it still names the hash stored before it: that link holds.
      const [after] = pageOf(
        await auditor.get(`/api/projects/${id}/history?limit=1&afterVersion=${rewritten}`).expect(200),
      ).events;
      expect(after.brokenLink).toBeNull();
    } finally {
      // Other files verify every chain of this database.
      await rewrite(original.data.summary as string);
    }
    expect((await auditor.get(`/api/audit/verify?projectId=${id}`).expect(200)).body.ok).toBe(true);

    // The page read is logged as an audit read, with what it asked.
    const [read] = await system.dataSource.query<{ path: string }[]>(
      `SELECT path FROM audit_reads WHERE actor_id = 'auditor-3' AND path LIKE '%limit=2&afterVersion=%' LIMIT 1`,
    );
    expect(read.path).toContain(`/api/projects/${id}/history?limit=2&afterVersion=`);

    // Out of range or malformed: a 400 naming the parameter.
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['afterVersion=-1', 'afterVersion'],
      ['afterVersion=2147483648', 'afterVersion'],
      ['afterVersion=1.5', 'afterVersion'],
      ['type=Nothing', 'type'],
    ]) {
      const res = await auditor.get(`/api/projects/${id}/history?${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }

    // Another region's project: the same answer as the project itself gives them, paged or not.
    const project = await elsewhere.get(`/api/projects/${id}`);
    expect([403, 404]).toContain(project.status);
    await elsewhere.get(`/api/projects/${id}/history`).expect(project.status);
    await elsewhere.get(`/api/projects/${id}/history?limit=2&afterVersion=2`).expect(project.status);
  });
});
