import { createHash, randomUUID } from 'node:crypto';
import { readStream } from '../../libs/persistence/src';
import { ApiClient, binaryBody, COUNTY, evidence, pdfBytes, PNG_BYTES, REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let officer: ApiClient;
let otherOfficer: ApiClient;
let leader: ApiClient;
let auditor: ApiClient;
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `officer-${randomUUID()}` });
  otherOfficer = new ApiClient(system, {
    role: 'officer',
    regions: [COUNTY],
    sub: `officer-${randomUUID()}`,
  });
  leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: `leader-${randomUUID()}` });
  auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: `auditor-${randomUUID()}` });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Sends a command at the project's current version and returns the response, whatever it is. */
async function attempt(client: ApiClient, id: string, path: string, body: unknown) {
  return client.write(`/api/projects/${id}${path}`, body, { version: await client.version(id) });
}

/** The four documents of 入统, uploaded by `client`, each under its slot. */
async function statisticsDocuments(client: ApiClient) {
  const slots = ['filing_document', 'construction_contract', 'site_photo', 'business_licence'] as const;
  return Promise.all(
    slots.map(async (slot) => ({
      slot,
      fileId: await client.upload(
        slot === 'site_photo' ? '现场照片.png' : `${slot}.pdf`,
        slot === 'site_photo' ? PNG_BYTES : pdfBytes(`${slot} ${randomUUID()}`),
      ),
    })),
  );
}

