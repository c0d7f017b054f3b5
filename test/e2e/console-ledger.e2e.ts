import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { amountText } from '../../apps/web/src/format';
import { ApiClient, COUNTY, evidence } from '../support/api';
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
const tag = `台账页${randomUUID().slice(0, 6)}`;
let officer: ApiClient;
const seeded: Record<'industrial' | 'other' | 'unnamed', string> = { industrial: '', other: '', unnamed: '' };

beforeAll(async () => {
  ({ system, browser } = await startConsole());

  const admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-${tag}` });
  const officerId = `officer-ledger-${randomUUID().slice(0, 6)}`;
  await admin
    .write('/api/people', { personId: officerId, name: '钱台账', role: 'officer', regions: [COUNTY] })
    .expect(201);
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: officerId });
  // Registered by someone the directory does not hold: the ledger shows their id.
  const unnamed = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `x-${tag}` });

  seeded.industrial = await officer.projectAt('lead', {
    name: `${tag} 工业项目`,
    industrial: true,
    investor: { name: '中国某某集团有限公司', type: 'central_soe', flags: ['fortune_global_500'] },
    plannedInvestment: '250000000.00',
  });
  seeded.other = await officer.projectAt('lead', {
    name: `${tag} 服务业项目`,
    industrial: false,
    investor: { name: '某某商业有限公司', type: 'private', flags: [] },
    plannedInvestment: '80000000.50',
  });
  await officer.command(seeded.other, '/transitions', {
    ...evidence('signed'),
    contractInvestment: '120000000.00',
  });
  seeded.unnamed = await unnamed.projectAt('lead', {
    name: `${tag} 另一工业项目`,
    plannedInvestment: '35000000.00',
  });
}, 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

interface Totals {
  count: number;
  plannedInvestment: string;
  contractInvestment: string;
  fundsArrived: string;
}

/** The API's own totals for a query, to compare the page's 合计 row with. */
async function apiTotals(query: string): Promise<Totals> {
  return (await officer.get(`/api/projects?${query}`).expect(200)).body.totals as Totals;
}

/** The 合计 row shows the count and each amount as the API gave it (exact yuan kept in data-yuan). */
async function expectTotalsRow(page: Page, totals: Totals): Promise<void> {
  const row = page.getByTestId('ledger-totals');
  await row.getByText(`合计 ${totals.count} 个项目`).waitFor();
  for (const yuan of [totals.plannedInvestment, totals.contractInvestment, totals.fundsArrived]) {
    await expect(row.locator(`[data-yuan="${yuan}"]`).first().textContent()).resolves.toBe(amountText(yuan));
  }
}

/** On a phone the filters past the first four are folded: open them (saying how many are in use). */
async function unfoldFilters(page: Page, viewport: { width: number }, inUse: number): Promise<void> {
  if (viewport.width >= VIEWPORTS.desktop.width) {
    await expect(page.getByRole('button', { name: /更多筛选/ }).count()).resolves.toBe(0);
    return;
  }
  await page.getByRole('button', { name: inUse ? `更多筛选 (${inUse})` : '更多筛选' }).click();
  await page.getByRole('button', { name: '收起筛选' }).waitFor();
}

/** Waits for the list of this URL's query to be read and shown. */
async function listed(page: Page, act: () => Promise<unknown>): Promise<void> {
  const response = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/projects');
  await act();
  expect((await response).status()).toBe(200);
  await page.waitForFunction("!document.querySelector('.ant-spin-spinning')");
}

describe('项目台账 in the console', () => {
  it.each(Object.entries(VIEWPORTS))(
    'filters by 工业项目 through the form, keeps it in the URL across a reload, shows the API’s 合计 and the officers’ names (%s)',
    async (_name, viewport) => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
      await context.addInitScript(
        `sessionStorage.setItem('lifecycle.token', ${JSON.stringify(officer.token)})`,
      );
      const page = await context.newPage();
      const errors = collectErrors(page);
      const q = encodeURIComponent(tag);
      try {
        await listed(page, () => page.goto(`${system.url}/projects?q=${q}`));
        const rowOf = (id: string) => page.locator(`tr[data-row-key="${id}"]`);
        for (const id of Object.values(seeded)) await rowOf(id).waitFor();
        // Names from the directory; an id it does not hold is shown as it is.
        await rowOf(seeded.industrial).getByText('钱台账').waitFor();
        await rowOf(seeded.unnamed).getByText(`x-${tag}`).waitFor();
        await rowOf(seeded.other).getByText('签约').first().waitFor();
        const all = await apiTotals(`q=${q}`);
        expect(all).toMatchObject({
          count: 3,
          plannedInvestment: '365000000.50',
          contractInvestment: '120000000.00',
        });
        await expectTotalsRow(page, all);
        // Each stage's date is a column.
        for (const title of ['线索日期', '签约日期', '开工日期', '投产日期', '首席服务官']) {
          await page.getByRole('columnheader', { name: title }).first().waitFor();
        }
        await screenshot(page, `ledger-totals-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // 工业项目 = 否 through the form.
        await unfoldFilters(page, viewport, 0);
        await page.getByLabel('工业项目').click();
        await page.locator('.ant-select-dropdown:visible').getByTitle('否').click();
        await listed(page, () => page.getByRole('button', { name: /查\s*询/ }).click());
        await page.waitForURL(/industrial=false/);
        expect(new URL(page.url()).searchParams.get('q')).toBe(tag);
        const filtered = await apiTotals(`q=${q}&industrial=false`);
        expect(filtered).toMatchObject({ count: 1, contractInvestment: '120000000.00' });
        await expectTotalsRow(page, filtered);
        await rowOf(seeded.other).waitFor();
        await expect(page.locator('tbody tr[data-row-key]').count()).resolves.toBe(1);

        // A reload (or the link) shows the same list, with the form showing the filter.
        await listed(page, () => page.reload());
        await rowOf(seeded.other).waitFor();
        await expect(page.locator('tbody tr[data-row-key]').count()).resolves.toBe(1);
        await expectTotalsRow(page, filtered);
        await unfoldFilters(page, viewport, 1);
        await expect(
          page
            .locator('.ant-form-item')
            .filter({ hasText: '工业项目' })
            .locator('.ant-select-selection-item')
            .textContent(),
        ).resolves.toBe('否');
        await screenshot(page, `ledger-filtered-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it('lets the officer hide a column, keeps the choice in this browser, and keeps the 合计 under its columns', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'zh-CN' });
    await context.addInitScript(
      `sessionStorage.setItem('lifecycle.token', ${JSON.stringify(officer.token)})`,
    );
    const page = await context.newPage();
    const errors = collectErrors(page);
    const q = encodeURIComponent(tag);
    try {
      await listed(page, () => page.goto(`${system.url}/projects?q=${q}`));
      await page.getByRole('columnheader', { name: '投资方' }).waitFor();
      await page.getByLabel('setting').click();
      await page.locator('.ant-pro-table-column-setting-list').getByText('投资方').click();
      await page.getByRole('columnheader', { name: '投资方' }).waitFor({ state: 'detached' });

      // The 合计's amounts sit under their columns: the cell under 计划投资 has the planned total.
      const all = await apiTotals(`q=${q}`);
      const headers = await page.locator('thead th').allTextContents();
      const plannedAt = headers.findIndex((h) => h.includes('计划投资'));
      const cells = page.getByTestId('ledger-totals').locator('td');
      await expect(cells.nth(plannedAt).locator('[data-yuan]').getAttribute('data-yuan')).resolves.toBe(
        all.plannedInvestment,
      );

      await listed(page, () => page.reload());
      await page.getByRole('columnheader', { name: '计划投资' }).waitFor();
      await expect(page.getByRole('columnheader', { name: '投资方' }).count()).resolves.toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
