import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@app/persistence';
import { LEDGER_COLUMNS, canonicalHeader } from '@app/ledger';
import { ApiClient, CREDIT_CODE, daysAgo, evidence, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(180_000);

// Real divisions (the import reads regions by GB/T 2260 name or code) that no other test writes in.
const CITY = '530100'; // 昆明市
const WUHUA = '530102'; // 五华区
const PANLONG = '530103'; // 盘龙区
const GUANDU = '530111'; // 官渡区, another county of the same city

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tag = randomUUID().slice(0, 6);
const OFFICER_ID = `officer-ledger-${tag}`;
const OFFICER_NAME = '台账导出专员';
const GUANDU_ID = `officer-guandu-${tag}`;
const GUANDU_NAME = '官渡专员';

/** The directory both systems hold: the import finds a 服务专员 by name in it. */
async function directory(sys: TestSystem): Promise<void> {
  const admin = new ApiClient(sys, { role: 'admin', regions: [], sub: `admin-${tag}` });
  for (const [personId, name, region] of [
    [OFFICER_ID, OFFICER_NAME, CITY],
    [GUANDU_ID, GUANDU_NAME, GUANDU],
  ]) {
    await admin.write('/api/people', { personId, name, role: 'officer', regions: [region] }).expect(201);
  }
}

let system: TestSystem;
let officer: ApiClient;
let guandu: ApiClient;

/** The projects of this file, by a short key, with what they were made with. */
const seeded = new Map<string, { id: string; name: string; contractNumber?: string }>();

/** A step's evidence dated in the past, so that each project's history is its own. */
function step(to: string, n: number, date: string): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    negotiating: { talksDate: date, leadingOfficial: '李副区长' },
    signed: {
      contractDate: date,
      contractInvestment: `${120 + n}000000.00`,
      contractNumber: `HT-${tag}-${n}`,
    },
    landed: { landedDate: date, creditCode: CREDIT_CODE, companyName: `昆明${tag}第${n}号实业有限公司` },
    started: { startDate: date },
    in_stats: { inStatsDate: date, statisticsCode: `TJ-${tag}-${n}` },
    producing: { productionDate: date, scope: n % 2 ? 'partial' : 'full' },
    dropped: { reason: '企业投资计划调整' },
  };
  return { ...evidence(to), ...bodies[to] };
}

const PORTFOLIO: { key: string; region: string; path: string[]; funds?: string; by?: 'guandu' }[] = [
  { key: 'lead', region: WUHUA, path: [] },
  { key: 'talks', region: WUHUA, path: ['negotiating'] },
  { key: 'signed', region: PANLONG, path: ['negotiating', 'signed'] },
  { key: 'landed', region: WUHUA, path: ['signed', 'landed'] },
  { key: 'started', region: PANLONG, path: ['signed', 'landed', 'started'], funds: '23456789.12' },
  { key: 'producing', region: WUHUA, path: ['signed', 'landed', 'started', 'in_stats', 'producing'] },
  { key: 'dropped', region: PANLONG, path: ['dropped'] },
  { key: 'guandu', region: GUANDU, path: ['signed'], by: 'guandu' },
];
/** Days ago of each step: every project walks the same calendar. */
const DAYS_AGO: Record<string, number> = {
  negotiating: 45,
  signed: 40,
  landed: 30,
  started: 20,
  in_stats: 10,
  producing: 5,
  dropped: 8,
};

async function seedPortfolio(sys: TestSystem): Promise<void> {
  officer = new ApiClient(sys, { role: 'officer', regions: [CITY], sub: OFFICER_ID });
  guandu = new ApiClient(sys, { role: 'officer', regions: [GUANDU], sub: GUANDU_ID });
  await Promise.all(
    PORTFOLIO.map(async (p, n) => {
      const client = p.by === 'guandu' ? guandu : officer;
      const name = `${tag}${['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛'][n]}号${['光伏组件', '生物制药', '智能装备', '食品加工', '新材料', '电子元件', '物流园', '数据中心'][n]}项目`;
      const { id } = await client.register({
        name,
        investor: {
          name: `${tag}投资方${n}有限公司`,
          type: n % 2 ? 'private' : 'local_soe',
          flags: n === 2 ? ['listed'] : [],
        },
        region: p.region,
        park: n % 3 ? `昆明${n}号园区` : undefined,
        industryChain: [
          '新能源',
          '生物医药',
          '先进装备制造',
          '食品饮料',
          '新材料',
          '电子信息',
          '现代物流',
          '数字经济',
        ][n],
        industrial: n !== 6,
        plannedInvestment: `${100 + n}000000.00`,
        source: n % 2 ? '以商招商' : '驻点招商',
        leadDate: daysAgo(50),
      });
      for (const to of p.path) await client.command(id, '/transitions', step(to, n, daysAgo(DAYS_AGO[to])));
      if (p.funds) await client.command(id, '/funds', { month: today().slice(0, 7), amount: p.funds });
      seeded.set(p.key, {
        id,
        name,
        contractNumber: p.path.includes('signed') ? `HT-${tag}-${n}` : undefined,
      });
    }),
  );
}

