import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { foldEvents, makeEvent, toWanYuan } from '@app/domain';
import { projectRowFromState, stableUuid, upsertProjectRow } from '@app/persistence';
import { leadRegistered } from '../../libs/domain/src/testing/fixtures';
import { metricFigure } from '../../apps/web/src/pages/targets/figures';
import { ApiClient, type Caller } from '../support/api';
import {
  collectErrors,
  screenshot,
  seriousAccessibilityViolations,
  startConsole,
  stopConsole,
  VIEWPORTS,
} from '../support/browser';
import type { TestSystem } from '../support/system';

// Codes no other test uses (4391xx is not a real division), so rows other files write never fall here.
const CITY = '439100';
/** One county per viewport, so that each run's edits are its own. */
const COUNTY: Record<keyof typeof VIEWPORTS, string> = { desktop: '439101', phone: '439102' };
const YEAR = 2024;
const MONTH = '2024-06';

let system: TestSystem;
let browser: Browser;
const run = randomUUID().slice(0, 6);
const LEADER: Caller = { role: 'leader', regions: [CITY], sub: `leader-targets-${run}` };
const OFFICER: Caller = { role: 'officer', regions: [COUNTY.desktop], sub: `officer-targets-${run}` };

const TARGETS = {
  signed_projects: 4,
  signed_amount: '500000000.00',
  new_signed_100m_projects: 2,
  funds_outside_province: '60000000.00',
};

/** Two signed projects a county, one with funds from 广东 (省外). */
async function seed(county: string, i: number): Promise<void> {
  const projects = [
    {
      contract: '150000000.00',
      signed: '2024-02-01',
      origin: '440300',
      funds: { '2024-03': '30000000.00', '2024-05': '0.01' },
    },
    { contract: '99999999.99', signed: '2024-04-01', origin: '430100', funds: { '2024-04': '5000.00' } },
  ];
  for (const [j, p] of projects.entries()) {
    // A UUID, as every project id is (the 督办 items a review opens on it say so).
    const projectId = stableUuid('console-targets', run, String(i), String(j));
    const state = foldEvents([
      makeEvent('LeadRegistered', '2023-10-01', {
        ...leadRegistered.data,
        projectId,
        name: `目标页测试项目 ${run} ${i}-${j}`,
        investor: { ...leadRegistered.data.investor, origin: p.origin },
        region: county,
        plannedInvestment: p.contract,
        leadDate: '2023-10-01',
      }),
    ]);
    await upsertProjectRow(system.dataSource.manager, {
      ...projectRowFromState(state, '2024-07-01T00:00:00.000Z'),
      stage: 'signed',
      contract_investment: p.contract,
      signed_date: p.signed,
      signing_year: 2024,
    });
    for (const [month, amount] of Object.entries(p.funds)) {
      await system.dataSource.query(
        `INSERT INTO project_funds (project_id, month, amount) VALUES ($1, $2, $3)`,
        [projectId, month, amount],
      );
    }
  }
}

