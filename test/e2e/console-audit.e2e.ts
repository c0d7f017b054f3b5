import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readStream } from '../../libs/persistence/src';
import { ApiClient, today, type Caller } from '../support/api';
import {
  collectErrors,
  screenshot,
  seriousAccessibilityViolations,
  startConsole,
  stopConsole,
  VIEWPORTS,
} from '../support/browser';
import type { TestSystem } from '../support/system';

jest.setTimeout(180_000);

let system: TestSystem;
let browser: Browser;
const run = randomUUID().slice(0, 6);
const tag = `审计${run}`;
/** 兴山县: a county no other test records projects in. */
const AUDIT_REGION = '420526';
const OFFICER: Caller = { role: 'officer', regions: [AUDIT_REGION], sub: `officer-console-audit-${run}` };
const AUDITOR: Caller = { role: 'auditor', regions: [], sub: `auditor-console-audit-${run}` };
const ADMIN: Caller = { role: 'admin', regions: [], sub: `admin-console-audit-${run}` };
let officer: ApiClient;
let auditor: ApiClient;
let admin: ApiClient;

interface HistoryEvent {
  version: number;
  type: string;
  recordedAt: string;
}

beforeAll(async () => {
  ({ system, browser } = await startConsole());
  officer = new ApiClient(system, OFFICER);
  auditor = new ApiClient(system, AUDITOR);
  admin = new ApiClient(system, ADMIN);
}, 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

async function signedIn(
  caller: Caller,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  // China's time zone: the pickers and the times the page shows are in it.
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  await context.addInitScript(
    `sessionStorage.setItem('lifecycle.token', ${JSON.stringify(system.token(caller))})`,
  );
  const page = await context.newPage();
  return { context, page, errors: collectErrors(page) };
}

const history = async (id: string) =>
  (await auditor.get(`/api/projects/${id}/history`).expect(200)).body as HistoryEvent[];

/** An instant as the record-time picker takes it, in China's time zone, to the second. */
const pickerText = (instant: number) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(new Date(instant));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const project = (viewport: { width: number }, what: string) =>
  officer.projectAt('signed', { region: AUDIT_REGION, name: `${tag}${viewport.width} ${what}` });

describe('the auditors’ pages', () => {
  it.each(Object.entries(VIEWPORTS))(
    'time travel shows the state known before a correction, highlighted against now (%s)',
    async (_key, viewport) => {
      const id = await project(viewport, '年产20万吨新材料项目');
      const signing = (await history(id)).find((e) => e.type === 'ProjectSigned')!;
      // The picker says seconds: the correction must come in a later second than the one picked.
      await sleep(2_100);
      await officer.command(id, '/corrections', {
        correctsVersion: signing.version,
        reason: '合同金额录入错误',
        changes: { eventType: 'ProjectSigned', contractInvestment: '180000000.00' },
      });
      const correction = (await history(id)).find((e) => e.type === 'EventCorrected')!;
      const before = pickerText(Date.parse(correction.recordedAt) - 1_000);

      const { context, page, errors } = await signedIn(AUDITOR, viewport);
      try {
        await page.goto(`${system.url}/projects/${id}`);
        await page.getByRole('link', { name: '审计轨迹' }).waitFor();
        expect(await seriousAccessibilityViolations(page, '.ant-page-header')).toEqual([]);
        await page.getByRole('link', { name: '审计轨迹' }).click();
        await page.waitForURL(`**/projects/${id}/history`);
        await page.getByTestId('chain-verdict').waitFor();
        expect(await page.getByTestId('chain-verdict').getAttribute('data-ok')).toBe('true');
        const last = page.getByTestId(`chain-link-${correction.version}`);
        expect(await last.getAttribute('data-link')).toBe('verified');
        await page.getByTestId('history-table').getByText('EventCorrected').waitFor();
        await screenshot(page, `audit-history-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        await page.getByRole('tab', { name: '时点回溯' }).click();
        const contract = page.locator('[data-field="contractInvestment"]');
        // Both default to now: nothing has changed between them.
        await contract.waitFor();
        expect(await contract.getAttribute('data-changed')).toBe('false');

        const picker = page.locator('#audit-known-at');
        await picker.click();
        await picker.fill(before);
        await picker.press('Enter');
        await page.keyboard.press('Escape');
        await page.waitForURL(/knownAt=/);
        await page.locator('[data-field="contractInvestment"][data-changed="true"]').waitFor();
        const then = page.getByTestId('then-contractInvestment').locator('[data-yuan]');
        await expect(then.getAttribute('data-yuan')).resolves.toBe('150000000.00');
        const now = page.getByTestId('now-contractInvestment').locator('[data-yuan]');
        await expect(now.getAttribute('data-yuan')).resolves.toBe('180000000.00');
        // Then and now side by side, also on a phone: now is in view without scrolling sideways.
        const box = (await now.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
        // The correction shows the value it replaced, and that it came after the instant picked.
        const corrections = page.getByTestId('corrections');
        await corrections.getByText('所选时点之后').waitFor();
        const replaced = corrections.locator('del [data-yuan]');
        await expect(replaced.getAttribute('data-yuan')).resolves.toBe('150000000.00');
        await screenshot(page, `audit-time-travel-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  // One project for both viewports: more events than a page of the history holds (20).
  let longHistory: Promise<string> | undefined;
  const projectOfPages = () =>
    (longHistory ??= (async () => {
      const id = await officer.projectAt('signed', { region: AUDIT_REGION, name: `${tag} 多页历史项目` });
      for (let i = 1; i <= 20; i++) {
        await officer.command(id, '/visits', { visitDate: today(), summary: `第${i}次走访` });
      }
      return id;
    })());

  it.each(Object.entries(VIEWPORTS))(
    'the history is read page by page from the API, each page’s chain verified (%s)',
    async (_key, viewport) => {
      const id = await projectOfPages();
      const events = await history(id);
      expect(events.length).toBeGreaterThan(20);
      const { context, page, errors } = await signedIn(AUDITOR, viewport);
      try {
        await page.goto(`${system.url}/projects/${id}/history`);
        await page.locator('[data-testid="chain-verdict"][data-ok="true"]').waitFor();
        const pager = page.getByTestId('history-pager');
        await pager.getByText(`共 ${events.length} 条事件`).waitFor();
        expect(await pager.getAttribute('data-page')).toBe('1');
        await expect(page.getByTestId('chain-link-20').getAttribute('data-link')).resolves.toBe('verified');
        await expect(page.getByTestId('chain-link-21').count()).resolves.toBe(0);

        // The next page is the API's, from the cursor the first gave: its first link checked there.
        const second = page.waitForResponse(
          (r) => r.url().includes(`/api/projects/${id}/history`) && r.url().includes('afterVersion=20'),
        );
        await pager.getByRole('button', { name: '下一页' }).click();
        expect((await second).status()).toBe(200);
        await page.locator('[data-testid="history-pager"][data-page="2"]').waitFor();
        const first = page.getByTestId('chain-link-21');
        await first.waitFor();
        expect(await first.getAttribute('data-link')).toBe('verified');
        await expect(page.getByTestId('chain-link-20').count()).resolves.toBe(0);
        await page.getByTestId('history-table').locator('tr[data-row-key="21"]').waitFor();
        await screenshot(page, `audit-history-page-2-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        await pager.getByRole('button', { name: '上一页' }).click();
        await page.locator('[data-testid="history-pager"][data-page="1"]').waitFor();
        await page.getByTestId('chain-link-1').waitFor();

        // The project page's card shows the latest twenty, and links to the whole history.
        await page.goto(`${system.url}/projects/${id}`);
        const card = page.getByTestId('project-history');
        await card.getByRole('link', { name: `最近 20 条,共 ${events.length} 条` }).waitFor();
        await expect(card.locator('.ant-timeline-item').count()).resolves.toBe(20);
        await expect(card.getByText(/LeadRegistered/).count()).resolves.toBe(0);
        await card
          .getByText(/ServiceVisitLogged/)
          .first()
          .waitFor();
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it.each(Object.entries(VIEWPORTS))(
    'verification names a tampered project’s broken link in red, and an untampered one stays green (%s)',
    async (_key, viewport) => {
      const tampered = await project(viewport, '被改写的项目');
      const intact = await project(viewport, '未改动的项目');
      const original = await readStream(system.dataSource.manager, tampered);
      // The database owner rewrites the registration without recomputing its hash (the app role could not).
      const rewrite = async (data: unknown) =>
        system.dataSource.transaction(async (m) => {
          await m.query(`ALTER TABLE events DISABLE TRIGGER USER`);
          await m.query(`UPDATE events SET data = $2::jsonb WHERE project_id = $1 AND version = 1`, [
            tampered,
            JSON.stringify(data),
          ]);
          await m.query(`ALTER TABLE events ENABLE TRIGGER USER`);
        });
      const { context, page, errors } = await signedIn(AUDITOR, viewport);
      await rewrite({ ...(original[0].data as Record<string, unknown>), name: '改写' });
      try {
        await page.goto(`${system.url}/audit`);
        // Auditors read, they do not checkpoint.
        await page.getByTestId('checkpoints').waitFor();
        await expect(page.getByRole('button', { name: /立即生成检查点/ }).count()).resolves.toBe(0);

        await page.getByRole('button', { name: /核验全部项目/ }).click();
        const report = page.getByTestId('verify-report');
        await report.waitFor();
        expect(await report.getAttribute('data-ok')).toBe('false');
        const row = page.locator(`[data-testid="verify-broken"] tr[data-project="${tampered}"]`);
        await row.waitFor();
        await row.getByText('事件内容与哈希不符').waitFor();
        expect(await row.locator('td').nth(1).innerText()).toBe('1');
        const expected = await row.locator('[data-hash]').first().getAttribute('data-hash');
        expect(expected).toBe(original[0].hash);
        await expect(
          page.locator(`[data-testid="verify-broken"] tr[data-project="${intact}"]`).count(),
        ).resolves.toBe(0);
        await screenshot(page, `audit-verify-broken-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // The untampered project alone: green.
        const select = page.getByRole('combobox', { name: '项目' });
        await select.click();
        await select.fill(`${tag}${viewport.width} 未改动`);
        // antd's visible options (its role=option list is for screen readers, and hidden).
        await page
          .locator('.ant-select-item-option', { hasText: `${tag}${viewport.width} 未改动的项目` })
          .click();
        await page.getByRole('button', { name: /核验该项目/ }).click();
        await page.locator('[data-testid="verify-report"][data-ok="true"]').waitFor();
        await page.getByText('哈希链完整:1 个项目').waitFor();

        // The broken one's history shows where its chain breaks.
        await page.goto(`${system.url}/audit`);
        await page.getByRole('button', { name: /核验全部项目/ }).click();
        // Named by the project's name, from the ledger.
        await row.getByRole('link', { name: `${tag}${viewport.width} 被改写的项目` }).click();
        await page.waitForURL(`**/projects/${tampered}/history`);
        await page.locator('[data-testid="chain-verdict"][data-ok="false"]').waitFor();
        expect(await page.getByTestId('chain-link-1').getAttribute('data-link')).toBe('broken');
        await screenshot(page, `audit-history-broken-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        // Put the history back: other files verify every chain of this database.
        await rewrite(original[0].data);
        await context.close();
      }
      const verified = await auditor.get(`/api/audit/verify?projectId=${tampered}`).expect(200);
      expect(verified.body.ok).toBe(true);
    },
  );

  it.each(Object.entries(VIEWPORTS))(
    'a checkpoint’s digest downloads and checks as valid; an altered one does not (%s)',
    async (_key, viewport) => {
      await project(viewport, '检查点项目');
      const admins = await signedIn(ADMIN, viewport);
      try {
        await admins.page.goto(`${system.url}/audit`);
        // Those who may checkpoint do so from the page: a new one heads the list.
        const before = (await auditor.get('/api/audit/checkpoints').expect(200)).body as { id: number }[];
        await admins.page.getByRole('button', { name: /立即生成检查点/ }).click();
        await admins.page.getByText('已生成检查点').waitFor({ timeout: 60_000 });
        const after = (await auditor.get('/api/audit/checkpoints').expect(200)).body as { id: number }[];
        expect(after[0].id).toBeGreaterThan(before[0]?.id ?? 0);
        await admins.page
          .locator(`[data-testid="checkpoints"] tr[data-checkpoint="${after[0].id}"]`)
          .waitFor();
        expect(admins.errors).toEqual([]);
      } finally {
        await admins.context.close();
      }
      const taken = await admin.write('/api/audit/checkpoints', undefined).expect(201);
      const checkpointId = taken.body.checkpointId as number;

      const { context, page, errors } = await signedIn(AUDITOR, viewport);
      try {
        await page.goto(`${system.url}/audit`);
        const row = page.locator(`[data-testid="checkpoints"] tr[data-checkpoint="${checkpointId}"]`);
        await row.waitFor();
        const download = page.waitForEvent('download');
        await row.getByRole('button', { name: `下载检查点 ${checkpointId} 的摘要` }).click();
        const file = await download;
        expect(file.suggestedFilename()).toBe(`checkpoint-${checkpointId}.json`);
        const path = join(tmpdir(), `audit-${run}-${viewport.width}-${checkpointId}.json`);
        await file.saveAs(path);
        const digest = JSON.parse(await readFile(path, 'utf8')) as {
          checkpointId: number;
          merkleRoot: string;
        };
        expect(digest.checkpointId).toBe(checkpointId);

        const upload = page.locator('[data-testid="digest-upload"] input[type="file"]');
        await upload.setInputFiles(path);
        await page.locator('[data-testid="digest-verdict"][data-ok="true"]').waitFor({ timeout: 60_000 });
        await page.getByText(`摘要有效:检查点 ${checkpointId}`).waitFor();
        await screenshot(page, `audit-digest-valid-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        const altered = join(tmpdir(), `audit-${run}-${viewport.width}-${checkpointId}-altered.json`);
        await writeFile(altered, JSON.stringify({ ...digest, merkleRoot: 'f'.repeat(64) }));
        await upload.setInputFiles(altered);
        const verdict = page.locator('[data-testid="digest-verdict"][data-ok="false"]');
        await verdict.waitFor({ timeout: 60_000 });
        await verdict.getByText('摘要无效').waitFor();
        // Which part fails: the signature no longer covers what the file says.
        const signature = verdict.locator('[data-check="signature"]');
        await expect(signature.getAttribute('data-ok')).resolves.toBe('false');
        await expect(signature.innerText()).resolves.toBe('不通过');
        // Nothing to check the chains against: not shown as passed.
        await expect(verdict.locator('[data-check="chains"]').getAttribute('data-ok')).resolves.toBe(
          'unchecked',
        );
        await screenshot(page, `audit-digest-invalid-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});
