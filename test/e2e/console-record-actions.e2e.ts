import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { addDays, REFUSAL_MESSAGES } from '../../libs/domain/src';
import { ApiClient, COUNTY, REGION, today } from '../support/api';
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
const OFFICER = `officer-ra-${run}`;
const OTHER_OFFICER = `officer-rb-${run}`;
const LEADER = `leader-ra-${run}`;
const CHIEF = `chief-ra-${run}`;
const OTHER_OFFICER_NAME = `王专员${run}`;
/** The open action's drawer: what axe checks (the page behind it is dimmed by the drawer's mask). */
const OPEN_FORM = '.ant-drawer-content';

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

/** Opens an action's form from the project page's action bar; the form's drawer. */
async function openAction(page: Page, label: RegExp): Promise<Locator> {
  await page.getByTestId('project-actions').getByRole('button', { name: label }).click();
  const drawer = page.getByRole('dialog');
  await drawer.locator('form').waitFor();
  return drawer;
}

/** Types a date into an antd DatePicker, as a keyboard user does. */
async function typeDate(field: Locator, value: string): Promise<void> {
  await field.click();
  await field.fill(value);
  await field.press('Enter');
}

/** Picks an option of an antd Select: opened from its input, chosen by its text. */
async function pick(page: Page, field: Locator, option: string | RegExp, search?: string): Promise<void> {
  // The Select itself takes the click: a chosen option's text lies over its input.
  await field.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " ant-select ")][1]').click();
  if (search) await field.fill(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).click();
  // Closed before anything it covers is clicked. An option clicked while the list is still
  // sliding open can leave it open (faster than any hand): leaving the field closes it.
  const list = page.locator('.ant-select-dropdown:visible');
  if ((await list.count()) > 0) await field.press('Tab');
  await list.first().waitFor({ state: 'hidden' });
}

const submit = (drawer: Locator) => drawer.getByRole('button', { name: /提\s*交/ }).click();
/** The write was accepted: the drawer closes and the page reads the project again. */
const accepted = (page: Page) => page.getByRole('dialog').waitFor({ state: 'hidden' });

/** The browser's own line for a response the test provoked is not a fault of the console. */
const faults = (errors: string[], ...statuses: number[]) =>
  errors.filter((e) => !statuses.some((s) => e.includes(`status of ${s}`)));

