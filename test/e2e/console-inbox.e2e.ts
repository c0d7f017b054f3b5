import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, COUNTY, daysAgo, evidence, OTHER_REGION, REGION } from '../support/api';
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
beforeAll(async () => ({ system, browser } = await startConsole()), 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

const run = randomUUID().slice(0, 6);

interface InboxAlert {
  id: string;
  kind: string;
  projectName: string;
  rule: string | null;
  ruleLabel: string;
  rung: number;
  addressee: { kind: string; label: string };
  light: { code: string; label: string };
  acknowledgedAt: string | null;
}

/** The caller's inbox for one project, once `ready` holds (the timers record alerts just after a command). */
async function inboxFor(
  client: ApiClient,
  projectId: string,
  ready: (items: InboxAlert[]) => boolean,
): Promise<InboxAlert[]> {
  for (let i = 0; i < 150; i++) {
    const res = await client.get(`/api/alerts?projectId=${projectId}`).expect(200);
    const items = res.body.items as InboxAlert[];
    if (ready(items)) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  const last = await client.get(`/api/alerts?projectId=${projectId}`);
  throw new Error(`the inbox of ${client.caller.sub} never got there: ${JSON.stringify(last.body)}`);
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

/** Opens 我的待办 and waits for its list to be read. */
async function openInbox(page: Page, search = ''): Promise<void> {
  const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/alerts');
  await page.goto(`${system.url}/inbox${search}`);
  expect((await listed).status()).toBe(200);
  await page.locator('.ant-table').waitFor();
  await page.waitForFunction("!document.querySelector('.ant-spin-spinning')");
}

describe('我的待办 in the console', () => {
  it("shows an escalation in the addressed leader's 待办 only, and keeps its acknowledgement after a reload", async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `officer-in-${run}` });
    const colleague = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `officer-ic-${run}` });
    const leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: `leader-in-${run}` });
    const farLeader = new ApiClient(system, {
      role: 'leader',
      regions: [OTHER_REGION],
      sub: `leader-if-${run}`,
    });
    // Signed 125 days ago at 1.5 亿 without a chief officer: 明确首席服务官 is long overdue, escalated to the leaders.
    const name = `待办${run} 智能装备项目`;
    const { id } = await officer.register({ leadDate: daysAgo(130), name });
    await officer.command(id, '/transitions', { ...evidence('signed'), contractDate: daysAgo(125) });
    // Overdue for months when entered, the alert is told as it fell due: raised to the officer, then
    // escalated rung by rung to the ladder's top, rung 4, the 主要领导.
    const items = await inboxFor(leader, id, (xs) => xs.some((x) => x.rung === 4));
    const escalation = items.find((x) => x.rung === 4)!;
    expect(escalation).toMatchObject({
      projectName: name,
      rule: 'chief_officer_after_signing',
      ruleLabel: '亿元以上项目签约后5个工作日内明确首席服务官',
      light: { code: 'red', label: '红灯' },
      addressee: { kind: 'principal_leader' },
      acknowledgedAt: null,
    });

    const { context, page, errors } = await signedIn(leader, VIEWPORTS.desktop);
    try {
      await openInbox(page);
      const row = page.locator(`tr[data-row-key="${escalation.id}"]`);
      await row.waitFor();
      for (const text of [name, '督办升级', escalation.ruleLabel, '第 4 级', '主要领导', '红灯', '未办结']) {
        await expect(row.getByText(text, { exact: true }).first().isVisible()).resolves.toBe(true);
      }
      await expect(row.getByRole('link', { name }).getAttribute('href')).resolves.toBe(`/projects/${id}`);
      await screenshot(page, 'inbox-1366x768');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Acknowledged from the row: the button gives way to the date, and a reload keeps it.
      const acknowledged = page.waitForResponse((r) =>
        r.url().endsWith(`/api/alerts/${escalation.id}/acknowledgement`),
      );
      await row.getByRole('button', { name: `确认 ${name} ${escalation.ruleLabel}` }).click();
      const sent = await acknowledged;
      expect(sent.status()).toBe(200);
      expect(sent.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      await row.getByTestId('acknowledged').waitFor();
      await page.reload();
      await row.getByTestId('acknowledged').waitFor();
      await expect(row.getByRole('button').count()).resolves.toBe(0);
      const after = await leader.get(`/api/alerts?projectId=${id}`).expect(200);
      const stored = (after.body.items as InboxAlert[]).find((x) => x.id === escalation.id)!;
      expect(stored.acknowledgedAt).toEqual(expect.any(String));

      // The filter the route offers, held in the URL: the acknowledged list has it, the unacknowledged not.
      await openInbox(page, '?status=acknowledged');
      await row.waitFor();
      await openInbox(page, '?status=unacknowledged');
      await expect(row.count()).resolves.toBe(0);
      await expect(
        page.getByRole('row', { name: new RegExp(`待办${run}`) }).count(),
      ).resolves.toBeGreaterThan(0);

      await page.setViewportSize(VIEWPORTS.phone);
      await openInbox(page);
      await row.waitFor();
      await screenshot(page, 'inbox-390x844');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    // Not in another officer's 待办, nor in a leader's of another region.
    for (const other of [colleague, farLeader]) {
      const tab = await signedIn(other, VIEWPORTS.desktop);
      try {
        await openInbox(tab.page);
        await expect(tab.page.getByRole('row', { name: new RegExp(`待办${run}`) }).count()).resolves.toBe(0);
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.context.close();
      }
    }
  }, 150_000);
});
