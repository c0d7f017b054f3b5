import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { PROBLEMS_HEADER } from '../../libs/ledger/src';
import { ApiClient, COUNTY, daysAgo, evidence, type Caller } from '../support/api';
import {
  collectErrors,
  screenshot,
  seriousAccessibilityViolations,
  VIEWPORTS,
  startConsole,
  stopConsole,
} from '../support/browser';
import type { TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
const run = randomUUID().slice(0, 6);
const tag = `导入页${run}`;
/** One officer per viewport: a mapping saved in one run would otherwise be the next run's start. */
const officerFor = (width: number): Caller => ({
  role: 'officer',
  regions: [COUNTY],
  sub: `officer-imports-${run}-${width}`,
});

beforeAll(async () => {
  ({ system, browser } = await startConsole());
  const admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-imports-${run}` });
  for (const { width } of Object.values(VIEWPORTS)) {
    await admin
      .write('/api/people', {
        personId: officerFor(width).sub,
        name: '吴导入',
        role: 'officer',
        regions: [COUNTY],
      })
      .expect(201);
  }
}, 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

/** The contract number's header is one the catalogue does not know: the user maps it by hand. */
const CONTRACT_HEADER = '协议文书编号';
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
  CONTRACT_HEADER,
];

/**
 * Two signed projects, one whose amount is words, and one signed under an earlier project's contract
 * number, in a workbook's second sheet.
 */
async function ledgerFile(
  width: number,
  earlierContract: string,
): Promise<{ path: string; names: string[] }> {
  const names = [1, 2, 3, 4].map((n) => `${tag}${width} 导入项目${n}号`);
  const row = (n: number, planned: string | number, contract = `HT-${run}-${width}-${n}`) => [
    names[n - 1],
    `${tag}${width}导入${n}号有限公司`,
    '民营企业',
    COUNTY,
    '新材料',
    '是',
    planned,
    daysAgo(40),
    daysAgo(30),
    12000,
    contract,
  ];
  const book = new ExcelJS.Workbook();
  // Last year's sheet comes first: it is what a first reading takes, and the user picks this year's.
  const earlier = book.addWorksheet('往年台账');
  earlier.addRow(HEADERS);
  earlier.addRow([
    `${tag}${width} 往年项目`,
    `${tag}${width}往年有限公司`,
    '民营企业',
    COUNTY,
    '新材料',
    '是',
    3000,
    daysAgo(400),
  ]);
  const sheet = book.addWorksheet('项目台账');
  sheet.addRow(HEADERS);
  sheet.addRow(row(1, 15000));
  sheet.addRow(row(2, 8000.5));
  sheet.addRow(row(3, '一万五'));
  sheet.addRow(row(4, 5000, earlierContract));
  const path = join(tmpdir(), `${tag}-${width}.xlsx`);
  await writeFile(path, Buffer.from(await book.xlsx.writeBuffer()));
  return { path, names };
}

async function signedIn(
  caller: Caller,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  await context.addInitScript(
    `sessionStorage.setItem('lifecycle.token', ${JSON.stringify(system.token(caller))})`,
  );
  const page = await context.newPage();
  return { context, page, errors: collectErrors(page) };
}

/** The rows imported: all but the one whose amount is words. */
const imported3 = (names: string[]) => [names[0], names[1], names[3]];

const button = (scope: Page | Locator, label: RegExp) => scope.getByRole('button', { name: label });

/** One outcome of the dry run, with its count, as the filter above the rows offers it (its input is hidden under its label). */
const tab = (page: Page, label: string, count: number) =>
  page.getByRole('radio', { name: `${label} (${count})` });

describe('导入台账 in the console', () => {
  it.each(Object.entries(VIEWPORTS))(
    'uploads a workbook, shows the dry run’s problems, takes a corrected mapping, marks the bad cells, confirms a likely duplicate and imports the good rows to 100%% (%s)',
    async (_key, viewport) => {
      const officer = new ApiClient(system, officerFor(viewport.width));
      const { context, page, errors } = await signedIn(officer.caller, viewport);
      const earlierContract = `HT-${run}-${viewport.width}-earlier`;
      const earlier = await officer.projectAt('lead', {
        name: `早先签约${run}-${viewport.width}`,
        investor: { name: `早先${run}${viewport.width}有限公司`, type: 'private', flags: [] },
      });
      await officer.command(earlier, '/transitions', {
        ...evidence('signed'),
        contractNumber: earlierContract,
      });
      const file = await ledgerFile(viewport.width, earlierContract);
      try {
        await page.goto(`${system.url}/imports`);
        if (viewport.width >= VIEWPORTS.desktop.width) {
          await page.getByRole('menuitem', { name: /导入台账/ }).waitFor();
        }
        await page.getByLabel('台账文件').setInputFiles(file.path);
        await screenshot(page, `imports-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await button(page, /上传并试导入/).click();
        await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
        const importId = new URL(page.url()).pathname.split('/').pop()!;

        // The first sheet is last year's: choose this year's.
        await tab(page, '可导入', 1).waitFor({ state: 'attached' });
        // The chosen sheet's name lies over the Select's input.
        await page.getByLabel('工作表').click({ force: true });
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="项目台账"]').click();
        await button(page, /按此对应重新试导入/).click();
        await tab(page, '有错误', 4).waitFor({ state: 'attached' });
        const mapped = (await officer.get(`/api/imports/${importId}`).expect(200)).body;
        expect(mapped.sheet).toBe('项目台账');
        expect(mapped.headers).toEqual(
          expect.arrayContaining([
            { header: CONTRACT_HEADER, key: null, unit: null },
            { header: '计划总投资(万元)', key: 'plannedInvestment', unit: 'wan' },
          ]),
        );
        const mapping = page.locator('.ant-card', { hasText: '列对应' });
        await mapping.getByText('万元').first().waitFor();

        // Every problem by row, column, value and rule: the amount in words among them.
        const problems = page.getByTestId('import-rows');
        const amountRow = problems.locator('tr', { hasText: '一万五' });
        await amountRow.waitFor();
        await amountRow.getByText('计划总投资(万元)').waitFor();
        await expect(amountRow.locator('td').first().textContent()).resolves.toBe('4');
        await screenshot(page, `import-dry-run-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // 协议文书编号 is the contract number; kept as this officer's mapping for the next upload.
        await page
          .getByRole('combobox', { name: `“${CONTRACT_HEADER}”对应的台账字段` })
          .click({ force: true });
        await page.keyboard.type('合同编号');
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="合同编号"]').click();
        await mapping.getByText('保存为默认映射').click();
        await button(page, /按此对应重新试导入/).click();
        await tab(page, '有错误', 1).waitFor({ state: 'attached' });
        await tab(page, '可导入', 2).waitFor({ state: 'attached' });
        await tab(page, '疑似重复', 1).waitFor({ state: 'attached' });
        const saved = (await officer.get('/api/import-mappings').expect(200)).body;
        expect(saved.mapping).toMatchObject({ [CONTRACT_HEADER]: 'contractNumber' });

        // The same sheet back with the bad cell marked and the problem in words.
        const download: Promise<Download> = page.waitForEvent('download');
        await button(page, /下载标注错误的表格/).click();
        const marked = await readFile(await (await download).path());
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(marked as unknown as ArrayBuffer);
        const sheet = book.getWorksheet('项目台账')!;
        const headerCells = (sheet.getRow(1).values as unknown[]).map((v) =>
          typeof v === 'string' ? v : '',
        );
        const problemsAt = headerCells.indexOf(PROBLEMS_HEADER);
        expect(problemsAt).toBeGreaterThan(0);
        expect(sheet.getRow(4).getCell(problemsAt).text).toContain('计划总投资');
        expect(sheet.getRow(2).getCell(problemsAt).text).toBe('');

        // The row signed under the earlier project's contract number names it; confirmed, it is imported too.
        await page.getByText('疑似重复 (1)').click();
        const duplicate = page.getByTestId('import-rows').locator('tr', { hasText: file.names[3] });
        await duplicate.locator(`a[href="/projects/${earlier}"]`).waitFor();
        await duplicate.getByText('合同编号相同').waitFor();
        await button(page, /导入 2 条/).waitFor();
        await duplicate.getByLabel('确认不是重复,照常导入').check();
        await page.getByLabel(/确认 1 条疑似重复不是重复的理由/).fill('框架协议下的另一个项目');
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // 导入 3 条, and the progress to the end.
        await button(page, /导入 3 条/).click();
        const progress = page.getByRole('progressbar', { name: '导入进度' });
        await progress.waitFor();
        await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor({ timeout: 90_000 });
        await page.getByText('已完成', { exact: true }).waitFor();
        await page.getByText('导入完成:已导入 3 个项目').waitFor();
        await button(page, /查看已导入的项目/).click();
        const imported = page.getByTestId('import-rows');
        for (const name of imported3(file.names)) await imported.getByRole('link', { name }).waitFor();
        await screenshot(page, `import-done-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // The projects in the 台账, with the history the rows gave them.
        await page.getByRole('link', { name: '打开项目台账' }).click();
        await page.waitForURL(/\/projects$/);
        await page.goto(`${system.url}/projects?q=${encodeURIComponent(`${tag}${viewport.width}`)}`);
        for (const name of imported3(file.names)) {
          await page.locator('tbody tr', { hasText: name }).getByText('签约').first().waitFor();
        }
        await expect(page.locator('tbody tr[data-row-key]').count()).resolves.toBe(3);
        const listed = await officer
          .get(`/api/projects?q=${encodeURIComponent(`${tag}${viewport.width}`)}`)
          .expect(200);
        expect(listed.body.totals).toMatchObject({ count: 3, plannedInvestment: '280005000.00' });
        expect(listed.body.items.map((p: { dates: { signed: string } }) => p.dates.signed)).toEqual([
          daysAgo(30),
          daysAgo(30),
          daysAgo(30),
        ]);

        // The confirmation is recorded with the reason given, for leaders to see.
        const leader = new ApiClient(system, {
          role: 'leader',
          regions: [COUNTY],
          sub: `leader-imports-${run}`,
        });
        const pairs = (await leader.get('/api/duplicates').expect(200)).body.items as {
          project: { name: string };
          of: { projectId: string };
          reason: string;
          point: string;
        }[];
        expect(pairs.find((p) => p.project.name === file.names[3])).toMatchObject({
          of: { projectId: earlier },
          reason: '框架协议下的另一个项目',
          point: 'import',
        });

        // The list of imports shows this one, done.
        await page.goto(`${system.url}/imports`);
        const listedImport = page.locator(`tr[data-row-key="${importId}"]`);
        await listedImport.getByText('已完成').waitFor();
        await listedImport.getByText('吴导入').waitFor();
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );
});
