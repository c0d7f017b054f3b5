import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ApiClient, COUNTY, CREDIT_CODE, daysAgo, OTHER_REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';
import { workbookBomb } from '../support/zip';
import { MAX_WORKBOOK_INFLATED_BYTES } from '../../libs/ledger/src';

jest.setTimeout(120_000);

/** Small, so that "too large" is cheap to send. */
const MAX_FILE_BYTES = 300_000;

let system: TestSystem;
let officer: ApiClient;
beforeAll(async () => {
  process.env.IMPORT_MAX_FILE_BYTES = String(MAX_FILE_BYTES);
  system = await startSystem();
  officer = new ApiClient(system, {
    role: 'officer',
    regions: [COUNTY],
    sub: `officer-import-${randomUUID()}`,
  });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

const HEADERS = [
  '项目名称',
  '投资方',
  '投资方类型',
  '所属县市区',
  '产业链',
  '是否工业项目',
  '计划总投资(万元)',
  '线索时间',
  '签约时间',
  '合同投资(万元)',
  '合同编号',
  '统一社会信用代码',
  '项目公司',
  '落地时间',
  '宗地编号',
  '开工时间',
  '施工许可证号',
  '入统时间',
  '项目统计代码',
];

type LedgerRow = Partial<Record<(typeof HEADERS)[number], string | number | Date | null>>;

/** A row that imports cleanly: signed and landed, its dates a few weeks back. */
function goodRow(n: number, overrides: LedgerRow = {}): LedgerRow {
  return {
    项目名称: `导入测试项目${n}号`,
    投资方: `湖北导入${n}号新材料有限公司`,
    投资方类型: '民营企业',
    所属县市区: COUNTY,
    产业链: '新材料',
    是否工业项目: '是',
    '计划总投资(万元)': 15000,
    线索时间: daysAgo(40),
    签约时间: daysAgo(30),
    '合同投资(万元)': 12000,
    合同编号: `HT-IMPORT-${n}-${randomUUID().slice(0, 8)}`,
    ...overrides,
  };
}

async function workbook(rows: LedgerRow[], headers = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('项目台账');
  ws.addRow(headers);
  for (const row of rows) ws.addRow(headers.map((h) => row[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(
  client: ApiClient,
  file: Buffer | null,
  fileName: string,
  fields: Record<string, string> = {},
) {
  let req = request(system.app.getHttpServer())
    .post('/api/imports')
    .set('Authorization', `Bearer ${client.token}`)
    .set('Idempotency-Key', randomUUID());
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  if (file) req = req.attach('file', file, { filename: fileName, contentType: 'application/octet-stream' });
  return req;
}

interface ImportBody {
  importId: string;
  status: string;
  counts: Record<string, number>;
  progress: { total: number; done: number; percent: number };
  error: string | null;
  [k: string]: unknown;
}

async function until(client: ApiClient, importId: string, statuses: string[]): Promise<ImportBody> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await client.get(`/api/imports/${importId}`).expect(200);
    if (statuses.includes(res.body.status)) return res.body as ImportBody;
    if (Date.now() > deadline)
      throw new Error(`import still ${res.body.status}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function analysed(file: Buffer, fileName = '台账.xlsx', client = officer): Promise<ImportBody> {
  const res = await upload(client, file, fileName).expect(202);
  expect(res.headers.location).toBe(`/api/imports/${res.body.importId}`);
  return until(client, res.body.importId, ['analysed', 'failed']);
}

interface RowBody {
  row: number;
  outcome: string;
  projectId: string | null;
  problems: { row: number; column: string; value: string; rule: string; message: string }[];
  changes: { column: string; from: string | null; to: string | null }[];
  duplicateOf: { projectId: string; match: string } | null;
}

async function rows(importId: string, outcome?: string): Promise<RowBody[]> {
  const res = await officer
    .get(`/api/imports/${importId}/rows${outcome ? `?outcome=${outcome}` : ''}`)
    .expect(200);
  return res.body.items as RowBody[];
}

async function confirm(importId: string, body: Record<string, unknown> = {}): Promise<ImportBody> {
  await officer.write(`/api/imports/${importId}/confirm`, body).expect(202);
  return until(officer, importId, ['done', 'failed']);
}

describe('POST /api/imports: what is not a ledger is answered 4xx at once', () => {
  it('refuses no file, a wrong type, a file too large and garbage named .xlsx, naming the field', async () => {
    const none = await upload(officer, null, '').field('sheet', 'x').expect(400);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'required' })]);

    const pdf = await upload(officer, Buffer.from('%PDF-1.4'), '台账.pdf').expect(415);
    expect(pdf.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'fileType' })]);

    const large = await upload(officer, Buffer.alloc(MAX_FILE_BYTES + 10, 0x41), '台账.csv').expect(413);
    expect(large.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(large.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'maxSize' })]);

    const garbage = await upload(officer, Buffer.from('not a workbook at all'), '台账.xlsx').expect(422);
    expect(garbage.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'fileContent' })]);

    const badMapping = await upload(officer, await workbook([goodRow(0)]), '台账.xlsx', {
      mapping: '{"项目名称":"no-such-column"}',
    }).expect(400);
    expect(badMapping.body.errors).toEqual([
      expect.objectContaining({ field: 'mapping.项目名称', rule: 'isColumnKey' }),
    ]);

    const auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: 'auditor-import' });
    await upload(auditor, await workbook([goodRow(0)]), '台账.xlsx').expect(403);
  });

  it('ends a zip that is no workbook as a failed job with its reason, not a job that hangs', async () => {
    const zipOnly = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    const job = await analysed(zipOnly, '坏文件.xlsx');
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/文件无法读取/);
    expect(job.fileName).toBe('坏文件.xlsx');

    // What a client sends about it is answered 4xx, never 5xx.
    await officer.write(`/api/imports/${job.importId}/confirm`, {}).expect(409);
    const huge = await officer.write(`/api/imports/${job.importId}/confirm`, { rows: [1e12] }).expect(400);
    expect(huge.body.errors).toEqual([expect.objectContaining({ field: 'rows' })]);
    await officer.write(`/api/imports/${job.importId}/confirm`, { rows: 'all' }).expect(400);
    const past = await officer.get(`/api/imports/${job.importId}/rows?cursor=999999999999999999`).expect(200);
    expect(past.body).toEqual({ items: [], nextCursor: null });
    await officer.get(`/api/imports/${job.importId}/marked.xlsx`).expect(409);
    const other = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-import-other' });
    await other.get(`/api/imports/${job.importId}`).expect(404);
    await other.write(`/api/imports/${job.importId}/confirm`, {}).expect(404);
  });

  it('ends a workbook that would inflate past the limit (a zip bomb) as a failed job, and the worker goes on', async () => {
    const bomb = workbookBomb(MAX_WORKBOOK_INFLATED_BYTES / (1024 * 1024) + 8);
    const job = await analysed(bomb, '炸弹.xlsx');
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/解压后超过 \d+ MB/);
    // The worker that read it still records commands.
    const { id } = await officer.register();
    await officer.command(id, '/visits', { visitDate: today(), summary: '走访' });
  });
});

describe('a ledger through dry run, confirm and re-import', () => {
  it('finds every kind of problem by row, column, value and rule, imports the good rows, and changes nothing when sent again', async () => {
    const file = await workbook([
      goodRow(1),
      goodRow(2, {
        统一社会信用代码: CREDIT_CODE,
        项目公司: '宜昌导入2号有限公司',
        落地时间: daysAgo(20),
        宗地编号: 'YC-IMP-2',
      }),
      goodRow(3, {
        统一社会信用代码: '914403001922038217',
        项目公司: '宜昌导入3号有限公司',
        落地时间: daysAgo(20),
        宗地编号: 'YC-IMP-3',
      }),
      goodRow(4, { '计划总投资(万元)': '一千五百' }),
      goodRow(5, { 签约时间: '2099-01-01' }),
      goodRow(6, { 所属县市区: OTHER_REGION }),
      goodRow(7, { 入统时间: daysAgo(10), 项目统计代码: 'TJ-IMP-7' }),
      goodRow(8, { 所属县市区: '不存在的县' }),
    ]);
    const job = await analysed(file, '宜昌市招商台账.xlsx');
    expect(job).toMatchObject({
      status: 'analysed',
      fileName: '宜昌市招商台账.xlsx',
      sheet: '项目台账',
      sheets: ['项目台账'],
      counts: expect.objectContaining({ rows: 8, good: 2, bad: 6 }),
      progress: expect.objectContaining({ total: 8, percent: 100 }),
    });
    expect(job.headers).toEqual(
      expect.arrayContaining([{ header: '计划总投资(万元)', key: 'plannedInvestment', unit: 'wan' }]),
    );

    const bad = new Map((await rows(job.importId, 'bad')).map((r) => [r.row, r.problems[0]]));
    // Row numbers as the sheet shows them: the header is row 1.
    expect(bad.get(4)).toMatchObject({
      column: '统一社会信用代码',
      value: '914403001922038217',
      rule: 'CREDIT_CODE_CHECK_FAILED',
    });
    expect(bad.get(5)).toMatchObject({ column: '计划总投资(万元)', value: '一千五百' });
    expect(bad.get(6)).toMatchObject({ column: '签约时间', rule: expect.stringMatching(/DATE/) });
    expect(bad.get(7)).toMatchObject({ column: '所属县市区', rule: 'REGION_NOT_IN_SCOPE' });
    expect(bad.get(8)).toMatchObject({
      column: expect.stringMatching(/开工|入统/),
      rule: expect.any(String),
    });
    expect(bad.get(9)).toMatchObject({ column: '所属县市区', value: '不存在的县', rule: 'UNKNOWN_REGION' });
    for (const p of bad.values()) expect(p.message).toMatch(/[\u4e00-\u9fff]/);

    // The same sheet back, the bad cells marked.
    const marked = await officer
      .get(`/api/imports/${job.importId}/marked.xlsx`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(marked.body as ArrayBuffer);
    const ws = back.worksheets[0];
    const headerCells = (ws.getRow(1).values as unknown[]).slice(1);
    const creditColumn = headerCells.indexOf('统一社会信用代码') + 1;
    const badCell = ws.getRow(4).getCell(creditColumn);
    expect(badCell.value).toBe('914403001922038217');
    expect(badCell.note ?? badCell.fill).toBeTruthy();
    expect(headerCells).toContain('错误说明');

    const done = await confirm(job.importId);
    expect(done.counts).toMatchObject({ imported: 2, failed: 0 });
    expect(done.progress).toMatchObject({ total: 2, done: 2, percent: 100 });
    const imported = await rows(job.importId, 'imported');
    expect(imported.map((r) => r.row)).toEqual([2, 3]);
    const landed = await officer.get(`/api/projects/${imported[1].projectId}`).expect(200);
    expect(landed.body).toMatchObject({
      stage: { code: 'landed' },
      name: '导入测试项目2号',
      evidence: expect.objectContaining({ creditCode: CREDIT_CODE }),
    });
    const timeline = await officer.get(`/api/projects/${imported[1].projectId}/timeline`).expect(200);
    const entries = timeline.body as {
      type: string;
      businessDate: string;
      actorId: string;
      sentence: string;
    }[];
    // Each step on its own business date, by the officer who imported it; the import itself names file and row.
    expect(entries.find((e) => e.type === 'LeadRegistered')).toMatchObject({
      businessDate: daysAgo(40),
      actorId: officer.caller.sub,
    });
    expect(entries.find((e) => e.type === 'ProjectSigned')?.businessDate).toBe(daysAgo(30));
    expect(entries.find((e) => e.type === 'HistoryImported')?.sentence).toMatch(
      /宜昌市招商台账\.xlsx.*第 3 行/,
    );
    const history = await officer.get(`/api/projects/${imported[1].projectId}/history`).expect(200);
    const events = (history.body.items ?? history.body.events ?? history.body) as {
      type: string;
      data: Record<string, unknown>;
      actor?: string | { id: string };
    }[];
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['HistoryImported', 'LeadRegistered', 'ProjectSigned']),
    );
    expect(events.find((e) => e.type === 'HistoryImported')?.data).toMatchObject({
      importId: job.importId,
      fileName: '宜昌市招商台账.xlsx',
      row: 3,
    });

    // The same file again: every good row is unchanged, nothing is written.
    const again = await analysed(file, '宜昌市招商台账.xlsx');
    expect(again.counts).toMatchObject({ rows: 8, unchanged: 2, good: 0, changed: 0 });
    const before = await officer.version(imported[0].projectId!);
    const nothing = await confirm(again.importId);
    expect(nothing.counts.imported).toBe(0);
    expect(await officer.version(imported[0].projectId!)).toBe(before);
  });

  it('reads a changed row as a correction of the same project, imported only when confirmed', async () => {
    const row = goodRow(20);
    const first = await analysed(await workbook([row]));
    await confirm(first.importId);
    const [{ projectId }] = await rows(first.importId, 'imported');

    const changedFile = await workbook([{ ...row, '合同投资(万元)': 13000 }]);
    const second = await analysed(changedFile);
    expect(second.counts).toMatchObject({ changed: 1, good: 0 });
    const [changed] = await rows(second.importId, 'changed');
    expect(changed.projectId).toBe(projectId);
    expect(changed.changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ column: '合同投资(万元)' })]),
    );
    await confirm(second.importId);
    const project = await officer.get(`/api/projects/${projectId}`).expect(200);
    expect(project.body.contractInvestment).toBe('130000000.00');
    const list = await officer.get(`/api/projects?q=${encodeURIComponent('导入测试项目20号')}`).expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('flags a likely duplicate of a recorded project and imports it only when confirmed', async () => {
    const contractNumber = `HT-DUP-${randomUUID().slice(0, 8)}`;
    const { id: earlier } = await officer.register({ name: '已登记的重复测试项目', leadDate: daysAgo(50) });
    await officer.command(earlier, '/transitions', {
      to: 'signed',
      contractDate: daysAgo(45),
      contractInvestment: '100000000.00',
      contractNumber,
    });
    const file = await workbook([goodRow(30, { 合同编号: contractNumber })]);

    const first = await analysed(file);
    expect(first.counts).toMatchObject({ duplicates: 1, good: 0 });
    const [dup] = await rows(first.importId, 'duplicate');
    expect(dup.duplicateOf).toMatchObject({ projectId: earlier, match: 'contract_number' });
    const refused = await officer.write(`/api/imports/${first.importId}/confirm`, { rows: [2] }).expect(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'rows[0]', rule: 'duplicateNotConfirmed' }),
    ]);
    const skipped = await confirm(first.importId);
    expect(skipped.counts.imported).toBe(0);

    const second = await analysed(file);
    const done = await confirm(second.importId, { confirmDuplicates: [2] });
    expect(done.counts.imported).toBe(1);
    const [imported] = await rows(second.importId, 'imported');
    const history = await officer.get(`/api/projects/${imported.projectId}/history`).expect(200);
    const events = (history.body.items ?? history.body.events ?? history.body) as {
      type: string;
      data: Record<string, unknown>;
    }[];
    expect(events.find((e) => e.type === 'DuplicateConfirmed')?.data).toMatchObject({
      of: earlier,
      match: 'contract_number',
      reason: '导入时确认不是重复项目',
      at: 'import',
    });
  });

  it('reads a GBK csv, with a mapping corrected and saved for the next upload', async () => {
    const headers = [
      '项目',
      '投资主体',
      '投资方类型',
      '县市区',
      '产业链',
      '是否工业项目',
      '计划总投资(万元)',
      '线索日期',
      '自定义列',
    ];
    const line = (v: string[]) => v.join(',');
    const csv = [
      line(headers),
      line([
        'GBK导入测试项目',
        '湖北GBK新材料有限公司',
        '民营企业',
        COUNTY,
        '新材料',
        '是',
        '8000',
        daysAgo(5),
        '忽略我',
      ]),
    ].join('\r\n');
    const file = iconv.encode(csv, 'gbk');
    const job = await analysed(file, '台账-GBK.csv');
    expect(job.status).toBe('analysed');
    expect(job.sheet).toBeNull();
    expect(job.headers).toEqual(
      expect.arrayContaining([expect.objectContaining({ header: '投资主体', key: 'investorName' })]),
    );

    await officer
      .write(
        `/api/imports/${job.importId}/mapping`,
        { mapping: { 自定义列: 'note' }, save: true },
        { method: 'put' },
      )
      .expect(202);
    const remapped = await until(officer, job.importId, ['analysed', 'failed']);
    expect(remapped.headers).toEqual(
      expect.arrayContaining([{ header: '自定义列', key: 'note', unit: null }]),
    );
    const saved = await officer.get('/api/import-mappings').expect(200);
    expect(saved.body.mapping).toMatchObject({ 自定义列: 'note' });
    expect(remapped.counts).toMatchObject({ rows: 1, good: 1 });

    const list = await officer.get('/api/imports').expect(200);
    expect(list.body.items[0].importId).toBe(job.importId);
    const columns = await officer.get('/api/ledger/columns').expect(200);
    expect(columns.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'name', header: '项目名称' })]),
    );
    expect(today()).toMatch(/^\d{4}-/);
  });
});
