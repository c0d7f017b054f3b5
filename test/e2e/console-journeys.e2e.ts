import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  ApiClient,
  COUNTY,
  CREDIT_CODE,
  pdfBytes,
  PNG_BYTES,
  REGION,
  type Caller,
  uniqueTag,
} from '../support/api';
import {
  attachEvidence,
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

const OFFICER: Caller = { role: 'officer', regions: [COUNTY], sub: 'officer-journey' };
const FAR_OFFICER: Caller = { role: 'officer', regions: ['420502'], sub: 'officer-xiling' };
const LEADER: Caller = { role: 'leader', regions: [REGION], sub: 'leader-journey' };

/** A refused write is logged by the browser as a failed resource: that is the journey, not a fault. */
const EXPECTED_REFUSALS = /status of (400|403|404|412|422)/;

/** A page signed in as the caller (the token in sessionStorage, as the sign-in page leaves it). */
async function signedIn(
  caller: Caller,
  viewport: { width: number; height: number } = VIEWPORTS.desktop,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${system.url}/sign-in`);
  await page.evaluate(`sessionStorage.setItem('lifecycle.token', ${JSON.stringify(system.token(caller))})`);
  return { context, page, errors };
}

/** The project as the API has it. */
async function stageOf(id: string): Promise<string> {
  const res = await new ApiClient(system, OFFICER).get(`/api/projects/${id}`).expect(200);
  return res.body.stage.code as string;
}

/** antd spaces a two-character Chinese button label (签 约): its name, either way. */
const button = (scope: Page | Locator, label: string) =>
  scope.getByRole('button', { name: new RegExp(`^${[...label].join('\\s*')}$`) });

/** Opens an action's drawer on the project page. */
async function openAction(page: Page, label: string): Promise<void> {
  await page.getByTestId('project-actions').waitFor();
  await button(page, label).click();
  await page.locator('.ant-drawer-title', { hasText: label }).waitFor();
  // Slid in: a screenshot or an accessibility check sees the drawer where it stays.
  await page.locator('.ant-drawer-open .ant-drawer-content-wrapper:not([class*="-motion-"])').waitFor();
}

/** Submits the open drawer's form. */
const submit = (page: Page, label = '提交') => button(page.locator('.ant-drawer-open'), label).click();

async function expectStage(page: Page, label: string): Promise<void> {
  try {
    await page
      .getByTestId('project-stage')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .waitFor();
  } catch (e) {
    // Say what the page shows instead: the stage it is in and any refusal on screen.
    const shown = await page
      .locator('[data-testid=project-stage], [role=alert], .ant-form-item-explain-error')
      .allTextContents();
    throw new Error(`the page is not at ${label}: it shows ${JSON.stringify(shown)} (${String(e)})`);
  }
}

/** Fills the registration form and submits it; answers the new project's id. */
async function registerThroughForm(page: Page, name: string): Promise<string> {
  await page.getByLabel('项目名称').fill(name);
  // An investor of its own: the journeys' two projects, alike in name, are not one counted twice.
  await page.getByLabel('投资方', { exact: true }).fill(`湖北某某新材料有限公司${uniqueTag()}`);
  await page.getByLabel('投资方类型').click();
  await page.locator('.ant-select-item-option[title="民营"]').click();
  await page.getByLabel('上市公司').check();
  // From another province: its funds count as 实际利用省外资金.
  await page.getByLabel('投资方来源地').fill('广东');
  await page.locator('.ant-select-item-option[title="广东省"]').click();
  await page.getByLabel('产业链').fill('新材料');
  await page.getByLabel('园区').fill('宜昌高新区');
  await page.getByLabel('计划总投资(万元)').fill('15000.5');
  await page.getByLabel('线索来源').fill('以商招商');
  await button(page, '登记').click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

describe('the console journeys', () => {
  const tag = `旅程${randomUUID().slice(0, 8)}`;
  let projectId = '';

  it('an officer registers a lead in the form and carries it to 开工, a refused credit code corrected on the way', async () => {
    const { context, page, errors } = await signedIn(OFFICER);
    try {
      await page.goto(`${system.url}/projects`);
      await button(page, '登记线索').click();
      await page.waitForURL(/\/projects\/new$/);
      // The region picker names the officer's county; it is the only choice, so it is chosen.
      await page.getByText('宜昌市 / 夷陵区').first().waitFor();
      await screenshot(page, 'register-1366x768');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      projectId = await registerThroughForm(page, `${tag} 锂电池正极材料项目`);
      await expectStage(page, '线索');
      const registered = (await new ApiClient(system, OFFICER).get(`/api/projects/${projectId}`).expect(200))
        .body;
      // 15000.5 万元, exactly, in yuan; the region the picker held.
      expect(registered).toMatchObject({
        plannedInvestment: '150005000.00',
        region: COUNTY,
        investor: { type: 'private', flags: ['listed'], origin: '440000' },
        park: '宜昌高新区',
      });

      await openAction(page, '签约');
      await page.getByLabel('合同投资额(万元)').fill('20000');
      await page.getByLabel('合同编号').fill('HT-2025-J01');
      await screenshot(page, 'project-form-1366x768');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await submit(page);
      await expectStage(page, '签约');

      // A code whose check character is wrong: refused at its field in the domain's words, nothing recorded.
      await openAction(page, '落地');
      await page.getByLabel('统一社会信用代码').fill(`${CREDIT_CODE.slice(0, 17)}7`);
      await page.getByLabel('地块编号').fill('YC-2025-17');
      await attachEvidence(
        page,
        '土地出让合同或成交确认书或厂房租赁合同',
        '出让合同.pdf',
        pdfBytes('出让合同'),
      );
      const refused = page.waitForResponse(
        (r) => r.url().endsWith('/transitions') && r.request().method() === 'POST',
      );
      await submit(page);
      expect((await refused).status()).toBe(400);
      const creditItem = page.locator('.ant-form-item', { has: page.getByLabel('统一社会信用代码') });
      await creditItem.getByText('统一社会信用代码校验位不符').waitFor();
      expect(await stageOf(projectId)).toBe('signed');

      await page.getByLabel('统一社会信用代码').fill(CREDIT_CODE);
      await submit(page);
      await expectStage(page, '落地');
      expect(await stageOf(projectId)).toBe('landed');

      await openAction(page, '开工');
      await page.getByLabel('施工许可证编号').fill('420506202501010101');
      await attachEvidence(page, '开工现场照片（桩基施工）或施工许可证', '桩基施工.png', PNG_BYTES);
      await submit(page);
      await expectStage(page, '开工');
      expect(await stageOf(projectId)).toBe('started');
      expect(errors.filter((e) => !EXPECTED_REFUSALS.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('an officer of another county sees it neither in the 台账 nor by its address', async () => {
    expect(projectId).not.toBe('');
    const { context, page, errors } = await signedIn(FAR_OFFICER);
    try {
      const listed = page.waitForResponse((r) => r.url().includes('/api/projects?'));
      await page.goto(`${system.url}/projects?q=${encodeURIComponent(tag)}`);
      expect((await listed).status()).toBe(200);
      await page.locator('.ant-table-placeholder').waitFor();
      await expect(page.getByRole('row', { name: new RegExp(tag) }).count()).resolves.toBe(0);

      await page.goto(`${system.url}/projects/${projectId}`);
      await page.getByText('无法查看该项目').waitFor();
      await expect(page.getByText(`${tag} 锂电池正极材料项目`).count()).resolves.toBe(0);
      await screenshot(page, 'project-not-readable-1366x768');
      expect(errors.filter((e) => !EXPECTED_REFUSALS.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('a leader drops it and reopens it, and it returns to 开工', async () => {
    expect(projectId).not.toBe('');
    const { context, page, errors } = await signedIn(LEADER);
    try {
      await page.goto(`${system.url}/projects/${projectId}`);
      await expectStage(page, '开工');
      // A leader is offered no stage's form, only the drop.
      await expect(button(page, '投产').count()).resolves.toBe(0);
      await openAction(page, '终止');
      await page.getByLabel('终止原因').fill('企业战略调整,暂缓投资');
      await submit(page, '确认终止');
      await expectStage(page, '终止');
      expect(await stageOf(projectId)).toBe('dropped');

      await openAction(page, '重新启动');
      await page.getByLabel('重新启动原因').fill('企业重新确认投资计划');
      await submit(page, '确认重新启动');
      await expectStage(page, '开工');
      expect(await stageOf(projectId)).toBe('started');
      expect(errors.filter((e) => !EXPECTED_REFUSALS.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('two browsers on one project: the second one’s write is told of the first one’s change, and goes through after 刷新', async () => {
    const officer = new ApiClient(system, OFFICER);
    const { id } = await officer.register({ name: `${tag} 并发项目` });
    const first = await signedIn(OFFICER);
    const second = await signedIn({ ...OFFICER, sub: 'officer-journey-2' });
    try {
      await first.page.goto(`${system.url}/projects/${id}`);
      await second.page.goto(`${system.url}/projects/${id}`);
      await expectStage(first.page, '线索');
      await expectStage(second.page, '线索');

      // The second officer fills in the contract while the first records the talks.
      await openAction(second.page, '签约');
      await second.page.getByLabel('合同投资额(万元)').fill('30000');
      await second.page.getByLabel('合同编号').fill('HT-2025-J02');
      await openAction(first.page, '在谈');
      await submit(first.page);
      await expectStage(first.page, '在谈');

      const stale = second.page.waitForResponse((r) => r.url().endsWith('/transitions'));
      await submit(second.page);
      expect((await stale).status()).toBe(412);
      await second.page.getByText('该项目已被他人修改').waitFor();
      expect(await stageOf(id)).toBe('negotiating');

      await button(second.page, '刷新').click();
      await expectStage(second.page, '在谈');
      // The form kept what was typed.
      await expect(second.page.getByLabel('合同编号').inputValue()).resolves.toBe('HT-2025-J02');
      await submit(second.page);
      await expectStage(second.page, '签约');
      const signed = (await officer.get(`/api/projects/${id}`).expect(200)).body;
      expect(signed).toMatchObject({ stage: { code: 'signed' }, contractInvestment: '300000000.00' });
      expect(signed.evidence.contractNumber).toBe('HT-2025-J02');
      for (const { errors } of [first, second])
        expect(errors.filter((e) => !EXPECTED_REFUSALS.test(e))).toEqual([]);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  }, 90_000);

  it('registers a lead at a phone’s width, and opens a form there', async () => {
    const { context, page, errors } = await signedIn(OFFICER, VIEWPORTS.phone);
    try {
      await page.goto(`${system.url}/projects/new`);
      await page.getByLabel('项目名称').waitFor();
      await screenshot(page, 'register-390x844');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      const id = await registerThroughForm(page, `${tag} 手机登记项目`);
      await expectStage(page, '线索');
      expect(await stageOf(id)).toBe('lead');

      await openAction(page, '签约');
      await page.getByLabel('合同编号').waitFor();
      await screenshot(page, 'project-form-390x844');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(errors.filter((e) => !EXPECTED_REFUSALS.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
