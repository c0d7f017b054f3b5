import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, evidence } from '../support/api';
import {
  collectErrors,
  screenshot,
  seriousAccessibilityViolations,
  VIEWPORTS,
  startConsole,
  stopConsole,
} from '../support/browser';
import type { TestSystem } from '../support/system';

// 金华市 / 婺城区: regions no other test writes to, so the figures asserted here are this file's own.
const CITY = '330700';
const COUNTY = '330702';
const QUARTER = '2025Q3';

let system: TestSystem;
let browser: Browser;
beforeAll(async () => {
  // The review answers 202 at once: the page must watch the run to its end itself.
  process.env.REVIEW_WAIT_MS = '0';
  ({ system, browser } = await startConsole());
}, 600_000);
afterAll(async () => {
  delete process.env.REVIEW_WAIT_MS;
  await stopConsole(system, browser);
}, 60_000);

const run = randomUUID().slice(0, 6);

interface Ratio {
  percent: string | null;
}
interface RegionRates {
  region: string;
  rates: {
    startRate: { previousYear: { all: Ratio } };
    landingRate: { previousYear: Ratio };
  };
}

/** A browser tab signed in as this caller (the token put where the console keeps it). */
async function signedIn(
  client: ApiClient,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  await context.addInitScript(`sessionStorage.setItem('lifecycle.token', ${JSON.stringify(client.token)})`);
  const page = await context.newPage();
  return { context, page, errors: collectErrors(page) };
}

/** Waits until no antd spinner is showing: the page has its data. */
const settled = (page: Page) =>
  page.waitForFunction("!document.querySelector('.ant-spin-spinning')", undefined, { timeout: 30_000 });

