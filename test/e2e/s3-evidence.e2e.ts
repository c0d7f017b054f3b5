import { createHash, randomUUID } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { ApiClient, binaryBody, COUNTY, evidence, pdfBytes } from '../support/api';
import { type SeaweedS3, startSeaweedS3 } from '../support/seaweedfs';
import { startSystem, type TestSystem } from '../support/system';

/** The API with FILE_STORE=s3 over a SeaweedFS bucket of this file's own. */
let seaweed: SeaweedS3;
let system: TestSystem;
let officer: ApiClient;
let auditor: ApiClient;
const S3_VARIABLES = [
  'FILE_STORE',
  'S3_ENDPOINT',
  'S3_REGION',
  'S3_BUCKET',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_FORCE_PATH_STYLE',
];

beforeAll(async () => {
  seaweed = await startSeaweedS3();
  const { S3_FORCE_PATH_STYLE, ...settings } = seaweed.settings;
  // Read when the app is created, as the process reads them at start-up.
  Object.assign(process.env, {
    FILE_STORE: 's3',
    S3_FORCE_PATH_STYLE: String(S3_FORCE_PATH_STYLE),
    ...settings,
  });
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `officer-${randomUUID()}` });
  auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: `auditor-${randomUUID()}` });
}, 180_000);
afterAll(async () => {
  await system?.stop();
  await seaweed?.stop();
  for (const key of S3_VARIABLES) delete process.env[key];
}, 60_000);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('evidence files in S3-compatible object storage', () => {
  it('keeps an upload as the object named by its hash, downloads the same bytes, and verification names it once deleted', async () => {
    const id = await officer.projectAt('signed');
    const bytes = pdfBytes(`出让合同 ${randomUUID()}`);
    const fileId = await officer.upload('国有建设用地使用权出让合同.pdf', bytes);
    // In the bucket under its hash; PostgreSQL catalogues it and holds none of its bytes.
    const head = await seaweed.client.send(
      new HeadObjectCommand({ Bucket: seaweed.settings.S3_BUCKET, Key: sha256(bytes) }),
    );
    expect(head.ContentLength).toBe(bytes.length);
    const rows = await system.dataSource.query<{ size: number; chunks: number; stored: number }[]>(
      `SELECT c.size::int AS size, c.chunks,
              (SELECT count(*)::int FROM file_chunks k WHERE k.chunks_id = c.chunks_id) AS stored
       FROM file_contents c WHERE c.sha256 = $1`,
      [sha256(bytes)],
    );
    expect(rows).toEqual([{ size: bytes.length, chunks: 0, stored: 0 }]);

    const content = await officer
      .get(`/api/files/${fileId}/content`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(content.headers['content-type']).toMatch(/^application\/pdf/);
    expect((content.body as Buffer).equals(bytes)).toBe(true);

    await officer.command(id, '/transitions', {
      ...evidence('landed'),
      files: [{ fileId, slot: 'land_document' }],
    });
    const clean = await auditor.get(`/api/audit/verify?projectId=${id}`).expect(200);
    expect(clean.body).toMatchObject({ ok: true, files: { checked: 1, broken: [] } });

    await seaweed.client.send(
      new DeleteObjectCommand({ Bucket: seaweed.settings.S3_BUCKET, Key: sha256(bytes) }),
    );
    const missing = await auditor.get(`/api/audit/verify?projectId=${id}`).expect(200);
    expect(missing.body.ok).toBe(false);
    expect(missing.body.files.broken).toEqual([
      expect.objectContaining({
        projectId: id,
        fileId,
        name: '国有建设用地使用权出让合同.pdf',
        problem: 'file_missing',
      }),
    ]);
  }, 120_000);
});
