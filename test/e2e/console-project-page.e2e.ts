import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { addDays, monthOf } from '../../libs/domain/src';
import { ApiClient, COUNTY, CREDIT_CODE, daysAgo, today } from '../support/api';
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
const run = randomUUID().slice(0, 8);
const RECORDER = `officer-pp-${run}`;
const ASSIGNEE = `officer-pp2-${run}`;
const RECORDER_NAME = `张录入${run}`;
const ASSIGNEE_NAME = `王专员${run}`;
const CONTRACT = `HT-PP-${run}`;
const PERMIT = '420500202501010101';
const signedOn = daysAgo(40);
const startedOn = daysAgo(20);
const visitedOn = daysAgo(3);
const firstMonth = monthOf(signedOn);
const thisMonth = monthOf(today());
let projectId: string;

beforeAll(async () => {
  ({ system, browser } = await startConsole());

  const admin = new ApiClient(system, { role: 'admin', regions: [], sub: `admin-pp-${run}` });
  for (const [personId, name] of [
    [RECORDER, RECORDER_NAME],
    [ASSIGNEE, ASSIGNEE_NAME],
  ])
    await admin.write('/api/people', { personId, name, role: 'officer', regions: [COUNTY] }).expect(201);

  // Below 1亿, so no 首席服务官 deadline falls due: the open deadlines stay with the service officer.
  const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: RECORDER });
  const { id } = await officer.register({
    name: `项目页${run} 新材料项目`,
    plannedInvestment: '50000000.00',
    leadDate: daysAgo(60),
  });
  projectId = id;
  const transitions = [
    { to: 'signed', contractDate: signedOn, contractInvestment: '50000000.00', contractNumber: CONTRACT },
    {
      to: 'landed',
      creditCode: CREDIT_CODE,
      companyName: '宜昌某某新材料有限公司',
      landedDate: daysAgo(30),
      site: { kind: 'land_parcel', parcelNumber: 'YC-2025-17' },
    },
    { to: 'started', startDate: startedOn, evidence: { kind: 'construction_permit', permitNumber: PERMIT } },
  ];
  for (const t of transitions) await officer.command(id, '/transitions', t);
  await officer.command(id, '/assignments', {
    position: 'service_officer',
    personId: ASSIGNEE,
    reason: '岗位调整',
  });
  await officer.command(id, '/funds', { month: firstMonth, amount: '20000000.00' });
  await officer.command(id, '/funds', { month: thisMonth, amount: '30000000.00' });
  await officer.command(id, '/blockers', {
    category: 'land',
    description: '用地指标未落实',
    responsibleDepartment: '市自然资源和规划局',
    dueDate: addDays(today(), 30),
  });
  await officer.command(id, '/visits', {
    visitDate: visitedOn,
    summary: '了解企业用工需求',
    officerId: ASSIGNEE,
  });
}, 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

describe('the project page', () => {
  it.each(Object.entries(VIEWPORTS))(
    'shows steps with evidence, deadlines by name, the timeline in Chinese, funds by month, blockers and visits (%s)',
    async (name, viewport) => {
      const reader = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: ASSIGNEE });
      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
      await context.addInitScript(
        `sessionStorage.setItem('lifecycle.token', ${JSON.stringify(reader.token)})`,
      );
      const page = await context.newPage();
      const errors = collectErrors(page);
      try {
        await page.goto(`${system.url}/projects/${projectId}`);
        await page.getByTestId('project-stage').waitFor();

        // The stepper: each step's date and evidence.
        const text = (testId: string) => page.getByTestId(testId).innerText();
        expect(await text('step-signed')).toContain(signedOn);
        expect(await text('step-signed')).toContain(`合同编号 ${CONTRACT}`);
        expect(await text('step-landed')).toContain(`信用代码 ${CREDIT_CODE}`);
        expect(await text('step-started')).toContain(startedOn);
        expect(await text('step-started')).toContain(`施工许可证 ${PERMIT}`);

        // Officers by name; every open deadline with its addressee's name.
        expect(await text('project-service-officer')).toBe(ASSIGNEE_NAME);
        const deadlines = page.getByTestId('project-deadlines');
        await deadlines.getByRole('row', { name: /开工后1个月内入统/ }).waitFor();
        expect(await deadlines.getByRole('row', { name: /开工后1个月内入统/ }).innerText()).toContain(
          `服务专员 ${ASSIGNEE_NAME}`,
        );

        // The timeline, in Chinese sentences.
        const timeline = page.getByTestId('project-timeline');
        await timeline.getByText(`${signedOn} 签约,合同投资 5000 万元,${RECORDER_NAME} 录入`).waitFor();
        await timeline
          .getByText(`服务专员由 ${RECORDER_NAME} 改为 ${ASSIGNEE_NAME}`, { exact: false })
          .waitFor();
        await timeline
          .getByText(`到位资金 3000 万元(${thisMonth}),累计 5000 万元`, { exact: false })
          .waitFor();
        await timeline.getByText('反映堵点(用地):用地指标未落实', { exact: false }).waitFor();

        // Funds by month: the chart drawn, and the same figures as text for screen readers.
        const funds = page.getByTestId('project-funds');
        await funds.getByTestId('funds-chart').locator('svg, canvas').first().waitFor();
        const figure = funds.getByRole('figure');
        expect(await figure.getAttribute('aria-label')).toBe(
          `到位资金按月:${firstMonth} 2000.00 万元,${thisMonth} 3000.00 万元;累计 5000.00 万元`,
        );
        const table = funds.getByRole('table', { name: '到位资金按月' });
        expect(await table.textContent()).toContain(`${firstMonth}2000.00 万元${thisMonth}3000.00 万元`);

        // Blockers with category, department, due date and resolution.
        const blocker = page.getByTestId('project-blockers').getByRole('row', { name: /用地指标未落实/ });
        const blockerText = await blocker.innerText();
        for (const part of ['用地', '市自然资源和规划局(牵头)', addDays(today(), 30), '未解决'])
          expect(blockerText).toContain(part);

        // Visits: count, last date, and the visit itself.
        const visits = page.getByTestId('project-visits');
        const visitsText = await visits.innerText();
        expect(visitsText).toMatch(/走访次数\s*1/);
        expect(visitsText).toContain(visitedOn);
        expect(visitsText).toContain(`${visitedOn} ${ASSIGNEE_NAME} 走访服务:了解企业用工需求`);

        await screenshot(page, `project-page-${name}-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    120_000,
  );
});
