import ExcelJS from 'exceljs';
import type request from 'supertest';
import {
  ratesFromCounts,
  sumCounts,
  type RegionChainCounts,
  type ReviewReport,
} from '../../libs/quarterly-review/src';
import { OMITTED_NOTE, SCOPED_NOTE } from '../../apps/api/src/reviews/review-scope';
import { ApiClient, evidence } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(120_000);

// Two counties no other test file uses, and chains of this file's own, so the figures are known.
const WEST = '330102';
const EAST = '330106';
const CHAIN = '回头看范围-新材料';
const OTHER_CHAIN = '回头看范围-生物医药';
const QUARTER = '2025Q4';
const OLD_QUARTER = '2024Q4';

let system: TestSystem;
let admin: ApiClient;
let west: ApiClient;
let stored: { report: ReviewReport; reportHash: string };
beforeAll(async () => {
  system = await startSystem();
  admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-scopes' });
  west = new ApiClient(system, { role: 'officer', regions: [WEST], sub: 'officer-west' });
  const east = new ApiClient(system, { role: 'officer', regions: [EAST], sub: 'officer-east' });

  /** A lead of 2025, signed on `signed`, started on `started` when given. */
  const project = async (
    officer: ApiClient,
    region: string,
    industryChain: string,
    name: string,
    signed: string,
    started?: string,
  ) => {
    const id = await officer.projectAt('lead', { region, industryChain, name, leadDate: '2025-01-10' });
    await officer.command(id, '/transitions', { ...evidence('signed'), contractDate: signed });
    if (!started) return;
    await officer.command(id, '/transitions', { ...evidence('landed'), landedDate: started });
    await officer.command(id, '/transitions', { ...evidence('started'), startDate: started });
  };
  // West: two signings of 2025 in one chain, one started. East: three signings over two chains, all started.
  await project(west, WEST, CHAIN, '西区已开工项目', '2025-03-01', '2025-04-01');
  await project(west, WEST, CHAIN, '西区未开工项目', '2025-05-01');
  await project(east, EAST, CHAIN, '东区项目甲', '2025-02-01', '2025-03-01');
  await project(east, EAST, CHAIN, '东区项目乙', '2025-02-01', '2025-03-01');
  await project(east, EAST, OTHER_CHAIN, '东区生物医药项目', '2025-02-01', '2025-03-01');

  await admin.write('/api/reviews', { quarter: QUARTER }).expect(200);
  stored = (await admin.get(`/api/reviews/${QUARTER}`).expect(200)).body;
}, 240_000);
afterAll(() => system?.stop(), 60_000);

const cellsOf = (report: ReviewReport, region?: string): RegionChainCounts[] =>
  report.counts!.byRegionAndChain.filter((c) => region === undefined || c.region === region);
const regionRates = (report: ReviewReport, region: string) =>
  report.rates.byRegion.find((g) => g.region === region)!.rates;