describe('回头看 in the console', () => {
  let officer: ApiClient;
  let leader: ApiClient;
  let projectId: string;
  const projectName = `回头看${run} 新材料项目`;

  beforeAll(async () => {
    officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `officer-rv-${run}` });
    leader = new ApiClient(system, { role: 'leader', regions: [CITY], sub: `leader-rv-${run}` });
    // Signed in June 2024 and never started: 回头看 of 2025Q3 lists it (签约超过一年未开工) and opens 督办.
    projectId = await officer.projectAt('lead', {
      leadDate: '2024-05-01',
      name: projectName,
      region: COUNTY,
    });
    await officer.command(projectId, '/transitions', { ...evidence('signed'), contractDate: '2024-06-01' });
  }, 120_000);

  it('runs a review of an ended quarter from the page, watched to its end, then reads and downloads the report', async () => {
    const { context, page, errors } = await signedIn(leader, VIEWPORTS.desktop);
    try {
      await page.goto(`${system.url}/reviews`);
      const form = page.getByTestId('run-review');
      await form.waitFor();
      await settled(page);

      // A quarter not yet ended is refused at its field, and nothing is sent (the API says the same).
      const quarter = form.getByLabel('季度');
      let posted = false;
      page.on('request', (r) => {
        if (r.url().endsWith('/api/reviews') && r.method() === 'POST') posted = true;
      });
      await quarter.fill('2999Q1');
      await form.getByRole('button', { name: '开始回头看' }).click();
      await form.locator('.ant-form-item-explain-error').filter({ hasText: '尚未结束' }).waitFor();
      expect(posted).toBe(false);
      const refused = await leader.write('/api/reviews', { quarter: '2999Q1' }).expect(422);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'quarter', rule: 'ended' })]);

      await quarter.fill(QUARTER);
      const answer = page.waitForResponse(
        (r) => r.url().endsWith('/api/reviews') && r.request().method() === 'POST',
      );
      await form.getByRole('button', { name: '开始回头看' }).click();
      const started = await answer;
      expect(started.status()).toBe(202);
      const { workflowId } = (await started.json()) as { workflowId: string };
      // Until it ends, the list shows the quarter as running.
      await page.locator(`tr[data-row-key="${QUARTER}"]`).getByText('运行中').waitFor();
      // The page asks after the run until it ends, without a reload.
      await page.waitForResponse((r) => r.url().includes('/api/reviews/runs/'), { timeout: 30_000 });
      await form
        .locator('[data-testid="run-progress"][data-status="completed"]')
        .waitFor({ timeout: 90_000 });
      await form.getByText(`${QUARTER} 回头看已完成`).waitFor();
      const row = page.locator(`tr[data-row-key="${QUARTER}"]`);
      await row.getByText(/已完成/).waitFor();
      // The run as the API tells it: a leader's to ask after, by the id it was given.
      const watched = await leader.get(`/api/reviews/runs/${workflowId}`).expect(200);
      expect(watched.body).toMatchObject({ workflowId, status: 'completed', result: { quarter: QUARTER } });
      await officer.get(`/api/reviews/runs/${workflowId}`).expect(403);
      const bad = await leader.get('/api/reviews/runs/some-other-workflow').expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'workflowId' })]);
      await leader
        .get(`/api/reviews/runs/review-${QUARTER}-00000000-0000-4000-8000-000000000000`)
        .expect(404);
      await screenshot(page, 'reviews-run-1366x768');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // The report: a rate on the page is the API's, for this region and for the reader's whole.
      await form.getByRole('link', { name: '查看报告' }).click();
      await page.waitForURL(new RegExp(`/reviews/${QUARTER}$`));
      const stored = (await leader.get(`/api/reviews/${QUARTER}`).expect(200)).body;
      const mine = (stored.report.rates.byRegion as RegionRates[]).find((g) => g.region === COUNTY)!;
      expect(mine).toBeDefined();
      const text = (r: Ratio) => (r.percent === null ? '—' : `${r.percent}%`);
      const cell = page.getByTestId(`rate-region-${COUNTY}-start-prev`);
      await cell.waitFor();
      await expect(cell.textContent()).resolves.toBe(text(mine.rates.startRate.previousYear.all));
      await expect(page.getByTestId(`rate-region-${COUNTY}-landing-prev`).textContent()).resolves.toBe(
        text(mine.rates.landingRate.previousYear),
      );
      await expect(page.getByTestId('rate-overall-start-prev').textContent()).resolves.toBe(
        text(stored.report.rates.overall.startRate.previousYear.all),
      );

      // The stalled project by rule, with its 督办 item (as the item list has it) and both links.
      const items = await officer.get(`/api/supervision-items?quarter=${QUARTER}`).expect(200);
      const item = (items.body.items as { itemId: string; projectId: string; rule: string }[]).find(
        (i) => i.projectId === projectId && i.rule === 'signed_over_a_year_not_started',
      )!;
      expect(item).toBeDefined();
      const stalled = page.locator(`tr[data-row-key="${projectId}|signed_over_a_year_not_started"]`);
      await stalled.waitFor();
      await settled(page);
      await stalled.getByText('签约超过一年未开工').waitFor();
      await expect(stalled.getByRole('link', { name: projectName }).getAttribute('href')).resolves.toBe(
        `/projects/${projectId}`,
      );
      await expect(stalled.getByRole('link', { name: '督办事项' }).getAttribute('href')).resolves.toBe(
        `/supervision/${item.itemId}`,
      );
      await stalled.getByText('下发', { exact: true }).waitFor();
      await screenshot(page, 'review-report-1366x768');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Its downloads, as the user gets them.
      const xlsxDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: /下载报告/ }).click();
      const xlsx = await xlsxDownload;
      expect(xlsx.suggestedFilename()).toMatch(new RegExp(`^回头看-${QUARTER}-r\\d+\\.xlsx$`));
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(readFileSync(await xlsx.path()) as unknown as ArrayBuffer);
      expect(book.worksheets.map((w) => w.name)).toEqual([`${QUARTER}回头看指标`, '停滞项目', '督办事项']);
      const names: string[] = [];
      book.getWorksheet('停滞项目')!.eachRow((r) => names.push(...(r.values as unknown[]).map(String)));
      expect(names).toContain(projectName);
      const csvDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: /下载停滞项目/ }).click();
      const csv = readFileSync(await (await csvDownload).path(), 'utf8');
      expect(csv.startsWith('\uFEFF项目编号,项目名称,地区')).toBe(true);
      expect(csv).toContain(projectName);
      expect(errors).toEqual([]);

      // The 督办 item the review opened is on the 督办 page of its owner.
      const owner = await signedIn(officer, VIEWPORTS.desktop);
      try {
        await owner.page.goto(`${system.url}/supervision`);
        const listed = owner.page.locator(`tr[data-row-key="${item.itemId}"]`);
        await listed.waitFor();
        await listed.getByText(projectName).waitFor();
        await listed.getByText('签约超过一年未开工').waitFor();
        expect(owner.errors).toEqual([]);
      } finally {
        await owner.context.close();
      }
    } finally {
      await context.close();
    }
  }, 240_000);

  it.each(Object.entries(VIEWPORTS))(
    'lists the reviews and reads a report (%s)',
    async (_n, viewport) => {
      const { context, page, errors } = await signedIn(leader, viewport);
      try {
        await page.goto(`${system.url}/reviews`);
        await page.locator(`tr[data-row-key="${QUARTER}"]`).waitFor();
        await settled(page);
        await screenshot(page, `reviews-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await page.goto(`${system.url}/reviews/${QUARTER}`);
        await page.locator(`tr[data-row-key="${projectId}|signed_over_a_year_not_started"]`).waitFor();
        await settled(page);
        await screenshot(page, `review-report-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );
});