describe('evidence files on a project’s steps', () => {
  it('records each file’s hash in the event, lists it on the project and downloads it to its readers', async () => {
    const id = await officer.projectAt('signed');
    const bytes = pdfBytes(`出让合同 ${randomUUID()}`);
    const fileId = await officer.upload('国有建设用地使用权出让合同.pdf', bytes);
    await officer.command(id, '/transitions', {
      ...evidence('landed'),
      files: [{ fileId, slot: 'land_document' }],
    });

    const events = await readStream(system.dataSource.manager, id);
    const landed = events.find((e) => e.type === 'ProjectLanded')!;
    expect((landed.data as { files?: unknown }).files).toEqual([
      {
        fileId,
        slot: 'land_document',
        sha256: sha256(bytes),
        name: '国有建设用地使用权出让合同.pdf',
        mediaType: 'application/pdf',
        size: bytes.length,
        capturedAt: null,
        capturePlace: null,
      },
    ]);

    const page = await leader.get(`/api/projects/${id}`).expect(200);
    expect(page.body.files).toEqual([
      expect.objectContaining({
        fileId,
        slot: 'land_document',
        slotLabel: '土地出让合同或成交确认书',
        sha256: sha256(bytes),
        eventType: 'ProjectLanded',
        eventVersion: landed.version,
        contentUrl: `/api/files/${fileId}/content`,
      }),
    ]);
    expect(page.body.evidenceRequired).toEqual(
      expect.arrayContaining([
        {
          step: 'enter_statistics',
          stepLabel: '入统',
          documents: [
            { slots: ['filing_document'], label: '备案或核准文件' },
            { slots: ['construction_contract'], label: '施工合同' },
            { slots: ['site_photo'], label: '现场照片（带日期）' },
            { slots: ['business_licence'], label: '营业执照' },
          ],
        },
      ]),
    );

    // Cited by the project now: its readers may read it, as the uploader could before.
    const content = await leader
      .get(`/api/files/${fileId}/content`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(sha256(content.body as Buffer)).toBe(sha256(bytes));
  });

  it('refuses 入统 without its four documents, naming each one missing, and accepts it with them', async () => {
    const id = await officer.projectAt('started');
    const none = await attempt(officer, id, '/transitions', { ...evidence('in_stats'), files: [] });
    expect(none.status).toBe(422);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.body).toMatchObject({ code: 'EVIDENCE_MISSING', field: 'data.files' });
    expect(none.body.message.zh).toBe('缺少证明材料：备案或核准文件、施工合同、现场照片（带日期）、营业执照');

    const documents = await statisticsDocuments(officer);
    const three = await attempt(officer, id, '/transitions', {
      ...evidence('in_stats'),
      files: documents.filter((d) => d.slot !== 'construction_contract'),
    });
    expect(three.status).toBe(422);
    expect(three.body.message.zh).toBe('缺少证明材料：施工合同');
    expect(three.body.message.en).toBe('missing evidence: construction_contract');
    // Refused: nothing was recorded.
    expect((await officer.get(`/api/projects/${id}`).expect(200)).body.stage.code).toBe('started');

    await officer.command(id, '/transitions', { ...evidence('in_stats'), files: documents });
    const page = await officer.get(`/api/projects/${id}`).expect(200);
    expect(page.body.stage.code).toBe('in_stats');
    expect(page.body.files.map((f: { slot: string }) => f.slot)).toEqual(
      expect.arrayContaining(['filing_document', 'construction_contract', 'site_photo', 'business_licence']),
    );
  });

  it('does not let a leader’s extension waive the documents', async () => {
    const id = await officer.projectAt('started');
    const detail = await leader.get(`/api/projects/${id}`).expect(200);
    const deadline = (detail.body.deadlines as { id: string; step: string }[]).find(
      (d) => d.step === 'enter_statistics',
    );
    expect(deadline).toBeDefined();
    await leader.command(id, '/extensions', {
      deadlineId: deadline!.id,
      newDueDate: '2099-12-31',
      reason: '企业手续正在办理',
    });
    const refused = await attempt(officer, id, '/transitions', { ...evidence('in_stats'), files: [] });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('EVIDENCE_MISSING');
  });

  it('takes a start photo instead of the permit for 开工, and refuses a file someone else uploaded', async () => {
    const id = await officer.projectAt('landed');
    const photo = await otherOfficer.upload('桩基施工.png', PNG_BYTES);
    const foreign = await attempt(officer, id, '/transitions', {
      ...evidence('started'),
      files: [{ fileId: photo, slot: 'start_photo' }],
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'files[0].fileId' })]);

    const own = await officer.upload('桩基施工.png', PNG_BYTES);
    await officer.command(id, '/transitions', {
      ...evidence('started'),
      files: [{ fileId: own, slot: 'start_photo' }],
    });
    expect((await officer.get(`/api/projects/${id}`).expect(200)).body.stage.code).toBe('started');
  });

  it('refuses a slot that is not one, naming the field', async () => {
    const id = await officer.projectAt('signed');
    const fileId = await officer.upload('合同.pdf', pdfBytes(randomUUID()));
    const res = await attempt(officer, id, '/transitions', {
      ...evidence('landed'),
      files: [{ fileId, slot: 'selfie' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'files.0.slot' })]);
  });

  it('carries files on a visit and a fund arrival too', async () => {
    const id = await officer.projectAt('signed');
    const photo = await officer.upload('走访.png', PNG_BYTES);
    await officer.command(id, '/visits', {
      visitDate: today(),
      summary: '现场走访',
      files: [{ fileId: photo, slot: 'visit_photo' }],
    });
    const receipt = await officer.upload('到账凭证.pdf', pdfBytes(randomUUID()));
    await officer.command(id, '/funds', {
      month: today().slice(0, 7),
      amount: '1000000.00',
      files: [{ fileId: receipt, slot: 'funds_receipt' }],
    });
    const page = await officer.get(`/api/projects/${id}`).expect(200);
    expect(page.body.files.map((f: { eventType: string; slot: string }) => [f.eventType, f.slot])).toEqual([
      ['ServiceVisitLogged', 'visit_photo'],
      ['FundsArrivedRecorded', 'funds_receipt'],
    ]);
  });

  it('names in verification a file altered or deleted behind the engine’s back', async () => {
    const id = await officer.projectAt('signed');
    const bytes = pdfBytes(`租赁合同 ${randomUUID()}`);
    const fileId = await officer.upload('厂房租赁合同.pdf', bytes);
    await officer.command(id, '/transitions', {
      ...evidence('landed'),
      site: { kind: 'lease', leaseContractNumber: 'ZL-2025-01' },
      files: [{ fileId, slot: 'lease_contract' }],
    });
    const clean = await auditor.get(`/api/audit/verify?projectId=${id}`).expect(200);
    expect(clean.body).toMatchObject({ ok: true, files: { checked: 1, broken: [] } });

    const owner = system.dataSource;
    const [content] = await owner.query<{ chunks_id: string }[]>(
      `SELECT chunks_id FROM file_contents WHERE sha256 = $1`,
      [sha256(bytes)],
    );
    await owner.query(`UPDATE file_chunks SET bytes = $2 WHERE chunks_id = $1 AND seq = 0`, [
      content.chunks_id,
      Buffer.from('%PDF-1.4 forged'),
    ]);
    const altered = await auditor.get(`/api/audit/verify?projectId=${id}`).expect(200);
    expect(altered.body.ok).toBe(false);
    expect(altered.body.files.broken).toEqual([
      expect.objectContaining({
        projectId: id,
        fileId,
        name: '厂房租赁合同.pdf',
        problem: 'file_altered',
        expected: sha256(bytes),
        found: sha256(Buffer.from('%PDF-1.4 forged')),
      }),
    ]);

    await owner.query(`DELETE FROM file_chunks WHERE chunks_id = $1`, [content.chunks_id]);
    const missing = await auditor.get(`/api/audit/verify?projectId=${id}`).expect(200);
    expect(missing.body.files.broken).toEqual([expect.objectContaining({ fileId, problem: 'file_missing' })]);
  });
});
