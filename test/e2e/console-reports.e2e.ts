import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { isoWeekOf } from '../../libs/domain/src/periods';
import { readLedger } from '../../libs/ledger/src';
import { ApiClient, COUNTY, REGION, evidence, today, type Caller } from '../support/api';
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
const tag = `报表${run}`;
const OFFICER: Caller = { role: 'officer', regions: [COUNTY], sub: `officer-reports-${run}` };
const LEADER: Caller = { role: 'leader', regions: [REGION], sub: `leader-reports-${run}` };
let officer: ApiClient;
/** Per viewport: an earlier signed project, and a lead of another investor. */
const seeded: Record<
  string,
  { signed: string; lead: string; investor: string; name: string; contract: string }
> = {};

/** The likely-duplicate answer is the journey, not a fault; the browser logs it as a failed resource. */
const EXPECTED_REFUSALS = /status of 409/;

beforeAll(async () => {
  ({ system, browser } = await startConsole());
  const admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-reports-${run}` });
  await admin
    .write('/api/people', { personId: OFFICER.sub, name: '孙报表', role: 'officer', regions: [COUNTY] })
    .expect(201);
  await admin
    .write('/api/people', { personId: LEADER.sub, name: '周领导', role: 'leader', regions: [REGION] })
    .expect(201);
  officer = new ApiClient(system, OFFICER);
  for (const [key, viewport] of Object.entries(VIEWPORTS)) {
    const investor = `${tag}${viewport.width}储能科技有限公司`;
    const name = `${tag}${viewport.width} 年产10GWh储能电池项目`;
    const contract = `HT-${tag}-${viewport.width}`;
    const signed = await officer.projectAt('lead', {
      name,
      investor: { name: investor, type: 'private', flags: [] },
      plannedInvestment: '500000000.00',
    });
    await officer.command(signed, '/transitions', {
      ...evidence('signed'),
      contractNumber: contract,
      contractInvestment: '600000000.00',
    });
    const lead = await officer.projectAt('lead', {
      name: `${tag}${viewport.width} 物流园项目`,
      investor: { name: `${tag}${viewport.width}物流有限公司`, type: 'private', flags: [] },
      industrial: false,
      plannedInvestment: '80000000.00',
    });
    seeded[key] = { signed, lead, investor, name, contract };
  }
}, 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

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

/** antd spaces a two-character Chinese button label (导 出): its name, either way. */
const button = (scope: Page | Locator, label: string) =>
  scope.getByRole('button', { name: new RegExp(`^${[...label].join('\\s*')}$`) });

/** Clicks and answers the file the browser downloaded. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
  const download: Promise<Download> = page.waitForEvent('download');
  await click();
  const file = await download;
  const path = await file.path();
  return { name: file.suggestedFilename(), body: await readFile(path) };
}

const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_REFUSALS.test(e));

describe('导出, 报表 and 疑似重复 in the console', () => {
  it.each(Object.entries(VIEWPORTS))(
    '导出 downloads the 台账 of the page’s filters, in the layout the import reads (%s)',
    async (key, viewport) => {
      const { context, page, errors } = await signedIn(OFFICER, viewport);
      try {
        const q = encodeURIComponent(`${tag}${viewport.width}`);
        await page.goto(`${system.url}/projects?q=${q}`);
        await page.locator(`tr[data-row-key="${seeded[key].signed}"]`).waitFor();
        await page.locator(`tr[data-row-key="${seeded[key].lead}"]`).waitFor();
        await screenshot(page, `ledger-export-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // Every project of the filter.
        const all = await downloaded(page, () => page.getByRole('button', { name: /导\s*出$/ }).click());
        expect(all.name).toMatch(/\.xlsx$/);
        const allRows = await ledgerNames(all.body);
        expect(allRows.sort()).toEqual([seeded[key].name, `${tag}${viewport.width} 物流园项目`].sort());

        // The URL's stage filter too: only the signed project, with its contract as the API has it.
        await page.goto(`${system.url}/projects?q=${q}&stage=signed`);
        await page.locator(`tr[data-row-key="${seeded[key].signed}"]`).waitFor();
        await page.locator(`tr[data-row-key="${seeded[key].lead}"]`).waitFor({ state: 'detached' });
        const signed = await downloaded(page, () => page.getByRole('button', { name: /导\s*出$/ }).click());
        const sheet = await readLedger(signed.body, signed.name);
        expect(sheet.rows).toHaveLength(1);
        const cell = (header: RegExp) => {
          const at = sheet.headers.findIndex((h) => header.test(h));
          expect(at).toBeGreaterThanOrEqual(0);
          return sheet.rows[0].cells[at];
        };
        expect(cell(/^项目名称$/)).toBe(seeded[key].name);
        expect(cell(/^合同编号$/)).toBe(seeded[key].contract);
        expect(cell(/^投资方$/)).toBe(seeded[key].investor);
        expect(unexpected(errors)).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it.each(Object.entries(VIEWPORTS))(
    '报表 shows this week’s and this month’s forms with the new signing, and downloads the workbook (%s)',
    async (key, viewport) => {
      const { context, page, errors } = await signedIn(OFFICER, viewport);
      try {
        await page.goto(`${system.url}/reports`);
        const progress = page.getByTestId('report-progress');
        const row = progress.locator('tr', { hasText: seeded[key].name });
        await row.waitFor();
        await row.getByText('新签约').waitFor();
        await expect(row.locator('[data-yuan]').getAttribute('data-yuan')).resolves.toBe('600000000.00');
        await page.getByTestId('report-red').getByText('红灯项目').first().waitFor();
        await page.getByTestId('report-stale').getByText('30日未更新').first().waitFor();
        await page.getByTestId('report-period').getByText(/周报/).waitFor();
        await screenshot(page, `reports-weekly-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // The workbook of the same form.
        const week = isoWeekOf(today());
        const weekly = await downloaded(page, () => page.getByRole('button', { name: /下载 xlsx/ }).click());
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(weekly.body as unknown as ArrayBuffer);
        expect(book.worksheets.map((w) => w.name)).toEqual(
          expect.arrayContaining(['本期进展', '红灯项目', '30日未更新']),
        );
        const progressText = JSON.stringify(book.getWorksheet('本期进展')!.getSheetValues());
        expect(progressText).toContain(seeded[key].name);

        // 月报 for the month, through the form; the URL keeps it.
        await page.getByText('月报', { exact: true }).click();
        await page.getByRole('button', { name: /查\s*询/ }).click();
        await page.waitForURL(/kind=monthly/);
        expect(new URL(page.url()).searchParams.get('period')).toBe(today().slice(0, 7));
        await page.getByTestId('report-period').getByText(/月报/).waitFor();
        await progress.locator('tr', { hasText: seeded[key].name }).getByText('新签约').waitFor();
        await screenshot(page, `reports-monthly-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(week).toMatch(/^\d{4}-W\d{2}$/);
        expect(unexpected(errors)).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it.each(Object.entries(VIEWPORTS))(
    'registering the same investor’s similar project asks for a confirmation naming the earlier one; 取消 keeps the form, the reason is recorded and the pair listed for leaders (%s)',
    async (key, viewport) => {
      const { context, page, errors } = await signedIn(OFFICER, viewport);
      let newId = '';
      try {
        await page.goto(`${system.url}/projects/new`);
        await page.getByLabel('项目名称').fill(seeded[key].name);
        await page.getByLabel('投资方', { exact: true }).fill(seeded[key].investor);
        await page.getByLabel('投资方类型').click();
        await page.locator('.ant-select-item-option[title="民营"]').click();
        await page.getByLabel('产业链').fill('新能源');
        await page.getByLabel('计划总投资(万元)').fill('50000');
        await page.getByLabel('线索来源').fill('集中签约');
        await button(page, '登记').click();

        const modal = page.locator('.ant-modal-content', { hasText: '疑似重复项目' });
        await modal.waitFor();
        const earlier = modal.getByTestId('likely-duplicate');
        await earlier.getByRole('link', { name: seeded[key].name }).waitFor();
        await earlier.getByText('投资方相同且项目名称相近').waitFor();
        await expect(
          earlier.getByRole('link', { name: seeded[key].name }).getAttribute('href'),
        ).resolves.toBe(`/projects/${seeded[key].signed}`);
        await page.locator('.ant-modal-wrap:not([class*="-motion-"]) .ant-modal').waitFor();
        await screenshot(page, `register-duplicate-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page, '.ant-modal-wrap')).toEqual([]);

        // 取消: nothing registered, the form as typed.
        await button(modal, '取消').click();
        await modal.waitFor({ state: 'hidden' });
        // Until its closing motion ends the dialog still holds the page: wait for it to be gone.
        await page.locator('.ant-modal-wrap[class*="-motion-"]').waitFor({ state: 'detached' });
        await expect(page.getByLabel('项目名称').inputValue()).resolves.toBe(seeded[key].name);
        await expect(page.getByLabel('计划总投资(万元)').inputValue()).resolves.toBe('50000');
        expect(page.url()).toMatch(/\/projects\/new$/);

        // Again, with a reason: a reason is required first.
        await button(page, '登记').click();
        await modal.waitFor();
        await page.locator('.ant-modal-wrap:not([class*="-motion-"]) .ant-modal').waitFor();
        await button(modal, '确认不是重复').click();
        await modal.getByText('请填写理由').waitFor();
        const reason = `${tag} 二期项目,另签合同`;
        await modal.getByLabel('不是重复的理由').fill(reason);
        const created = page.waitForResponse(
          (r) => new URL(r.url()).pathname === '/api/projects' && r.request().method() === 'POST',
        );
        await button(modal, '确认不是重复').click();
        expect((await created).status()).toBe(201);
        await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
        newId = new URL(page.url()).pathname.split('/').pop()!;
        expect(newId).not.toBe(seeded[key].signed);
        expect(unexpected(errors)).toEqual([]);
      } finally {
        await context.close();
      }

      // A leader sees the pair: both projects linked, the match, the reason, who confirmed it.
      const leaderPage = await signedIn(LEADER, viewport);
      try {
        const { page } = leaderPage;
        await page.goto(`${system.url}/duplicates`);
        const row = page.locator('tr', { hasText: `${tag} 二期项目,另签合同` }).filter({
          has: page.locator(`a[href="/projects/${newId}"]`),
        });
        await row.waitFor();
        await row.locator(`a[href="/projects/${seeded[key].signed}"]`).waitFor();
        await row.getByText('投资方相同且项目名称相近').waitFor();
        await row.getByText('孙报表').waitFor();
        await row.getByText('登记', { exact: true }).waitFor();
        if (viewport.width >= VIEWPORTS.desktop.width) {
          // The side menu offers the list to leaders (on a phone it is folded away).
          await page.getByRole('menuitem', { name: /疑似重复/ }).waitFor();
        }
        await screenshot(page, `duplicates-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(leaderPage.errors).toEqual([]);
      } finally {
        await leaderPage.context.close();
      }
    },
    120_000,
  );

  it('signing with a contract number already signed elsewhere asks for the confirmation and records it', async () => {
    const { context, page, errors } = await signedIn(OFFICER, VIEWPORTS.desktop);
    try {
      await page.goto(`${system.url}/projects/${seeded.desktop.lead}`);
      await page.getByTestId('project-actions').waitFor();
      await button(page, '签约').click();
      const drawer = page.locator('.ant-drawer-open');
      await drawer.getByLabel('合同投资额(万元)').fill('8000');
      await drawer.getByLabel('合同编号').fill(seeded.desktop.contract);
      await button(drawer, '提交').click();

      const modal = page.locator('.ant-modal-content', { hasText: '疑似重复项目' });
      await modal.getByRole('link', { name: seeded.desktop.name }).waitFor();
      await modal.getByText('合同编号相同').waitFor();
      await modal.getByLabel('不是重复的理由').fill('合同编号录入时与另一项目共用框架协议编号');
      const signed = page.waitForResponse(
        (r) => r.url().endsWith('/transitions') && r.request().method() === 'POST' && r.status() !== 409,
      );
      await button(modal, '确认不是重复').click();
      expect((await signed).status()).toBe(200);
      await page
        .getByTestId('project-stage')
        .filter({ hasText: /^签约$/ })
        .waitFor();

      const pairs = await new ApiClient(system, LEADER).get('/api/duplicates?limit=100').expect(200);
      expect(pairs.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            project: expect.objectContaining({ projectId: seeded.desktop.lead }),
            of: expect.objectContaining({ projectId: seeded.desktop.signed }),
            match: 'contract_number',
            point: 'signing',
          }),
        ]),
      );
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** The project names of an exported 台账, read back as the import reads it. */
async function ledgerNames(body: Buffer): Promise<string[]> {
  const sheet = await readLedger(body, 'export.xlsx');
  const at = sheet.headers.indexOf('项目名称');
  expect(at).toBeGreaterThanOrEqual(0);
  return sheet.rows.map((r) => String(r.cells[at]));
}
