import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, COUNTY, evidence, OTHER_REGION, REGION } from '../support/api';
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
const OFFICER = `officer-sv-${run}`;
const LEADER = `leader-sv-${run}`;
const OFFICER_NAME = `赵专员${run}`;
const LEADER_NAME = `钱领导${run}`;

interface Item {
  itemId: string;
  projectId: string;
  rule: string;
  status: { code: string; label: string };
  ownerName: string | null;
  availableSteps: { to: string; label: string }[];
  steps: { to: string; actorId: string; actorName: string | null; note: string | null }[];
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

/** Waits until no antd spinner is showing: the page has its data. */
const settled = (page: Page) => page.waitForFunction("!document.querySelector('.ant-spin-spinning')");

/** A status to list by: the radio button's label, which a user clicks (the input itself is hidden). */
const statusChoice = (page: Page, label: string) =>
  page.getByRole('radiogroup', { name: '状态' }).locator('label').filter({ hasText: label });

/** Opens the item's page and waits for it to show the item at `status`. */
async function openItem(page: Page, itemId: string, status: string): Promise<void> {
  await page.goto(`${system.url}/supervision/${itemId}`);
  await page.getByTestId('item-status').filter({ hasText: status }).waitFor();
}

/** The buttons of the steps this page offers, by their labels (antd spaces two-character labels). */
async function offeredSteps(page: Page): Promise<string[]> {
  const cards = page.locator('[data-testid^="step-"]');
  const labels = await cards.locator('button[type="submit"]').allTextContents();
  return labels.map((l) => l.replace(/\s/g, ''));
}

/** Takes the step offered on the page with a note, and waits for the item to show its new status. */
async function takeStep(page: Page, to: string, label: string, note: string): Promise<void> {
  const card = page.getByTestId(`step-${to}`);
  await card.getByLabel(`${label}说明`).fill(note);
  const sent = page.waitForResponse((r) => r.url().endsWith('/steps') && r.request().method() === 'POST');
  await card.getByRole('button', { name: new RegExp(label.split('').join('\\s*')) }).click();
  const answer = await sent;
  expect(answer.status()).toBe(200);
  expect(answer.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  await page.getByTestId('item-status').filter({ hasText: label }).waitFor();
}

describe('督办 in the console', () => {
  let officer: ApiClient;
  let leader: ApiClient;
  let item: Item;
  let projectName: string;

  beforeAll(async () => {
    const admin = new ApiClient(system, { role: 'admin', regions: [REGION], sub: `admin-sv-${run}` });
    await admin
      .write('/api/people', { personId: OFFICER, name: OFFICER_NAME, role: 'officer', regions: [COUNTY] })
      .expect(201);
    await admin
      .write('/api/people', { personId: LEADER, name: LEADER_NAME, role: 'leader', regions: [REGION] })
      .expect(201);
    officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: OFFICER });
    leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: LEADER });
    // Signed in June 2024 and never started: 回头看 of 2025Q3 opens a 督办 item on it (beside the
    // items of the deadlines it missed since, each told on the day it fell due).
    projectName = `督办${run} 新能源项目`;
    const id = await officer.projectAt('lead', { leadDate: '2024-05-01', name: projectName });
    await officer.command(id, '/transitions', { ...evidence('signed'), contractDate: '2024-06-01' });
    await leader.write('/api/reviews', { quarter: '2025Q3' }).expect(200);
    const items = await officer.get('/api/supervision-items?quarter=2025Q3').expect(200);
    item = (items.body.items as Item[]).find(
      (i) => i.projectId === id && i.rule === 'signed_over_a_year_not_started',
    )!;
    expect(item).toMatchObject({
      status: { code: 'issued', label: '下发' },
      ownerName: OFFICER_NAME,
      availableSteps: [{ to: 'acknowledged', label: '签收' }],
    });
    const asLeader = await leader.get(`/api/supervision-items/${item.itemId}`).expect(200);
    expect(asLeader.body.availableSteps).toEqual([]);
  }, 120_000);

  it.each(Object.entries(VIEWPORTS))(
    'lists the items by status, with project and owner (%s)',
    async (_n, viewport) => {
      const { context, page, errors } = await signedIn(officer, viewport);
      try {
        await page.goto(`${system.url}/supervision`);
        const row = page.locator(`tr[data-row-key="${item.itemId}"]`);
        await row.waitFor();
        await settled(page);
        for (const text of [projectName, OFFICER_NAME, '签约超过一年未开工', '下发', '签收', '2025Q3']) {
          await expect(row.getByText(text, { exact: true }).first().isVisible()).resolves.toBe(true);
        }
        await screenshot(page, `supervision-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // Each status a choice, held in the URL: the item is under 下发 and not under 办结.
        await statusChoice(page, '办结').click();
        await page.waitForURL(/status=closed/);
        await settled(page);
        // Other files' items may be 办结 in this county too (the shared database): this one leaves the list.
        await row.waitFor({ state: 'detached' });
        await expect(row.count()).resolves.toBe(0);
        await statusChoice(page, '下发').click();
        await page.waitForURL(/status=issued/);
        await row.waitFor();
        await row.getByRole('link', { name: '签约超过一年未开工' }).click();
        await page.waitForURL(new RegExp(`/supervision/${item.itemId}$`));
        await page.getByTestId('item-status').filter({ hasText: '下发' }).waitFor();
        await settled(page);
        await screenshot(page, `supervision-item-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    90_000,
  );

  it('is taken through every step by those who may take each, and offers no step to anyone else', async () => {
    const owner = await signedIn(officer, VIEWPORTS.desktop);
    const head = await signedIn(leader, VIEWPORTS.desktop);
    const far = await signedIn(
      new ApiClient(system, { role: 'leader', regions: [OTHER_REGION], sub: `leader-sf-${run}` }),
      VIEWPORTS.desktop,
    );
    try {
      // 签收 is the owner's: the leader's page offers nothing while the item waits for it.
      await openItem(head.page, item.itemId, '下发');
      await settled(head.page);
      await expect(offeredSteps(head.page)).resolves.toEqual([]);

      await openItem(owner.page, item.itemId, '下发');
      // A note the API refuses (invisible characters alone) is shown at its field, and nothing is recorded.
      const first = owner.page.getByTestId('step-acknowledged');
      await first.getByLabel('签收说明').fill('\u200b');
      const refusedNote = owner.page.waitForResponse((r) => r.url().endsWith('/steps'));
      await first.getByRole('button', { name: /签\s*收/ }).click();
      expect((await refusedNote).status()).toBe(400);
      // Told in Chinese beside the field (the API's rule, storableText, says it in English).
      await first.locator('.ant-form-item-explain-error').filter({ hasText: '不能为空白' }).waitFor();
      const unchanged = (await officer.get(`/api/supervision-items/${item.itemId}`).expect(200)).body as Item;
      expect(unchanged.status.code).toBe('issued');
      const nul = await officer
        .write(`/api/supervision-items/${item.itemId}/steps`, { to: 'acknowledged', note: 'a\u0000b' })
        .expect(400);
      expect(nul.body.errors).toEqual([expect.objectContaining({ field: 'note' })]);

      const course: [string, string][] = [
        ['acknowledged', '签收'],
        ['in_hand', '办理'],
        ['reported', '反馈'],
      ];
      for (const [to, label] of course) {
        await expect(offeredSteps(owner.page)).resolves.toEqual([label]);
        await takeStep(owner.page, to, label, `${label}:${run}`);
        const stored = (await officer.get(`/api/supervision-items/${item.itemId}`).expect(200)).body as Item;
        expect(stored.status.code).toBe(to);
        expect(stored.steps.at(-1)).toMatchObject({
          to,
          actorId: OFFICER,
          actorName: OFFICER_NAME,
          note: `${label}:${run}`,
        });
      }
      // Reported: 复核 is a leader's, so the owner is offered nothing more.
      await expect(offeredSteps(owner.page)).resolves.toEqual([]);

      await openItem(head.page, item.itemId, '反馈');
      for (const [to, label] of [
        ['checked', '复核'],
        ['closed', '办结'],
      ] as const) {
        await expect(offeredSteps(head.page)).resolves.toEqual([label]);
        await takeStep(head.page, to, label, `${label}:${run}`);
        const stored = (await leader.get(`/api/supervision-items/${item.itemId}`).expect(200)).body as Item;
        expect(stored.status.code).toBe(to);
        expect(stored.steps.at(-1)).toMatchObject({
          to,
          actorId: LEADER,
          actorName: LEADER_NAME,
          note: `${label}:${run}`,
        });
      }
      await expect(offeredSteps(head.page)).resolves.toEqual([]);
      const closed = (await leader.get(`/api/supervision-items/${item.itemId}`).expect(200)).body as Item;
      expect(closed.steps.map((s) => s.to)).toEqual([
        'issued',
        'acknowledged',
        'in_hand',
        'reported',
        'checked',
        'closed',
      ]);
      // The quarter run again after its item was closed: the review finishes, and the item stays closed.
      await leader.write('/api/reviews', { quarter: '2025Q3' }).expect(200);
      const again = (await leader.get(`/api/supervision-items/${item.itemId}`).expect(200)).body as Item;
      expect(again.status.code).toBe('closed');

      // Every step on the page: who took it (by name), when, and the note.
      const record = head.page.locator('.ant-table-tbody');
      for (const [label, name] of [
        ['签收', OFFICER_NAME],
        ['办理', OFFICER_NAME],
        ['反馈', OFFICER_NAME],
        ['复核', LEADER_NAME],
        ['办结', LEADER_NAME],
      ]) {
        const line = record.getByRole('row').filter({ hasText: `${label}:${run}` });
        await expect(line.getByText(new RegExp(`^${name}`)).count()).resolves.toBe(1);
        await expect(line.getByText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/).count()).resolves.toBe(1);
      }
      await screenshot(head.page, 'supervision-item-closed-1366x768');
      expect(await seriousAccessibilityViolations(head.page)).toEqual([]);

      // A leader of another region does not see the item at all.
      const refused = far.page.waitForResponse((r) =>
        r.url().endsWith(`/api/supervision-items/${item.itemId}`),
      );
      await far.page.goto(`${system.url}/supervision/${item.itemId}`);
      expect((await refused).status()).toBe(404);
      await far.page.getByText('无法读取督办事项').waitFor();
      // The browser's own line for the 400 the test provoked is not a fault of the console.
      expect(owner.errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
      expect(head.errors).toEqual([]);
      expect(far.errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
    } finally {
      await owner.context.close();
      await head.context.close();
      await far.context.close();
    }
  }, 120_000);
});