beforeAll(async () => {
  ({ system, browser } = await startConsole());
  const admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-targets-${run}` });
  await admin
    .write('/api/people', { personId: LEADER.sub, name: '吴领导', role: 'leader', regions: [CITY] })
    .expect(201);
  for (const [i, county] of Object.values(COUNTY).entries()) {
    await seed(county, i);
    await new ApiClient(system, LEADER)
      .write(
        `/api/targets/${YEAR}/${county}`,
        { targets: TARGETS, reason: '年度目标责任书' },
        { method: 'put' },
      )
      .expect(200);
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

/** The reason the test leaves out on purpose is refused 422; the browser logs it as a failed resource. */
const EXPECTED_REFUSALS = /status of 422/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_REFUSALS.test(e));

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).innerText()).trim();

describe('目标任务 and 月度通报 in the console', () => {
  it.each(Object.entries(VIEWPORTS))(
    'a leader sees the progress route’s figures, is told a missing reason at its field, and sets a target with a reason (%s)',
    async (key, viewport) => {
      const county = COUNTY[key as keyof typeof VIEWPORTS];
      const leader = new ApiClient(system, LEADER);
      const { context, page, errors } = await signedIn(LEADER, viewport);
      try {
        await page.goto(`${system.url}/targets?year=${YEAR}&region=${county}`);
        await page.getByTestId('targets-form').waitFor();
        await page.getByText('年度目标责任书').first().waitFor();

        // Every figure as GET /api/progress gives it.
        const progress = await leader.get(`/api/progress?year=${YEAR}&region=${county}`).expect(200);
        const metrics = progress.body.regions[0].metrics as {
          metric: string;
          completionPercent: string;
          summary: string;
          actual: number | string;
        }[];
        expect(metrics.map((m) => m.metric)).toEqual(Object.keys(TARGETS));
        for (const m of metrics) {
          expect(await text(page, `completion-${m.metric}`)).toBe(`${m.completionPercent}%`);
          expect(await text(page, `assessment-${m.metric}`)).toBe(m.summary);
        }
        // 30000000.01 yuan of 省外 money, to the 分.
        expect(await text(page, 'actual-funds_outside_province')).toBe('3000.000001 万元');
        await screenshot(page, `targets-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // No reason: refused at the field, and nothing is stored.
        const before = (await leader.get(`/api/targets/${YEAR}/${county}`).expect(200)).body;
        const field = page.locator('#targets-edit_targets_funds_outside_province');
        await field.fill('6500.5');
        await page.getByText('即 6500.50 万元(65005000.00 元)').waitFor();
        await page.getByRole('button', { name: /保\s*存目标/ }).click();
        await page.locator('#targets-edit_reason_help').getByText('请填写调整原因').waitFor();
        await screenshot(page, `targets-reason-refused-${viewport.width}x${viewport.height}`);
        expect((await leader.get(`/api/targets/${YEAR}/${county}`).expect(200)).body).toEqual(before);

        // With a reason: stored, and the history says who, when, why, old → new.
        await page.locator('#targets-edit_reason').fill(`追加任务 ${viewport.width}`);
        await page.getByRole('button', { name: /保\s*存目标/ }).click();
        await page.getByRole('status').getByText('目标已保存').waitFor();
        const history = page.getByTestId('targets-history');
        await history.getByText(`追加任务 ${viewport.width}`).waitFor();
        const row = history.locator('tr', { hasText: `追加任务 ${viewport.width}` });
        expect(await row.innerText()).toContain('实际利用省外资金:6000.00 万元 → 6500.50 万元');
        expect(await row.innerText()).toContain(`吴领导(${LEADER.sub})`);
        const after = (await leader.get(`/api/targets/${YEAR}/${county}`).expect(200)).body;
        expect(after.targets.funds_outside_province).toBe('65005000.00');
        expect(after.history[0]).toMatchObject({
          reason: `追加任务 ${viewport.width}`,
          changedBy: LEADER.sub,
        });
        // The page's percentage follows the progress route's after the change too.
        const again = await leader.get(`/api/progress?year=${YEAR}&region=${county}`).expect(200);
        const outside = again.body.regions[0].metrics.find(
          (m: { metric: string }) => m.metric === 'funds_outside_province',
        );
        await page
          .getByTestId('completion-funds_outside_province')
          .getByText(`${outside.completionPercent}%`)
          .waitFor();
        await screenshot(page, `targets-saved-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        // Put back for the next run of this file against the same database.
        await leader
          .write(`/api/targets/${YEAR}/${county}`, { targets: TARGETS, reason: '恢复' }, { method: 'put' })
          .expect(200);
        expect(unexpected(errors)).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );

  it.each(Object.entries(VIEWPORTS))(
    'an officer reads the targets and their history but has no form to change them (%s)',
    async (_key, viewport) => {
      const { context, page, errors } = await signedIn(OFFICER, viewport);
      try {
        await page.goto(`${system.url}/targets?year=${YEAR}&region=${COUNTY.desktop}`);
        await page.getByTestId('target-signed_projects').getByText('4 个').waitFor();
        await page.getByTestId('targets-history').getByText('年度目标责任书').first().waitFor();
        expect(await page.getByTestId('targets-form').count()).toBe(0);
        expect(await page.getByRole('button', { name: /保\s*存目标/ }).count()).toBe(0);
        await screenshot(page, `targets-officer-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it.each(Object.entries(VIEWPORTS))(
    'the bulletin shows the API’s ranking, wording and figures, and downloads the same as xlsx (%s)',
    async (_key, viewport) => {
      const leader = new ApiClient(system, LEADER);
      const { context, page, errors } = await signedIn(LEADER, viewport);
      try {
        await page.goto(`${system.url}/bulletins?month=${MONTH}&region=${CITY}`);
        const bulletin = (await leader.get(`/api/bulletins/${MONTH}?region=${CITY}`).expect(200)).body as {
          timeProgressPercent: string;
          rankingRule: string;
          regions: {
            region: string;
            rank: number | null;
            scorePoints: string | null;
            assessment: string;
            metrics: {
              metric: string;
              label: string;
              target: number | string;
              actual: number | string;
              completionPercent: string | null;
              summary: string;
            }[];
          }[];
        };
        expect(bulletin.regions.map((r) => r.region).sort()).toEqual(Object.values(COUNTY).sort());
        await page.getByTestId(`score-${bulletin.regions[0].region}`).waitFor();
        expect(await text(page, 'bulletin-time-progress')).toBe(bulletin.timeProgressPercent);
        expect(await text(page, 'bulletin-rule')).toBe(`排名规则:${bulletin.rankingRule}`);
        const ranking = page.getByTestId('bulletin-ranking');
        const rows = ranking.locator('tbody tr[data-row-key]');
        expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row-key')))).toEqual(
          bulletin.regions.map((r) => r.region),
        );
        for (const r of bulletin.regions) {
          expect(await text(page, `score-${r.region}`)).toBe(r.scorePoints ?? '—');
          expect(await text(page, `assessment-${r.region}`)).toBe(r.assessment);
          const row = ranking.locator(`tr[data-row-key="${r.region}"]`);
          for (const m of r.metrics) await row.getByText(m.summary, { exact: true }).waitFor();
          for (const m of r.metrics) {
            const kind = typeof m.target === 'number' ? 'count' : 'amount';
            const id = `${r.region}-${m.metric}`;
            expect(await text(page, `target-${id}`)).toBe(metricFigure(kind, m.target));
            expect(await text(page, `actual-${id}`)).toBe(metricFigure(kind, m.actual));
            expect(await text(page, `completion-${id}`)).toBe(
              m.completionPercent === null ? '—' : `${m.completionPercent}%`,
            );
          }
        }
        await screenshot(page, `bulletin-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        const download: Promise<Download> = page.waitForEvent('download');
        await page.getByRole('button', { name: /下载 xlsx/ }).click();
        const file = await download;
        expect(file.suggestedFilename()).toBe(`招商引资目标任务通报-${MONTH}.xlsx`);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load((await readFile(await file.path())) as unknown as ExcelJS.Buffer);
        const sheet = workbook.worksheets[0];
        const headers = (sheet.getRow(2).values as unknown[]).slice(1);
        const first = bulletin.regions[0];
        const row = sheet.getRow(3);
        expect(row.getCell(headers.indexOf('地区') + 1).value).toBe(first.region);
        expect(row.getCell(headers.indexOf('超/落后时序进度(百分点)') + 1).value).toBe(
          Number(first.scorePoints),
        );
        const outside = first.metrics.find((m) => m.metric === 'funds_outside_province')!;
        expect(row.getCell(headers.indexOf('实际利用省外资金(万元) 完成') + 1).value).toBe(
          Number(toWanYuan(String(outside.actual), 6)),
        );
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );
});
