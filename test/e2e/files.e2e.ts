import ExcelJS from 'exceljs';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import request from 'supertest';
import { ApiClient, binaryBody, COUNTY, OTHER_REGION } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';
import { FilesService } from '../../apps/api/src/files/files.service';
import { ProblemException } from '../../apps/api/src/common/problem-details';
import { FILE_CLEANUP_WORKFLOW_TYPE } from '../../libs/workflow-interface/src/file-cleanup';
import type { Actor } from '../../libs/domain/src';

jest.setTimeout(120_000);

/** Small limits, so that past them is cheap to send. */
const MAX_FILE_BYTES = 400_000;
const MAX_BYTES_PER_COMMAND = 500_000;

let system: TestSystem;
let officer: ApiClient;
let colleague: ApiClient;
let faraway: ApiClient;
let auditor: ApiClient;
beforeAll(async () => {
  process.env.FILE_MAX_BYTES = String(MAX_FILE_BYTES);
  process.env.FILE_MAX_BYTES_PER_COMMAND = String(MAX_BYTES_PER_COMMAND);
  system = await startSystem();
  const caller = (role: string, regions: string[], name: string) =>
    new ApiClient(system, { role, regions, sub: `${name}-files-${randomUUID()}` });
  officer = caller('officer', [COUNTY], 'officer');
  colleague = caller('officer', [COUNTY], 'colleague');
  faraway = caller('officer', [OTHER_REGION], 'faraway');
  auditor = caller('auditor', [], 'auditor');
}, 120_000);
afterAll(() => system?.stop(), 60_000);

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const actorOf = (client: ApiClient): Actor => ({
  id: client.caller.sub,
  role: client.caller.role as Actor['role'],
  regions: client.caller.regions,
});

/** A PDF no other test sends: a header, random bytes, an end. */
function pdf(bytes = 2000): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), randomBytes(bytes), Buffer.from('\n%%EOF\n')]);
}

function upload(
  client: ApiClient,
  content: Buffer,
  filename: string,
  contentType = 'application/octet-stream',
) {
  return request(system.app.getHttpServer())
    .post('/api/files')
    .set('Authorization', `Bearer ${client.token}`)
    .attach('file', content, { filename, contentType });
}

/** Rows anywhere that hold these bytes: uploads and contents by hash, chunks by a marker in them. */
async function storedCount(content: Buffer): Promise<{ uploads: number; contents: number; chunks: number }> {
  const [row] = await system.dataSource.query<{ uploads: number; contents: number; chunks: number }[]>(
    `SELECT (SELECT count(*)::int FROM uploaded_files WHERE sha256 = $1) AS uploads,
            (SELECT count(*)::int FROM file_contents WHERE sha256 = $1) AS contents,
            (SELECT count(*)::int FROM file_chunks WHERE position($2::bytea in bytes) > 0) AS chunks`,
    [sha256(content), content.subarray(9, 9 + 64)],
  );
  return row;
}

