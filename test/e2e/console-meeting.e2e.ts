import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { blockedLead, signedLongAgo } from '../support/agenda-projects';
import { ApiClient } from '../support/api';
import {
  collectErrors,
  SCREENSHOTS,
  screenshot,
  seriousAccessibilityViolations,
  VIEWPORTS,
  startConsole,
  stopConsole,
} from '../support/browser';
import type { TestSystem } from '../support/system';

// 南昌市 / 东湖区: regions no other test writes to, so the agenda asserted here holds this file's projects.
const CITY = '360100';
const COUNTY = '360102';

let system: TestSystem;
let browser: Browser;
beforeAll(async () => ({ system, browser } = await startConsole()), 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

const run = randomUUID().slice(0, 6);

interface AgendaItem {
  projectId: string;
  light: string;
  reasons: { kind: string; kindLabel: string; detail: string }[];
}

/** A browser tab signed in as this caller (the token put where the console keeps it). */
async function signedIn(
  client: ApiClient,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  await context.addInitScript(`sessionStorage.setItem('lifecycle.token', ${JSON.stringify(client.token)})`);
  const page = await context.newPage();
  return { context, page, errors: collectErrors(page) };
}

const settled = (page: Page) =>
  page.waitForFunction("!document.querySelector('.ant-spin-spinning')", undefined, { timeout: 30_000 });

describe('调度会 in the console', () => {
  let officer: ApiClient;
  let leader: ApiClient;
  let red: string;
  let green: string;
  let blocked: string;
  let agenda: AgendaItem[];

  /** The project's events as the API tells its history. */
  const eventTypes = async (id: string): Promise<string[]> =>
    ((await leader.get(`/api/projects/${id}/timeline`).expect(200)).body as { type: string }[]).map(
      (e) => e.type,
    );

  beforeAll(async () => {
    officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `officer-mt-${run}` });
    leader = new ApiClient(system, { role: 'leader', regions: [CITY], sub: `leader-mt-${run}` });
    // Signed in June 2024 and never started: its deadlines missed long ago, red and escalated.
    red = await signedLongAgo(officer, `调度${run} 红灯项目`, COUNTY);
    // Signed today: every deadline ahead, green.
    green = await officer.projectAt('signed', { name: `调度${run} 绿灯项目`, region: COUNTY });
    // A lead with a blocker whose due date passed twenty days ago.
    blocked = await blockedLead(officer, `调度${run} 堵点项目`, COUNTY, `用地指标${run}`);
    // The read model takes the workflows' lights a moment after the commands.
    for (let i = 0; i < 60; i++) {
      agenda = (await leader.get('/api/meeting-agenda').expect(200)).body.items as AgendaItem[];
      if ([red, blocked].every((id) => agenda.some((a) => a.projectId === id))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 180_000);

  it('lists red, escalated and blocked projects of the caller’s regions with why, and not the green one', async () => {
    const redItem = agenda.find((a) => a.projectId === red)!;
    expect(redItem).toMatchObject({ light: 'red' });
    // Its red deadlines escalated to rung 3 or 4: each told once, by its escalation marked red.
    expect(redItem.reasons.map((r) => r.kind)).toContain('escalated');
    expect(redItem.reasons.some((r) => r.kindLabel.startsWith('红灯 · 预警升级'))).toBe(true);
    const blockedItem = agenda.find((a) => a.projectId === blocked)!;
    expect(blockedItem.reasons).toContainEqual(
      expect.objectContaining({ kind: 'blocker_overdue', detail: `用地指标${run}(责任单位:自然资源局)` }),
    );
    expect(agenda.some((a) => a.projectId === green)).toBe(false);
    // Narrowed to another region, and read by a leader elsewhere: none of them.
    const narrowed = (await leader.get('/api/meeting-agenda?region=360103').expect(200)).body
      .items as AgendaItem[];
    expect(narrowed.some((a) => [red, blocked].includes(a.projectId))).toBe(false);
    const far = new ApiClient(system, { role: 'leader', regions: ['110105'], sub: `leader-mf-${run}` });
    const elsewhere = (await far.get('/api/meeting-agenda').expect(200)).body.items as AgendaItem[];
    expect(elsewhere.some((a) => [red, blocked].includes(a.projectId))).toBe(false);
    const bad = await leader.get('/api/meeting-agenda?region=abc').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'region' })]);
  });

  it.each(Object.entries(VIEWPORTS))(
    'shows the agenda, and prints it without the menu (%s)',
    async (_n, viewport) => {
      const { context, page, errors } = await signedIn(leader, viewport);
      try {
        await page.goto(`${system.url}/meeting`);
        const redRow = page.locator(`tr[data-row-key="${red}"]`);
        await redRow.waitFor();
        await settled(page);
        await redRow
          .getByTestId('reason-escalated')
          .getByText(/^红灯 · 预警升级/)
          .first()
          .waitFor();
        await page.locator(`tr[data-row-key="${blocked}"]`).getByText(`用地指标${run}`).waitFor();
        await expect(page.locator(`tr[data-row-key="${green}"]`).count()).resolves.toBe(0);
        // A leader records extensions; visits are the officers'.
        await expect(redRow.getByRole('button', { name: /延\s*期/ }).count()).resolves.toBe(1);
        await expect(redRow.getByRole('button', { name: '记录走访' }).count()).resolves.toBe(0);
        await screenshot(page, `meeting-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        await page.getByRole('button', { name: /打\s*印/ }).waitFor();
        await page.emulateMedia({ media: 'print' });
        // Neither the menu nor the header is on paper.
        await expect(
          page.locator('.ant-layout-sider:visible, .ant-pro-sider:visible, ul[role="menu"]:visible').count(),
        ).resolves.toBe(0);
        await expect(
          page.locator('.ant-layout-header:visible, .ant-pro-global-header:visible').count(),
        ).resolves.toBe(0);
        await expect(redRow.isVisible()).resolves.toBe(true);
        await expect(redRow.getByRole('button', { name: /延\s*期/ }).isVisible()).resolves.toBe(false);
        await expect(page.getByText('调度会议题清单').isVisible()).resolves.toBe(true);
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.pdf({ path: join(SCREENSHOTS, `meeting-print-${viewport.width}.pdf`), landscape: true });
        await screenshot(page, `meeting-print-${viewport.width}x${viewport.height}`);
        await page.emulateMedia({ media: 'screen' });
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );

  it('records a decision as an extension and as a visit, each in the project’s history', async () => {
    const head = await signedIn(leader, VIEWPORTS.desktop);
    const own = await signedIn(officer, VIEWPORTS.desktop);
    try {
      await head.page.goto(`${system.url}/meeting`);
      const row = head.page.locator(`tr[data-row-key="${red}"]`);
      await row.waitFor();
      await row.getByRole('button', { name: /延\s*期/ }).click();
      const drawer = head.page.locator('.ant-drawer-content');
      await drawer.getByLabel('延期理由').waitFor();
      await drawer.getByLabel('时限').click();
      await head.page.locator('.ant-select-dropdown .ant-select-item-option').first().click();
      const date = drawer.getByLabel('新的到期日');
      await date.click();
      await date.fill('2027-06-30');
      await date.press('Enter');
      // A reason the API refuses (invisible characters alone) is told beside its field.
      await drawer.getByLabel('延期理由').fill('\u200b');
      const refused = head.page.waitForResponse((r) => r.url().endsWith('/extensions'));
      await drawer.getByRole('button', { name: /提\s*交/ }).click();
      const refusal = await refused;
      const said = (await refusal.json()) as { errors?: { field: string }[] };
      // The domain's refusal (422) or the request's rule (400), naming the reason either way.
      expect([400, 422]).toContain(refusal.status());
      expect(said.errors?.map((e) => e.field)).toEqual([expect.stringMatching(/(^|\.)reason$/)]);
      await drawer
        .locator('.ant-form-item')
        .filter({ has: head.page.getByLabel('延期理由') })
        .locator('.ant-form-item-explain-error')
        .waitFor();
      expect(await eventTypes(red)).not.toContain('DeadlineExtended');

      await drawer.getByLabel('延期理由').fill(`调度会${run}:企业资金到位后开工`);
      const accepted = head.page.waitForResponse((r) => r.url().endsWith('/extensions'));
      await drawer.getByRole('button', { name: /提\s*交/ }).click();
      expect((await accepted).status()).toBe(200);
      await head.page.getByText('已延期').waitFor();
      expect(await eventTypes(red)).toContain('DeadlineExtended');
      expect(head.errors.filter((e) => !/status of 4(00|22)/.test(e))).toEqual([]);

      // The officer opens the same list for their county and records the visit the meeting asked for.
      await own.page.goto(`${system.url}/meeting`);
      const mine = own.page.locator(`tr[data-row-key="${red}"]`);
      await mine.waitFor();
      await mine.getByRole('button', { name: '记录走访' }).click();
      const visit = own.page.locator('.ant-drawer-content');
      await visit.getByLabel('走访情况').fill(`调度会${run}:约见企业负责人`);
      const sent = own.page.waitForResponse((r) => r.url().endsWith('/visits'));
      await visit.getByRole('button', { name: /提\s*交/ }).click();
      expect((await sent).status()).toBe(200);
      await own.page.getByText('已记录走访').waitFor();
      expect(await eventTypes(red)).toContain('ServiceVisitLogged');
      await screenshot(own.page, 'meeting-after-visit-1366x768');
      expect(await seriousAccessibilityViolations(own.page)).toEqual([]);
      expect(own.errors).toEqual([]);
    } finally {
      await head.context.close();
      await own.context.close();
    }
  }, 180_000);
});
