import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, type Caller } from '../support/api';
import {
  collectErrors,
  screenshot,
  seriousAccessibilityViolations,
  startConsole,
  stopConsole,
  VIEWPORTS,
} from '../support/browser';
import { dashboardSeeds, seedDashboard } from '../support/dashboard-portfolio';
import type { TestSystem } from '../support/system';

// Codes no other test uses (4388xx, 4387xx are not real divisions).
const CITY = '438800';
const COUNTY_A = '438801';
const COUNTY_B = '438802';
const OTHER_COUNTY = '438701';
const AS_OF = '2025-06-30';

let system: TestSystem;
let browser: Browser;
const tag = `dshc${randomBytes(3).toString('hex')}`;
const LEADER: Caller = { role: 'leader', regions: [CITY], sub: `leader-${tag}` };

beforeAll(async () => {
  ({ system, browser } = await startConsole());
  await seedDashboard(system.dataSource, tag, dashboardSeeds(COUNTY_A, COUNTY_B, OTHER_COUNTY));
  const leader = new ApiClient(system, LEADER);
  await leader
    .write(
      `/api/targets/2025/${COUNTY_A}`,
      { targets: { signed_projects: 4, started_projects: 2 }, reason: '驾驶舱页面测试' },
      { method: 'put' },
    )
    .expect(200);
}, 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

async function signedIn(viewport: {
  width: number;
  height: number;
}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  await context.addInitScript(
    `sessionStorage.setItem('lifecycle.token', ${JSON.stringify(system.token(LEADER))})`,
  );
  const page = await context.newPage();
  return { context, page, errors: collectErrors(page) };
}

/** The 台账's 合计 after following a link: the number of projects it lists. */
async function ledgerTotal(page: Page, href: string): Promise<number> {
  await page.goto(`${system.url}${href}`);
  const total = page.getByTestId('ledger-total-count');
  await total.waitFor();
  const text = (await total.textContent()) ?? '';
  const match = /合计\s*(\d+)\s*个项目/.exec(text);
  if (!match) throw new Error(`no total in "${text}" at ${href}`);
  return Number(match[1]);
}

/** One figure of each chart (and the lists' totals): its shown count and where its link goes. */
const FIGURES = [
  'figure-projects',
  'figure-red',
  'figure-major',
  'figure-funnel-started',
  'figure-funnel-lead',
  'figure-lights-red',
  'figure-lights-green',
  'figure-cohorts-2024-all-signed',
  'figure-cohorts-2025-industrial-started',
  'figure-funds-2025-03',
  'figure-funds-2024-03',
];

describe('领导驾驶舱 in the console', () => {
  it.each(Object.entries(VIEWPORTS))(
    'shows each figure with a link to the 台账 listing as many projects, and the targets as the progress route words them (%s)',
    async (_key, viewport) => {
      const { context, page, errors } = await signedIn(viewport);
      try {
        await page.goto(`${system.url}/dashboard?asOf=${AS_OF}`);
        await page.getByTestId('dashboard-scope').getByText(`截至 ${AS_OF}`).waitFor();
        for (const id of ['funnel', 'lights', 'cohorts', 'funds', 'targets']) {
          await page.getByTestId(`chart-${id}`).locator('svg').first().waitFor();
        }
        await screenshot(page, `dashboard-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        // Nothing wider than the screen but the tables' own scrolling.
        // Source text: this file is compiled without the DOM's types.
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow).toBeLessThanOrEqual(1);

        const progress = await new ApiClient(system, LEADER).get(`/api/progress?asOf=${AS_OF}`).expect(200);
        const expected = (
          progress.body.regions as { region: string; metrics: { completionPercent: string }[] }[]
        ).find((r) => r.region === COUNTY_A)!.metrics[0].completionPercent;
        await expect(page.getByTestId('target-percent').first().textContent()).resolves.toBe(`${expected}%`);
        const targetLink = page.getByTestId('target-signed_projects').first();
        const targetCount = Number(await targetLink.getAttribute('data-count'));
        const targetHref = (await targetLink.getAttribute('href'))!;

        const links: { id: string; count: number; href: string }[] = [];
        for (const id of FIGURES) {
          const link = page.getByTestId(id);
          links.push({
            id,
            count: Number(await link.getAttribute('data-count')),
            href: (await link.getAttribute('href'))!,
          });
        }
        expect(links.find((l) => l.id === 'figure-projects')!.count).toBe(6);

        // A click on the funnel's drawing opens the 台账 of the stage clicked.
        await page.goto(`${system.url}/dashboard?asOf=${AS_OF}`);
        const funnel = page.getByTestId('chart-funnel');
        await funnel.locator('svg').first().waitFor();
        const slice = funnel.locator('path:not([fill="none"])').first();
        await slice.waitFor();
        const box = (await slice.boundingBox())!;
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        await page.waitForURL(/\/projects\?/);
        const opened = new URL(page.url());
        // The slice clicked is one stage's: the 台账 of that stage alone, on the dashboard's day.
        expect([...opened.searchParams.keys()]).toEqual(['stage', 'stageOn']);
        expect(opened.searchParams.get('stageOn')).toBe(AS_OF);
        expect(['lead', 'negotiating', 'signed', 'landed', 'started', 'in_stats', 'producing']).toContain(
          opened.searchParams.get('stage'),
        );

        for (const { id, count, href } of [
          ...links,
          { id: 'target', count: targetCount, href: targetHref },
        ]) {
          expect({ id, total: await ledgerTotal(page, href) }).toEqual({ id, total: count });
        }
        await screenshot(page, `dashboard-ledger-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    300_000,
  );

  it('keeps the region and date picked in the URL', async () => {
    const { context, page, errors } = await signedIn(VIEWPORTS.desktop);
    try {
      await page.goto(`${system.url}/dashboard?asOf=${AS_OF}&region=${COUNTY_B}`);
      await page.getByTestId('dashboard-scope').getByText(`截至 ${AS_OF}`).waitFor();
      await expect(page.getByTestId('figure-projects').getAttribute('data-count')).resolves.toBe('2');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