describe('POST /api/files', () => {
  it('stores the file and answers its id, hash, name (Chinese kept), sniffed type and size', async () => {
    const content = pdf();
    const name = '入统备案文件（2025）.pdf';
    const res = await upload(officer, content, name, 'image/png').expect(201);
    expect(res.body).toEqual({
      fileId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sha256: sha256(content),
      name,
      mediaType: 'application/pdf',
      size: content.length,
      capturedAt: null,
      capturePlace: null,
      uploadedAt: expect.any(String),
      referenced: false,
    });
    expect(res.headers.location).toBe(`/api/files/${res.body.fileId}`);

    const meta = await officer.get(`/api/files/${res.body.fileId}`).expect(200);
    expect(meta.body).toEqual(res.body);

    const download = await officer
      .get(`/api/files/${res.body.fileId}/content`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(Buffer.compare(download.body as Buffer, content)).toBe(0);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-length']).toBe(String(content.length));
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="_______2025_.pdf"; filename*=UTF-8''` +
        '%E5%85%A5%E7%BB%9F%E5%A4%87%E6%A1%88%E6%96%87%E4%BB%B6%EF%BC%882025%EF%BC%89.pdf',
    );
  });

  it('stores the same file uploaded twice once: two uploads, one content', async () => {
    const content = pdf(300_000);
    const first = await upload(officer, content, '施工合同.pdf').expect(201);
    const second = await upload(colleague, content, '合同扫描件.pdf').expect(201);
    expect(second.body.fileId).not.toBe(first.body.fileId);
    expect(second.body.sha256).toBe(first.body.sha256);
    expect(await storedCount(content)).toEqual({ uploads: 2, contents: 1, chunks: 1 });
  });

  it("reads a photo's EXIF capture date and GPS place", async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#6a8' } })
      .withExif({
        IFD0: { Make: 'Test' },
        IFD2: { DateTimeOriginal: '2025:04:18 09:30:15' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '30/1 41/1 5400/100',
          GPSLongitudeRef: 'E',
          GPSLongitude: '111/1 17/1 0/1',
        },
      })
      .jpeg()
      .toBuffer();
    const res = await upload(officer, photo, '开工现场.jpg', 'image/jpeg').expect(201);
    expect(res.body).toMatchObject({
      mediaType: 'image/jpeg',
      capturedAt: '2025-04-18T09:30:15',
      capturePlace: { latitude: 30.6983333, longitude: 111.2833333 },
    });
  });

  it('tells an Excel workbook from its parts, not from the name or type the client gives', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('资金到位').addRow(['到位资金', 1000]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(officer, xlsx, '资金到位凭证.pdf', 'application/pdf').expect(201);
    expect(res.body.mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('refuses a file past FILE_MAX_BYTES with 413 naming file and the limit, and stores nothing', async () => {
    const content = pdf(MAX_FILE_BYTES + 10_000);
    const res = await upload(officer, content, 'too-large.pdf').expect(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      { field: 'file', rule: 'maxSize', message: `file must be at most ${MAX_FILE_BYTES} bytes` },
    ]);
    expect(await storedCount(content)).toEqual({ uploads: 0, contents: 0, chunks: 0 });
  });

  it('refuses a body that declares itself far past the limit before storing any of it', async () => {
    const content = pdf(MAX_FILE_BYTES + 2 * 1024 * 1024);
    const res = await upload(officer, content, 'much-too-large.pdf').expect(413);
    expect(res.body.errors).toEqual([
      { field: 'file', rule: 'maxSize', message: `file must be at most ${MAX_FILE_BYTES} bytes` },
    ]);
    expect(await storedCount(content)).toEqual({ uploads: 0, contents: 0, chunks: 0 });
  });

  it('refuses content of a type not allowed with 415 naming file and the types allowed, whatever its name', async () => {
    const content = Buffer.concat([Buffer.from('MZ\x90\x00 not a pdf ', 'latin1'), randomBytes(200_000)]);
    const res = await upload(officer, content, '备案.pdf', 'application/pdf').expect(415);
    expect(res.body.errors).toEqual([
      { field: 'file', rule: 'mediaType', message: expect.stringContaining('application/pdf, image/jpeg') },
    ]);
    expect(await storedCount(content)).toEqual({ uploads: 0, contents: 0, chunks: 0 });
  });

  it('refuses a form without the file part with 400 naming file', async () => {
    const res = await request(system.app.getHttpServer())
      .post('/api/files')
      .set('Authorization', `Bearer ${officer.token}`)
      .field('note', 'no file here')
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'required' })]);
  });

  it('refuses a malformed form (no boundary, a body cut short) with 400 naming file', async () => {
    const noBoundary = await request(system.app.getHttpServer())
      .post('/api/files')
      .set('Authorization', `Bearer ${officer.token}`)
      .set('Content-Type', 'multipart/form-data')
      .send('--x\r\n')
      .expect(400);
    expect(noBoundary.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'multipart' })]);
    const marker = pdf();
    const cut = Buffer.concat([
      Buffer.from('--b0und\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'),
      marker,
    ]);
    const cutShort = await request(system.app.getHttpServer())
      .post('/api/files')
      .set('Authorization', `Bearer ${officer.token}`)
      .set('Content-Type', 'multipart/form-data; boundary=b0und')
      .send(cut)
      .expect(400);
    expect(cutShort.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'multipart' })]);
    expect(await storedCount(marker)).toEqual({ uploads: 0, contents: 0, chunks: 0 });
  });

  it('refuses a body that is not a form with 415 naming file', async () => {
    const res = await officer.write('/api/files', { file: 'JVBERi0=' }).expect(415);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'multipart' })]);
  });

  it('lets only the roles that record steps upload: an auditor is refused', async () => {
    const res = await upload(auditor, pdf(), 'a.pdf').expect(403);
    expect(res.body.code).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('reading files', () => {
  it("an unreferenced upload is its uploader's only: anyone else gets 404", async () => {
    const { body } = await upload(officer, pdf(), '营业执照.pdf').expect(201);
    for (const other of [colleague, faraway, auditor]) {
      await other.get(`/api/files/${body.fileId}`).expect(404);
      await other.get(`/api/files/${body.fileId}/content`).expect(404);
    }
    await officer.get(`/api/files/${randomUUID()}`).expect(404);
  });

  it("once a project cites it, the project's readers may read it, others not, and an auditor's read is logged", async () => {
    const { body } = await upload(officer, pdf(), '土地出让合同.pdf').expect(201);
    const project = await officer.register();
    await system.app.get(FilesService).markReferenced([body.fileId], project.id);
    await colleague.get(`/api/files/${body.fileId}`).expect(200);
    await faraway.get(`/api/files/${body.fileId}`).expect(404);
    const read = await auditor.get(`/api/files/${body.fileId}/content`).expect(200);
    expect(read.headers['content-type']).toBe('application/pdf');
    const logged = await system.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_reads WHERE actor_id = $1 AND path = $2`,
      [auditor.caller.sub, `/api/files/${body.fileId}/content`],
    );
    expect(logged[0].n).toBe(1);
    const meta = await officer.get(`/api/files/${body.fileId}`).expect(200);
    expect(meta.body.referenced).toBe(true);
  });

  it('gives a JPEG thumbnail of at most 320 pixels a side for an image, and 404 for a PDF', async () => {
    const png = await sharp({ create: { width: 1000, height: 800, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    const { body } = await upload(officer, png, '现场.png').expect(201);
    expect(body.mediaType).toBe('image/png');
    const thumb = await officer
      .get(`/api/files/${body.fileId}/thumbnail`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(thumb.body as Buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 256]);
    const doc = await upload(officer, pdf(), 'a.pdf').expect(201);
    const none = await officer.get(`/api/files/${doc.body.fileId}/thumbnail`).expect(404);
    expect(none.body.code).toBe('THUMBNAIL_NOT_AVAILABLE');
  });
});

describe("content lost behind the engine's back", () => {
  it('is a 422 for its thumbnail and a problem, not a short file, for its content', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#39c' } })
      .png()
      .toBuffer();
    const { body } = await upload(officer, png, 'lost.png').expect(201);
    await system.dataSource.query(
      `DELETE FROM file_chunks WHERE chunks_id = (SELECT chunks_id FROM file_contents WHERE sha256 = $1)`,
      [body.sha256],
    );
    const thumb = await officer.get(`/api/files/${body.fileId}/thumbnail`).expect(422);
    expect(thumb.body.code).toBe('IMAGE_UNREADABLE');
    const content = await officer.get(`/api/files/${body.fileId}/content`).expect(500);
    expect(content.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(content.body.code).toBe('FILE_CONTENT_UNREADABLE');
  });
});

describe('FilesService.evidenceFor', () => {
  it("gives each referenced file's hash, name, type, size and capture for the event", async () => {
    const content = pdf();
    const { body } = await upload(officer, content, '备案.pdf').expect(201);
    const files = await system.app
      .get(FilesService)
      .evidenceFor([{ fileId: body.fileId, slot: 'filing_document' }], actorOf(officer));
    expect(files).toEqual([
      {
        fileId: body.fileId,
        slot: 'filing_document',
        sha256: sha256(content),
        name: '备案.pdf',
        mediaType: 'application/pdf',
        size: content.length,
        capturedAt: null,
        capturePlace: null,
      },
    ]);
  });

  it("refuses another's unreferenced file, an unknown one, a malformed id and a file named twice, each by index", async () => {
    const own = await upload(officer, pdf(), 'own.pdf').expect(201);
    const others = await upload(colleague, pdf(), 'others.pdf').expect(201);
    const refused = await system.app
      .get(FilesService)
      .evidenceFor(
        [
          { fileId: own.body.fileId, slot: 'filing_document' },
          { fileId: others.body.fileId, slot: 'construction_contract' },
          { fileId: own.body.fileId, slot: 'site_photo' },
          { fileId: randomUUID(), slot: 'business_licence' },
          { fileId: 'not-a-uuid', slot: 'other' },
        ],
        actorOf(officer),
      )
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemException);
    const problem = (refused as ProblemException).problem;
    expect(problem.status).toBe(422);
    expect(problem.errors?.map((e) => [e.field, e.rule]).sort()).toEqual([
      ['files[1].fileId', 'attachable'],
      ['files[2].fileId', 'unique'],
      ['files[3].fileId', 'attachable'],
      ['files[4].fileId', 'isUuid'],
    ]);
  });

  it("accepts a colleague's file once it is on a project the actor may read", async () => {
    const { body } = await upload(colleague, pdf(), 'shared.pdf').expect(201);
    const project = await colleague.register();
    const service = system.app.get(FilesService);
    await service.markReferenced([body.fileId], project.id);
    const files = await service.evidenceFor([{ fileId: body.fileId, slot: 'site_photo' }], actorOf(officer));
    expect(files.map((f) => f.fileId)).toEqual([body.fileId]);
    await expect(
      service.evidenceFor([{ fileId: body.fileId, slot: 'site_photo' }], actorOf(faraway)),
    ).rejects.toBeInstanceOf(ProblemException);
  });

  it('refuses files past FILE_MAX_BYTES_PER_COMMAND together with 413 naming files', async () => {
    const a = await upload(officer, pdf(300_000), 'a.pdf').expect(201);
    const b = await upload(officer, pdf(300_000), 'b.pdf').expect(201);
    const refused = await system.app
      .get(FilesService)
      .evidenceFor(
        [
          { fileId: a.body.fileId, slot: 'filing_document' },
          { fileId: b.body.fileId, slot: 'construction_contract' },
        ],
        actorOf(officer),
      )
      .catch((e: unknown) => e);
    expect((refused as ProblemException).problem).toMatchObject({
      status: 413,
      errors: [expect.objectContaining({ field: 'files', rule: 'maxTotalSize' })],
    });
  });
});

describe('the cleanup of unreferenced uploads', () => {
  it('removes an upload unreferenced for a day with its content, and keeps a referenced one', async () => {
    const oldContent = pdf();
    const keptContent = pdf();
    const old = await upload(officer, oldContent, 'forgotten.pdf').expect(201);
    const kept = await upload(officer, keptContent, 'cited.pdf').expect(201);
    const project = await officer.register();
    await system.app.get(FilesService).markReferenced([kept.body.fileId], project.id);
    // Both a day and more old, as the owner (the app role may not backdate).
    await system.dataSource.query(
      `UPDATE uploaded_files SET uploaded_at = now() - interval '25 hours' WHERE file_id = ANY($1::uuid[])`,
      [[old.body.fileId, kept.body.fileId]],
    );
    await system.dataSource.query(
      `UPDATE file_contents SET stored_at = now() - interval '25 hours' WHERE sha256 = ANY($1)`,
      [[sha256(oldContent), sha256(keptContent)]],
    );
    const result = await system.client.workflow.execute(FILE_CLEANUP_WORKFLOW_TYPE, {
      taskQueue: system.taskQueue,
      workflowId: `file-cleanup-test-${randomUUID()}`,
      args: [],
    });
    expect(result).toMatchObject({ uploads: expect.any(Number), contents: expect.any(Number) });
    expect(await storedCount(oldContent)).toEqual({ uploads: 0, contents: 0, chunks: 0 });
    expect(await storedCount(keptContent)).toEqual({ uploads: 1, contents: 1, chunks: 1 });
    await officer.get(`/api/files/${old.body.fileId}`).expect(404);
    await officer.get(`/api/files/${kept.body.fileId}`).expect(200);
  });
});