describe("the project page's record actions", () => {
  let officer: ApiClient;
  let leader: ApiClient;
  beforeAll(async () => {
    const admin = new ApiClient(system, { role: 'admin', regions: [REGION], sub: `admin-ra-${run}` });
    const people = [
      { personId: OFFICER, name: `李记录${run}`, role: 'officer', regions: [COUNTY] },
      { personId: OTHER_OFFICER, name: OTHER_OFFICER_NAME, role: 'officer', regions: [COUNTY] },
      { personId: LEADER, name: `赵领导${run}`, role: 'leader', regions: [REGION] },
      { personId: CHIEF, name: `钱首席${run}`, role: 'chief_officer', regions: [REGION] },
    ];
    for (const person of people) await admin.write('/api/people', person).expect(201);
    officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: OFFICER });
    leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: LEADER });
  });

  const project = async (id: string) => (await officer.get(`/api/projects/${id}`).expect(200)).body;

  it('refuses a bad amount at its field on a phone, recording nothing', async () => {
    const id = await officer.projectAt('signed', { name: `手机资金${run} 项目` });
    const { context, page, errors } = await signedIn(officer, VIEWPORTS.phone);
    try {
      await page.goto(`${system.url}/projects/${id}`);
      const drawer = await openAction(page, /录入到位资金/);
      await typeDate(drawer.getByLabel('到位月份'), today().slice(0, 7));
      // Not an amount at all: the form says so before anything is sent.
      await drawer.getByLabel('到位金额(万元)').fill('三千');
      await submit(drawer);
      await drawer.getByText(/请输入以万元计的金额/).waitFor();
      // An amount the domain refuses: nothing has arrived yet, so nothing can be taken off.
      await drawer.getByLabel('到位金额(万元)').fill('-100');
      await submit(drawer);
      const amountItem = drawer.locator('.ant-form-item', { has: page.getByLabel('到位金额(万元)') });
      await amountItem.getByText(REFUSAL_MESSAGES.FUNDS_TOTAL_NEGATIVE.zh).waitFor();
      await screenshot(page, 'record-funds-refused-390x844');
      expect(await seriousAccessibilityViolations(page, OPEN_FORM)).toEqual([]);
      const after = await project(id);
      expect(after.fundsArrived).toEqual([]);
      expect(after.fundsArrivedTotal).toBe('0.00');
      expect(faults(errors, 422)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('lets an officer record and correct funds, correct a contract number, raise and resolve a blocker, log a visit and assign a 服务专员 by name', async () => {
    const id = await officer.projectAt('signed', { name: `记录操作${run} 项目` });
    const { context, page, errors } = await signedIn(officer, VIEWPORTS.desktop);
    try {
      await page.goto(`${system.url}/projects/${id}`);
      const month = today().slice(0, 7);

      // 到位资金: a refused amount first, then the right one, in 万元 and sent as exact yuan.
      let drawer = await openAction(page, /录入到位资金/);
      await typeDate(drawer.getByLabel('到位月份'), month);
      await drawer.getByLabel('到位金额(万元)').fill('-100');
      await submit(drawer);
      await drawer.getByText(REFUSAL_MESSAGES.FUNDS_TOTAL_NEGATIVE.zh).waitFor();
      expect((await project(id)).fundsArrived).toEqual([]);
      await screenshot(page, 'record-funds-1366x768');
      expect(await seriousAccessibilityViolations(page, OPEN_FORM)).toEqual([]);
      await drawer.getByLabel('到位金额(万元)').fill('3000.5');
      await drawer.getByLabel('备注').fill('首期设备款');
      await submit(drawer);
      await accepted(page);
      expect((await project(id)).fundsArrived).toEqual([
        expect.objectContaining({ month, amount: '30005000.00' }),
      ]);

      // 更正: the funds entry, picked from the project's events and starting from its values; then
      // the contract number of the signing. Nothing is edited: each is a new event.
      drawer = await openAction(page, /更\s*正/);
      await pick(page, drawer.getByLabel('更正的记录'), /到位资金/);
      await expect(drawer.getByLabel('到位金额(万元)').inputValue()).resolves.toBe('3000.5');
      await drawer.getByLabel('到位金额(万元)').fill('3200');
      await drawer.getByLabel('更正理由').fill('银行回单金额有误');
      await screenshot(page, 'record-correction-1366x768');
      expect(await seriousAccessibilityViolations(page, OPEN_FORM)).toEqual([]);
      await submit(drawer);
      await accepted(page);
      const corrected = await project(id);
      expect(corrected.fundsArrived).toEqual([expect.objectContaining({ month, amount: '32000000.00' })]);
      expect(corrected.fundsArrivedTotal).toBe('32000000.00');

      drawer = await openAction(page, /更\s*正/);
      await pick(page, drawer.getByLabel('更正的记录'), /签约/);
      await drawer.getByLabel('合同编号').fill('HT-2025-089');
      await drawer.getByLabel('更正理由').fill('合同编号录入错误');
      await submit(drawer);
      await accepted(page);
      expect((await project(id)).evidence).toMatchObject({ contractNumber: 'HT-2025-089' });

      // 堵点: raised with its department, then resolved by picking it.
      drawer = await openAction(page, /登记堵点/);
      await pick(page, drawer.getByLabel('堵点类别'), '用地');
      await drawer.getByLabel('问题描述').fill('用地指标尚未落实');
      await drawer.getByLabel('责任部门').fill('市自然资源和规划局');
      await drawer.getByRole('radio', { name: '协办' }).check();
      await screenshot(page, 'record-blocker-1366x768');
      expect(await seriousAccessibilityViolations(page, OPEN_FORM)).toEqual([]);
      // A double click records one blocker: the form sends once, under one Idempotency-Key.
      await drawer.getByRole('button', { name: /提\s*交/ }).dblclick();
      await accepted(page);
      const blockers = (await project(id)).blockers;
      expect(blockers).toHaveLength(1);
      const [raised] = blockers;
      expect(raised).toMatchObject({
        category: 'land',
        description: '用地指标尚未落实',
        responsibleDepartment: '市自然资源和规划局',
        departmentRole: 'co_handling',
        resolution: null,
      });

      drawer = await openAction(page, /解决堵点/);
      await pick(page, drawer.getByLabel('堵点'), '用地指标尚未落实');
      await drawer.getByLabel('解决情况').fill('已调剂用地指标');
      await submit(drawer);
      await accepted(page);
      expect((await project(id)).blockers).toEqual([
        expect.objectContaining({ blockerId: raised.blockerId, resolution: '已调剂用地指标' }),
      ]);

      // 走访, while someone else changes the project: the 412 is told, 刷新 keeps what was typed.
      drawer = await openAction(page, /记录走访/);
      await drawer.getByLabel('走访情况').fill('现场协调水电接入');
      await officer.command(id, '/visits', { visitDate: today(), summary: '电话回访' });
      await submit(drawer);
      await drawer.getByText('该项目已被他人修改').waitFor();
      await drawer.getByRole('button', { name: /刷\s*新/ }).click();
      await drawer.getByText('该项目已被他人修改').waitFor({ state: 'hidden' });
      await expect(drawer.getByLabel('走访情况').inputValue()).resolves.toBe('现场协调水电接入');
      await submit(drawer);
      await accepted(page);
      const visited = await project(id);
      expect(visited.serviceVisits).toBe(2);
      expect(visited.lastVisitDate).toBe(today());

      // 指派服务专员: picked by name from the directory, sent as the person's id.
      drawer = await openAction(page, /指派服务专员/);
      await pick(page, drawer.getByLabel('服务专员'), `${OTHER_OFFICER_NAME} · 服务专员`, OTHER_OFFICER_NAME);
      await drawer.getByLabel('调整原因').fill('工作调整');
      await screenshot(page, 'record-assignment-1366x768');
      expect(await seriousAccessibilityViolations(page, OPEN_FORM)).toEqual([]);
      await submit(drawer);
      await accepted(page);
      expect((await project(id)).serviceOfficerId).toBe(OTHER_OFFICER);

      expect(faults(errors, 412, 422)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('lets a leader extend an open deadline, and offers an officer no 延期', async () => {
    const id = await officer.projectAt('signed', { name: `延期${run} 项目` });
    const before = await project(id);
    const deadline = before.deadlines[0];
    expect(deadline).toBeDefined();
    const newDueDate = addDays(deadline.dueDate, 30);

    const asOfficer = await signedIn(officer, VIEWPORTS.desktop);
    try {
      await asOfficer.page.goto(`${system.url}/projects/${id}`);
      await asOfficer.page
        .getByTestId('project-actions')
        .getByRole('button', { name: /登记堵点/ })
        .waitFor();
      await expect(
        asOfficer.page
          .getByTestId('project-actions')
          .getByRole('button', { name: /延\s*期/ })
          .count(),
      ).resolves.toBe(0);
    } finally {
      await asOfficer.context.close();
    }

    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
      const { context, page, errors } = await signedIn(leader, viewport);
      try {
        await page.goto(`${system.url}/projects/${id}`);
        const drawer = await openAction(page, /延\s*期/);
        await pick(page, drawer.getByLabel('时限'), deadline.ruleLabel);
        await screenshot(page, `record-extension-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page, OPEN_FORM)).toEqual([]);
        if (viewport === VIEWPORTS.phone) {
          await drawer.getByRole('button', { name: /取\s*消/ }).click();
          await page.getByRole('dialog').waitFor({ state: 'hidden' });
          expect(errors).toEqual([]);
          continue;
        }
        await typeDate(drawer.getByLabel('新的到期日'), newDueDate);
        await drawer.getByLabel('延期理由').fill('用地手续办理中,经研究同意延期');
        await submit(drawer);
        await accepted(page);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }
    const extended = (await project(id)).deadlines.find((d: { id: string }) => d.id === deadline.id);
    expect(extended).toMatchObject({ dueDate: newDueDate, extended: true });
  }, 180_000);

  it('lets a leader name the 首席服务官 and the 包保领导, both picked by name', async () => {
    const id = await officer.projectAt('signed', { name: `首席${run} 项目` });
    const { context, page, errors } = await signedIn(leader, VIEWPORTS.desktop);
    try {
      await page.goto(`${system.url}/projects/${id}`);
      const drawer = await openAction(page, /指派首席服务官/);
      // Only chief officers are offered as 首席服务官: the county's officer is not.
      const chief = drawer.getByLabel('首席服务官');
      await chief.click();
      await chief.fill(`李记录${run}`);
      await page.locator('.ant-select-dropdown:visible').getByText('名录中没有符合条件的人员').waitFor();
      await chief.fill('');
      await pick(page, chief, `钱首席${run} · 首席服务官`, `钱首席${run}`);
      await pick(page, drawer.getByLabel('包保领导'), `赵领导${run} · 分管领导`, `赵领导${run}`);
      await screenshot(page, 'record-chief-assignment-1366x768');
      expect(await seriousAccessibilityViolations(page, OPEN_FORM)).toEqual([]);
      await submit(drawer);
      await accepted(page);
      expect(await project(id)).toMatchObject({ chiefServiceOfficerId: CHIEF, guaranteeLeaderId: LEADER });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