beforeAll(async () => {
  system = await startSystem();
  await directory(system);
  await seedPortfolio(system);
}, 180_000);
afterAll(() => system?.stop(), 60_000);

function download(sys: TestSystem, client: ApiClient, path: string): request.Test {
  return request(sys.app.getHttpServer())
    .get(path)
    .set('Authorization', `Bearer ${client.token}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

type Cells = Record<string, unknown>;

/** The ledger's header and each row as header → value. */
async function readBook(body: unknown): Promise<{ sheets: string[]; headers: string[]; rows: Cells[] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as ArrayBuffer);
  const sheet = book.worksheets[0];
  const headers = ((sheet.getRow(1).values as unknown[]).slice(1) as string[]).map(String);
  const rows: Cells[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = row.values as unknown[];
    rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i + 1] ?? null])));
  });
  return { sheets: book.worksheets.map((w) => w.name), headers, rows };
}

async function listNames(client: ApiClient, query: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await client
      .get(`/api/projects?${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      .expect(200);
    names.push(...(res.body.items as { name: string }[]).map((p) => p.name));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return names;
}

const HEADERS = LEDGER_COLUMNS.map(canonicalHeader);

describe('GET /api/projects/export.xlsx: the 台账 of any filter of the list', () => {
  it('holds the filtered list’s rows, in its order, in the layout the import reads, under a Chinese file name', async () => {
    for (const query of [
      `region=${CITY}`,
      `region=${CITY}&stage=signed,landed&sort=name`,
      `q=${encodeURIComponent(tag)}&sort=-investment`,
    ]) {
      const res = await download(system, officer, `/api/projects/export.xlsx?${query}`).expect(200);
      expect(res.headers['content-type']).toBe(XLSX);
      const { sheets, headers, rows } = await readBook(res.body);
      expect(sheets).toEqual(['项目台账']);
      expect(headers).toEqual(HEADERS);
      const names = await listNames(officer, query);
      expect(names.length).toBeGreaterThan(0);
      expect(rows.map((r) => r['项目名称'])).toEqual(names);
    }

    const res = await download(system, officer, `/api/projects/export.xlsx?region=${CITY}`).expect(200);
    const day = today();
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="ledger-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(`项目台账-${day}.xlsx`)}`,
    );
    const { rows } = await readBook(res.body);
    const byName = new Map(rows.map((r) => [r['项目名称'], r]));
    const signed = byName.get(seeded.get('signed')!.name)!;
    expect(signed).toMatchObject({
      合同编号: seeded.get('signed')!.contractNumber,
      '合同投资（万元）': 12200,
      '计划总投资（万元）': 10200,
      签约时间: new Date(`${daysAgo(40)}T00:00:00Z`),
      项目状态: '签约',
      服务专员: OFFICER_NAME,
    });
    const started = byName.get(seeded.get('started')!.name)!;
    expect(started).toMatchObject({
      '到位资金（万元）': 2345.678912,
      项目状态: '开工',
      统一社会信用代码: CREDIT_CODE,
    });
    expect(byName.get(seeded.get('dropped')!.name)).toMatchObject({
      项目状态: '终止',
      终止原因: '企业投资计划调整',
    });
    expect(byName.get(seeded.get('guandu')!.name)).toMatchObject({
      服务专员: GUANDU_NAME,
      所属县市区: expect.stringContaining('官渡区'),
    });
  });

  it('keeps to the caller’s regions: an officer of another county gets none of these projects', async () => {
    const mine = new Set(
      [...seeded.values()].filter((p) => p.name !== seeded.get('guandu')!.name).map((p) => p.name),
    );
    const all = await readBook(
      (await download(system, guandu, '/api/projects/export.xlsx').expect(200)).body,
    );
    expect(all.rows.some((r) => mine.has(r['项目名称'] as string))).toBe(false);
    expect(all.rows.map((r) => r['项目名称'])).toContain(seeded.get('guandu')!.name);
    // Asking for a region outside their own narrows to nothing, as the list does.
    const other = await readBook(
      (await download(system, guandu, `/api/projects/export.xlsx?region=${WUHUA}`).expect(200)).body,
    );
    expect(other.headers).toEqual(HEADERS);
    expect(other.rows).toEqual([]);
  });

  it('answers a bad filter 400 naming it, as the list does', async () => {
    for (const [query, field] of [
      ['stage=bogus', 'stage'],
      ['region=12', 'region'],
      ['sort=colour', 'sort'],
      ['overdue=maybe', 'overdue'],
      ['signingYear=20x5', 'signingYear'],
    ]) {
      const res = await officer.get(`/api/projects/export.xlsx?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field }));
    }
  });
});

describe('the round trip: export, import into an empty system, export again', () => {
  let fresh: TestSystem | undefined;
  let freshOwner: DataSource | undefined;
  let database: string;
  const saved = { ...process.env };

  afterAll(async () => {
    await fresh?.stop();
    process.env = saved;
    await freshOwner?.destroy();
    const owner = createDataSource(saved.TEST_DATABASE_URL!);
    await owner.initialize();
    await owner.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await owner.destroy();
  }, 60_000);

  it('gives the same ledger', async () => {
    // A database of its own, migrated, behind a second API and worker: nothing in it but the import.
    database = `roundtrip_${tag.replace(/[^a-z0-9]/g, '')}`;
    const owner = createDataSource(process.env.TEST_DATABASE_URL!);
    await owner.initialize();
    await owner.query(`CREATE DATABASE ${database}`);
    await owner.destroy();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    freshOwner = createDataSource(url.toString());
    await freshOwner.initialize();
    await runMigrations(freshOwner);
    process.env.TEST_DATABASE_URL = url.toString();
    process.env.TEST_DATABASE_APP_URL = url.toString();
    fresh = await startSystem();
    process.env.TEST_DATABASE_URL = saved.TEST_DATABASE_URL;
    process.env.TEST_DATABASE_APP_URL = saved.TEST_DATABASE_APP_URL;

    const exported = await download(
      system,
      officer,
      `/api/projects/export.xlsx?region=${CITY}&sort=name`,
    ).expect(200);
    const before = await readBook(exported.body);
    expect(before.rows.length).toBe(PORTFOLIO.length);

    await directory(fresh);
    const importer = new ApiClient(fresh, { role: 'officer', regions: [CITY], sub: OFFICER_ID });
    const uploaded = await request(fresh.app.getHttpServer())
      .post('/api/imports')
      .set('Authorization', `Bearer ${importer.token}`)
      .set('Idempotency-Key', randomUUID())
      .attach('file', exported.body as Buffer, { filename: '项目台账.xlsx', contentType: XLSX })
      .expect(202);
    const importId = uploaded.body.importId as string;
    const until = async (statuses: string[]) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const res = await importer.get(`/api/imports/${importId}`).expect(200);
        if (statuses.includes(res.body.status)) return res.body;
        if (Date.now() > deadline) throw new Error(`import still ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const analysed = await until(['analysed', 'failed']);
    const bad = await importer.get(`/api/imports/${importId}/rows?outcome=bad`).expect(200);
    expect(bad.body.items).toEqual([]);
    expect(analysed).toMatchObject({
      status: 'analysed',
      counts: expect.objectContaining({ rows: PORTFOLIO.length, bad: 0 }),
    });
    await importer.write(`/api/imports/${importId}/confirm`, {}).expect(202);
    const done = await until(['done', 'failed']);
    expect(done).toMatchObject({
      status: 'done',
      counts: expect.objectContaining({ imported: PORTFOLIO.length, failed: 0 }),
    });

    const after = await readBook(
      (await download(fresh, importer, `/api/projects/export.xlsx?region=${CITY}&sort=name`).expect(200))
        .body,
    );
    expect(after.headers).toEqual(before.headers);
    expect(after.rows).toEqual(before.rows);
  });
});
