import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ApiClient, COUNTY, evidence, pdfBytes, PNG_BYTES, type Caller } from '../support/api';
import {
  attachEvidence,
  collectErrors,
  screenshot,
  seriousAccessibilityViolations,
  startConsole,
  stopConsole,
  VIEWPORTS,
} from '../support/browser';
import type { TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
beforeAll(async () => ({ system, browser } = await startConsole()), 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

const OFFICER: Caller = { role: 'officer', regions: [COUNTY], sub: `officer-${randomUUID()}` };
const AUDITOR: Caller = { role: 'auditor', regions: [], sub: `auditor-${randomUUID()}` };

/** Refusals the journey provokes are logged by the browser as failed resources. */
const EXPECTED_REFUSALS = /status of (400|403|404|412|422)/;

async function signedIn(caller: Caller): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: VIEWPORTS.desktop,
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${system.url}/sign-in`);
  await page.evaluate(`sessionStorage.setItem('lifecycle.token', ${JSON.stringify(system.token(caller))})`);
  return { context, page, errors };
}

const button = (scope: Page | Locator, label: string) =>
  scope.getByRole('button', { name: new RegExp(`^${[...label].join('\\s*')}$`) });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const DOCUMENTS = ['备案或核准文件', '施工合同', '现场照片（带日期）', '营业执照'] as const;

describe('evidence on the project page', () => {
  it('asks 入统 for its four documents beside each slot, uploads them, and lists and downloads them', async () => {
    const officer = new ApiClient(system, OFFICER);
    const id = await officer.projectAt('started');
    const { context, page, errors } = await signedIn(OFFICER);
    try {
      await page.goto(`${system.url}/projects/${id}`);
      await page.getByTestId('project-actions').waitFor();
      await button(page, '入统').click();
      const drawer = page.locator('.ant-drawer-open');
      await drawer.locator('.ant-drawer-content-wrapper:not([class*="-motion-"])').waitFor();
      await page.getByLabel('项目统计代码').fill('TJ-420506-0099');

      // Sent without the files: each slot says what it lacks, and nothing is sent.
      let posted = 0;
      page.on('request', (r) => {
        if (r.url().endsWith('/transitions') && r.method() === 'POST') posted++;
      });
      await button(drawer, '提交').click();
      for (const label of DOCUMENTS) await drawer.getByText(`请上传${label}`).waitFor();
      expect(posted).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      const contract = pdfBytes(`施工合同 ${randomUUID()}`);
      await attachEvidence(page, '备案或核准文件', '备案证.pdf', pdfBytes(`备案 ${randomUUID()}`));
      await attachEvidence(page, '施工合同', '施工合同.pdf', contract);
      await attachEvidence(page, '现场照片（带日期）', '现场.png', PNG_BYTES);
      await attachEvidence(page, '营业执照', '营业执照.pdf', pdfBytes(`执照 ${randomUUID()}`));
      await screenshot(page, 'evidence-slots-1366x768');
      await button(drawer, '提交').click();
      await page
        .getByTestId('project-stage')
        .filter({ hasText: /^入统$/ })
        .waitFor();

      const card = page.getByTestId('project-evidence');
      for (const name of ['备案证.pdf', '施工合同.pdf', '现场.png', '营业执照.pdf']) {
        await card.getByRole('button', { name }).waitFor();
      }
      await card.getByText(sha256(contract).slice(0, 12)).waitFor();
      // The site photo shows as a thumbnail the API made.
      await card.getByRole('img', { name: '现场.png 缩略图' }).waitFor();
      const download = page.waitForEvent('download');
      await card.getByRole('button', { name: '施工合同.pdf' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('施工合同.pdf');
      expect(sha256(await readFile(await file.path()))).toBe(sha256(contract));
      await screenshot(page, 'evidence-card-1366x768');
      expect(errors.filter((e) => !EXPECTED_REFUSALS.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows an auditor a file altered behind the engine’s back, in red, on the project’s history', async () => {
    const officer = new ApiClient(system, OFFICER);
    const id = await officer.projectAt('signed');
    const bytes = pdfBytes(`出让合同 ${randomUUID()}`);
    const fileId = await officer.upload('出让合同.pdf', bytes);
    await officer.command(id, '/transitions', {
      ...evidence('landed'),
      files: [{ fileId, slot: 'land_document' }],
    });
    const [content] = await system.dataSource.query<{ chunks_id: string }[]>(
      `SELECT chunks_id FROM file_contents WHERE sha256 = $1`,
      [sha256(bytes)],
    );
    await system.dataSource.query(`UPDATE file_chunks SET bytes = $2 WHERE chunks_id = $1 AND seq = 0`, [
      content.chunks_id,
      Buffer.from('%PDF-1.4 forged'),
    ]);

    const { context, page, errors } = await signedIn(AUDITOR);
    try {
      await page.goto(`${system.url}/projects/${id}/history`);
      const findings = page.getByTestId('file-findings');
      await findings.waitFor();
      expect(await findings.innerText()).toContain('出让合同.pdf');
      expect(await findings.innerText()).toContain('证明材料内容与事件记录的哈希不符');
      expect(await findings.getAttribute('class')).toContain('ant-alert-error');
      await screenshot(page, 'evidence-file-altered-1366x768');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