async function workbook(client: ApiClient, path: string): Promise<ExcelJS.Workbook> {
  const res = await client
    .get(path)
    .buffer(true)
    .parse((r: request.Response, done: (e: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as ArrayBuffer);
  return book;
}

/** The rate sheet's rows, as plain values (ExcelJS's row.values starts at index 1). */
function rateSheet(book: ExcelJS.Workbook): (string | number)[][] {
  const rows: (string | number)[][] = [];
  book.worksheets[0].eachRow((row) => rows.push((row.values as (string | number)[]).slice(1)));
  return rows;
}

describe('the counts a stored review keeps per region and industry chain', () => {
  it('sum to the overall, per-region and per-chain rates the report shows, exactly', () => {
    const { report } = stored;
    expect(ratesFromCounts(sumCounts(cellsOf(report).map((c) => c.counts)))).toEqual(report.rates.overall);
    for (const { region, rates } of report.rates.byRegion) {
      expect(ratesFromCounts(sumCounts(cellsOf(report, region).map((c) => c.counts)))).toEqual(rates);
    }
    for (const { industryChain, rates } of report.rates.byIndustryChain) {
      const cells = cellsOf(report).filter((c) => c.industryChain === industryChain);
      expect(ratesFromCounts(sumCounts(cells.map((c) => c.counts)))).toEqual(rates);
    }
  });

  it('are shown to a reader who may read every region as the stored report, unchanged', async () => {
    expect(stored.report.rates).not.toHaveProperty('scope');
    const auditor = new ApiClient(system, { role: 'auditor', regions: [], sub: 'auditor-scopes' });
    const seen = await auditor.get(`/api/reviews/${QUARTER}`).expect(200);
    expect(seen.body).toEqual(stored);
    expect(regionRates(stored.report, WEST).startRate.currentYear.all).toEqual({
      numerator: 1,
      denominator: 2,
      percent: '50.00',
    });
    // The whole report counts the east and every other test's projects too.
    expect(stored.report.rates.overall.startRate.currentYear.all.denominator).toBeGreaterThanOrEqual(5);
  });
});

describe("a region-bound reader's view of a stored review", () => {
  it('gives overall and per-chain figures over their region only, in JSON', async () => {
    const res = await west.get(`/api/reviews/${QUARTER}`).expect(200);
    const view = res.body.report;
    expect(res.body.reportHash).toBe(stored.reportHash);
    // Not the whole report's ETag: a cache keyed on it must not hand this view to another reader.
    const whole = await admin.get(`/api/reviews/${QUARTER}`).expect(200);
    expect(whole.headers.etag).toBe(`"${stored.reportHash}"`);
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}-[0-9a-f]{16}"$/);
    expect(res.headers.vary).toMatch(/Authorization/);
    expect(view.rates.overall).toEqual(regionRates(stored.report, WEST));
    expect(view.rates.overall.startRate.currentYear.all).toEqual({
      numerator: 1,
      denominator: 2,
      percent: '50.00',
    });
    expect(view.rates.overall.projects).toBe(2);
    expect(view.rates.byRegion).toEqual([{ region: WEST, rates: regionRates(stored.report, WEST) }]);
    expect(view.rates.byIndustryChain).toEqual([
      { industryChain: CHAIN, rates: regionRates(stored.report, WEST) },
    ]);
    expect(view.rates.scope).toEqual({ regions: [WEST], note: SCOPED_NOTE });
    expect(view.counts.byRegionAndChain).toEqual(cellsOf(stored.report, WEST));
    expect(view.stalled.every((s: { region: string }) => s.region === WEST)).toBe(true);
    // The whole report's chain figure is not the reader's.
    const wholeChain = stored.report.rates.byIndustryChain.find((c) => c.industryChain === CHAIN)!;
    expect(wholeChain.rates.startRate.currentYear.all).toMatchObject({ numerator: 3, denominator: 4 });
  });

  it('gives the same figures in the workbook, and no other region or chain', async () => {
    const rows = rateSheet(await workbook(west, `/api/reviews/${QUARTER}.xlsx`));
    const overall = rows.find((r) => String(r[0]).startsWith('全部'))!;
    expect(overall[0]).toBe('全部(可查看地区)');
    expect(overall[1]).toBe(2);
    expect(overall[4]).toBe('50.00% (1/2)');
    expect(rows.map((r) => r[0])).toEqual(
      expect.arrayContaining([`地区 ${WEST}`, `产业链 ${CHAIN}`, `说明: ${SCOPED_NOTE}`]),
    );
    expect(rows.some((r) => String(r[0]).includes(EAST) || String(r[0]).includes(OTHER_CHAIN))).toBe(false);
    // The admin's workbook has the whole report's overall.
    const whole = rateSheet(await workbook(admin, `/api/reviews/${QUARTER}.xlsx`));
    const wholeOverall = whole.find((r) => r[0] === '全部')!;
    expect(wholeOverall[1]).toBe(stored.report.rates.overall.projects);
    expect(whole.some((r) => r[0] === `地区 ${EAST}`)).toBe(true);
  });

  it('lists only their region in the CSV', async () => {
    const csv = await west.get(`/api/reviews/${QUARTER}.csv`).expect(200);
    expect(csv.text).not.toMatch(/东区|330106/);
    const eastCsv = await admin.get(`/api/reviews/${QUARTER}.csv`).expect(200);
    expect(eastCsv.text.startsWith('\uFEFF项目编号')).toBe(true);
  });

  it('of a revision stored without counts, omits overall and chain figures and says so', async () => {
    // A report as revisions before the counts were stored: the same figures, no counts.
    const { counts: _counts, ...old } = { ...stored.report, quarter: OLD_QUARTER, asOf: '2024-12-31' };
    await system.dataSource.query(
      `INSERT INTO review_reports (quarter, revision, as_of, report, report_hash, created_by)
       VALUES ($1, 1, $2, $3::jsonb, 'old-revision-hash', 'admin-scopes')`,
      [OLD_QUARTER, '2024-12-31', JSON.stringify(old)],
    );
    const mine = await west.get(`/api/reviews/${OLD_QUARTER}`).expect(200);
    expect(mine.body.reportHash).toBe('old-revision-hash');
    expect(mine.body.report.rates).toEqual({
      overall: null,
      byRegion: [{ region: WEST, rates: regionRates(stored.report, WEST) }],
      byIndustryChain: [],
      scope: { regions: [WEST], note: OMITTED_NOTE },
    });
    expect(mine.body.report).not.toHaveProperty('counts');
    const rows = rateSheet(await workbook(west, `/api/reviews/${OLD_QUARTER}.xlsx`));
    expect(rows.map((r) => r[0])).toEqual(['范围', `地区 ${WEST}`, `说明: ${OMITTED_NOTE}`]);
    // Everyone who may read it all still sees the stored revision as it is.
    const whole = await admin.get(`/api/reviews/${OLD_QUARTER}`).expect(200);
    expect(whole.body.report).toEqual(old);
  });
});
