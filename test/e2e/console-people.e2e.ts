import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient, COUNTY } from '../support/api';
import {
  collectErrors,
  screenshot,
  seriousAccessibilityViolations,
  VIEWPORTS,
  startConsole,
  stopConsole,
} from '../support/browser';
import { TEST_JWT_SECRET, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let admin: ApiClient;
beforeAll(async () => {
  ({ system, browser } = await startConsole());
  admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-people-console' });
}, 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

const tag = () => randomUUID().slice(0, 6);
/**
 * The browser reports each refused request as a console error; those a journey provokes (a 400 for
 * the bad phone, the 401 that sends the user to sign in) are no fault of the page.
 */
const faults = (errors: string[], provoked: number[]) =>
  errors.filter((e) => !provoked.some((status) => e.includes(`status of ${status}`)));

/** A tab signed in with this token, on this page of the console. */
async function signedIn(viewport: { width: number; height: number }, token: string, path: string) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${system.url}/sign-in`);
  await page.evaluate(`sessionStorage.setItem('lifecycle.token', ${JSON.stringify(token)})`);
  await page.goto(`${system.url}${path}`);
  return { context, page, errors };
}

/** Picks an option of an antd Select by its label: opens it, types, and clicks the option. */
async function choose(page: Page, label: string, text: string, option: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(label).click();
  await dialog.getByLabel(label).fill(text);
  await page.locator(`.ant-select-item-option[title="${option}"]`).click();
}

describe('GET /api/me and the development directory', () => {
  it('names the caller from the directory (null when they are not in it), and lists people to sign in as without contacts', async () => {
    const id = `officer-me-${tag()}`;
    const http = () => request(system.app.getHttpServer());
    const unknown = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: id });
    expect((await unknown.get('/api/me').expect(200)).body).toMatchObject({ id, name: null });
    await admin
      .write('/api/people', {
        personId: id,
        name: '周名录',
        role: 'officer',
        regions: [COUNTY],
        phone: '13900139000',
      })
      .expect(201);
    expect((await unknown.get('/api/me').expect(200)).body).toMatchObject({ id, name: '周名录' });

    // Before any token: the sign-in page's list, searchable, with no phone or e-mail in it.
    const listed = await http().get('/api/dev/people').query({ q: '周名录' }).expect(200);
    expect(listed.body.items).toEqual([
      { personId: id, name: '周名录', role: 'officer', roleLabel: '服务专员', regions: [COUNTY] },
    ]);
    const bad = await http().get('/api/dev/people').query({ q: ' ' }).expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('a token from single sign-on', () => {
  it('is taken from the address fragment the sign-on returns with, kept for the tab, and taken out of the address', async () => {
    const id = `officer-sso-${tag()}`;
    await admin
      .write('/api/people', { personId: id, name: '欧阳统一', role: 'officer', regions: [COUNTY] })
      .expect(201);
    const token = system.token({ role: 'officer', regions: [COUNTY], sub: id });
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    try {
      await page.goto(`${system.url}/projects?q=x#access_token=${token}&token_type=Bearer&expires_in=3600`);
      await expect(page.getByTestId('whoami').textContent()).resolves.toBe('欧阳统一 · 服务专员');
      expect(new URL(page.url()).hash).toBe('');
      expect(new URL(page.url()).search).toBe('?q=x');
      await expect(page.evaluate("sessionStorage.getItem('lifecycle.token')")).resolves.toBe(token);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('人员名录 in the console', () => {
  it.each(Object.entries(VIEWPORTS))(
    'an admin adds a person (a bad phone refused at its field first), changes them, and that person signs in by picking their name (%s)',
    async (name, viewport) => {
      const personId = `officer-${tag()}`;
      const first = `林${tag()}`;
      const renamed = `${first}改`;
      const { context, page, errors } = await signedIn(viewport, admin.token, '/people');
      try {
        await page.getByRole('button', { name: '新增人员' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel('人员编号').fill(personId);
        await dialog.getByLabel('姓名').fill(first);
        await choose(page, '区域', '夷陵', '宜昌市 / 夷陵区 420506');
        await dialog.getByLabel('电话').fill('12345');
        await dialog.getByLabel('电子邮箱').fill('lin@example.gov.cn');
        await screenshot(page, `people-form-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        const refused = page.waitForResponse(
          (r) => r.url().endsWith('/api/people') && r.request().method() === 'POST',
        );
        await dialog.getByRole('button', { name: /保\s*存/ }).click();
        expect((await refused).status()).toBe(400);
        // The API's refusal, beside the field it names; nothing recorded until it is right.
        await dialog.getByText('请填写 11 位手机号或座机号(如 0717-6222222)').waitFor();
        await admin.get(`/api/people/${personId}`).expect(404);

        await dialog.getByLabel('电话').fill('13800138000');
        await dialog.getByRole('button', { name: /保\s*存/ }).click();
        await dialog.waitFor({ state: 'hidden' });
        const row = page.getByRole('row', { name: new RegExp(first) });
        await row.waitFor();
        await expect(row.getByText('宜昌市 / 夷陵区').isVisible()).resolves.toBe(true);
        await expect(row.getByText('13800138000').isVisible()).resolves.toBe(true);

        // Changed under If-Match from the person's ETag.
        const read = page.waitForResponse((r) => r.url().endsWith(`/api/people/${personId}`));
        await row.getByRole('button', { name: `编辑 ${first}` }).click();
        await read;
        await expect(dialog.getByLabel('人员编号').inputValue()).resolves.toBe(personId);
        await dialog.getByLabel('姓名').fill(renamed);
        const put = page.waitForResponse((r) => r.request().method() === 'PUT');
        await dialog.getByRole('button', { name: /保\s*存/ }).click();
        expect((await put).request().headers()['if-match']).toBe('"v1"');
        await dialog.waitFor({ state: 'hidden' });
        await page.getByRole('row', { name: new RegExp(renamed) }).waitFor();
        expect((await admin.get(`/api/people/${personId}`).expect(200)).body).toMatchObject({
          name: renamed,
          version: 2,
          phone: '13800138000',
        });

        // The filters the list offers, kept in the URL: the name, and the region chosen by its name
        // (an admin acts nowhere in particular, so every division is offered).
        await page.getByRole('textbox', { name: '姓名' }).fill(renamed);
        await page.getByLabel('区域').click();
        await page.getByLabel('区域').fill('夷陵');
        await page.locator('.ant-select-item-option[title="宜昌市 / 夷陵区 420506"]').click();
        await page.getByRole('button', { name: /查\s*询/ }).click();
        await page.waitForURL(/region=420506/);
        await page.getByRole('row', { name: new RegExp(renamed) }).waitFor();
        await page.goto(`${system.url}/people?q=${encodeURIComponent(renamed)}&role=leader`);
        await page.locator('.ant-table-placeholder').waitFor();
        await page.goto(`${system.url}/people?q=${encodeURIComponent(renamed)}&role=officer&region=420506`);
        await page.getByRole('row', { name: new RegExp(renamed) }).waitFor();
        await screenshot(page, `people-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(faults(errors, [400])).toEqual([]);
      } finally {
        await context.close();
      }

      // The person signs in by picking themselves: the token carries their id, role and regions.
      const officer = await browser.newContext({ viewport, locale: 'zh-CN' });
      const tab = await officer.newPage();
      const tabErrors = collectErrors(tab);
      try {
        await tab.goto(`${system.url}/sign-in`);
        await tab.getByLabel('从人员名录选择').click();
        await tab.getByLabel('从人员名录选择').fill(renamed);
        await tab.locator(`.ant-select-item-option[title^="${renamed} · 服务专员"]`).click();
        await expect(tab.getByLabel('人员编号').inputValue()).resolves.toBe(personId);
        // The list closes with an animation: checked while still closing, its options are no page's.
        await tab.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
        await screenshot(tab, `sign-in-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(tab)).toEqual([]);
        const issued = tab.waitForResponse((r) => r.url().endsWith('/api/dev/tokens'));
        await tab.getByRole('button', { name: /登\s*录/ }).click();
        const { token } = (await (await issued).json()) as { token: string };
        expect(new JwtService({ secret: TEST_JWT_SECRET }).verify(token)).toMatchObject({
          sub: personId,
          role: 'officer',
          regions: [COUNTY],
        });
        await tab.waitForURL(/\/projects$/);
        await expect(tab.getByTestId('whoami').textContent()).resolves.toBe(`${renamed} · 服务专员`);
        // Read-only for them: the directory without the admin's buttons (on a phone the menu folds away).
        if (name === 'desktop')
          await tab
            .getByRole('link', { name: /人员名录/ })
            .first()
            .click();
        else await tab.goto(`${system.url}/people`);
        await tab.getByRole('row', { name: new RegExp(renamed) }).waitFor();
        await expect(tab.getByRole('button', { name: '新增人员' }).count()).resolves.toBe(0);
        await expect(tab.getByRole('button', { name: /^编辑/ }).count()).resolves.toBe(0);
        await screenshot(tab, `people-officer-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(tab)).toEqual([]);
        expect(tabErrors).toEqual([]);
      } finally {
        await officer.close();
      }
    },
    180_000,
  );

  it('tells an admin whose person someone else changed meanwhile to 刷新 (412), and retires the person', async () => {
    const personId = `officer-${tag()}`;
    const first = `葛${tag()}`;
    await admin
      .write('/api/people', { personId, name: first, role: 'officer', regions: [COUNTY] })
      .expect(201);
    const { context, page, errors } = await signedIn(
      VIEWPORTS.desktop,
      admin.token,
      `/people?q=${encodeURIComponent(first)}`,
    );
    try {
      await page.getByRole('button', { name: `编辑 ${first}` }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog.getByLabel('姓名').inputValue()).resolves.toBe(first);
      // Someone else changes the person while this form is open.
      await admin
        .write(
          `/api/people/${personId}`,
          { name: `${first}新`, role: 'officer', regions: [COUNTY] },
          { method: 'put', version: 1 },
        )
        .expect(200);
      await dialog.getByLabel('电话').fill('13700137000');
      const stale = page.waitForResponse((r) => r.request().method() === 'PUT');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      expect((await stale).status()).toBe(412);
      await dialog.getByText('该人员已被他人修改,请刷新后重试').waitFor();
      await dialog.getByRole('button', { name: /刷\s*新/ }).click();
      // The person as they are now, and their ETag: the change is made on top of the other one.
      await page.waitForFunction(
        `document.querySelector('[role=dialog] #name')?.value === ${JSON.stringify(`${first}新`)}`,
      );
      await dialog.getByRole('switch', { name: '在职' }).click();
      const put = page.waitForResponse((r) => r.request().method() === 'PUT');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      expect((await put).request().headers()['if-match']).toBe('"v2"');
      await dialog.waitFor({ state: 'hidden' });
      expect((await admin.get(`/api/people/${personId}`).expect(200)).body).toMatchObject({
        name: `${first}新`,
        active: false,
        version: 3,
      });
      // Retired: gone from the active list, there among the retired.
      await page.goto(`${system.url}/people?q=${encodeURIComponent(first)}`);
      await page.locator('.ant-table-placeholder').waitFor();
      await page.goto(`${system.url}/people?q=${encodeURIComponent(first)}&active=false`);
      await page.getByRole('row', { name: new RegExp(`${first}新.*已停用`) }).waitFor();
      expect(faults(errors, [412])).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows an admin who no alert can reach, and lists only them under 无接收渠道', async () => {
    const mark = `渠${tag()}`;
    const [reached, unreached] = [`${mark}甲`, `${mark}乙`];
    await admin
      .write('/api/people', {
        personId: `officer-${tag()}`,
        name: reached,
        role: 'officer',
        regions: [COUNTY],
        phone: '13600136000',
      })
      .expect(201);
    await admin
      .write('/api/people', {
        personId: `officer-${tag()}`,
        name: unreached,
        role: 'officer',
        regions: [COUNTY],
        phone: '0717-6111111',
      })
      .expect(201);
    const { context, page, errors } = await signedIn(
      VIEWPORTS.desktop,
      admin.token,
      `/people?q=${encodeURIComponent(mark)}`,
    );
    try {
      await page.getByRole('row', { name: new RegExp(`${reached}.*手机（群机器人@）`) }).waitFor();
      await page.getByRole('row', { name: new RegExp(`${unreached}.*无（收不到预警）`) }).waitFor();
      await page.getByLabel('接收渠道').click();
      await page.locator('.ant-select-item-option[title="无接收渠道"]').click();
      const listed = page.waitForResponse((r) => r.url().includes('reachable=false'));
      await page.getByRole('button', { name: /查\s*询/ }).click();
      expect((await listed).status()).toBe(200);
      await page.getByRole('row', { name: new RegExp(unreached) }).waitFor();
      await expect(page.getByRole('row', { name: new RegExp(reached) }).count()).resolves.toBe(0);
      expect(page.url()).toContain('reachable=false');
      await expect(seriousAccessibilityViolations(page)).resolves.toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it.each(Object.entries(VIEWPORTS))(
    'keeps the form being filled in when the token expires: sign in again and it is there to send (%s)',
    async (_name, viewport) => {
      const personId = `officer-${tag()}`;
      const person = `韩${tag()}`;
      const adminId = 'admin-expiring';
      const { context, page, errors } = await signedIn(
        viewport,
        system.token({ role: 'admin', regions: [], sub: adminId }),
        '/people?role=officer',
      );
      try {
        await page.getByRole('button', { name: '新增人员' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel('人员编号').fill(personId);
        await dialog.getByLabel('姓名').fill(person);
        await choose(page, '区域', '夷陵', '宜昌市 / 夷陵区 420506');
        await dialog.getByLabel('电话').fill('0717-6222222');

        // While the form is filled in the sign-in lapses: the tab now holds the same admin's token,
        // expired a minute ago (as a single sign-on's token does at the end of its life).
        const now = Math.floor(Date.now() / 1000);
        const expired = new JwtService({ secret: TEST_JWT_SECRET }).sign(
          { role: 'admin', regions: [], iat: now - 3600, exp: now - 60 },
          { subject: adminId },
        );
        await page.evaluate(`sessionStorage.setItem('lifecycle.token', ${JSON.stringify(expired)})`);
        const refused = page.waitForResponse(
          (r) => r.url().endsWith('/api/people') && r.request().method() === 'POST',
        );
        await dialog.getByRole('button', { name: /保\s*存/ }).click();
        expect((await refused).status()).toBe(401);
        // (The page has gone to sign-in, taking that answer's body with it: the same token, asked again.)
        const why = await request(system.app.getHttpServer())
          .get('/api/me')
          .set('Authorization', `Bearer ${expired}`)
          .expect(401);
        expect(why.body.errors).toEqual([expect.objectContaining({ field: 'exp', rule: 'expired' })]);
        await page.waitForURL(/\/sign-in\?from=/);
        expect(decodeURIComponent(new URL(page.url()).searchParams.get('from') ?? '')).toBe(
          '/people?role=officer',
        );
        await admin.get(`/api/people/${personId}`).expect(404);

        await page.getByLabel('人员编号').fill(adminId);
        await page.getByLabel('角色').focus();
        await page.keyboard.press('ArrowDown');
        await page.getByTitle('系统管理员').click();
        await page.getByRole('button', { name: /登\s*录/ }).click();
        await page.waitForURL(/\/people\?role=officer$/);
        // Back on the page with the form open and its values as they were.
        await dialog.waitFor();
        await expect(dialog.getByLabel('人员编号').inputValue()).resolves.toBe(personId);
        await expect(dialog.getByLabel('姓名').inputValue()).resolves.toBe(person);
        await expect(dialog.getByLabel('电话').inputValue()).resolves.toBe('0717-6222222');
        await dialog.getByText('宜昌市 / 夷陵区 420506').waitFor();
        await screenshot(page, `people-form-restored-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await dialog.getByRole('button', { name: /保\s*存/ }).click();
        await dialog.waitFor({ state: 'hidden' });
        await page.getByRole('row', { name: new RegExp(person) }).waitFor();
        expect((await admin.get(`/api/people/${personId}`).expect(200)).body).toMatchObject({
          name: person,
          regions: [COUNTY],
          phone: '0717-6222222',
        });
        // Sent once, it is not offered again.
        await page.reload();
        await page.getByRole('row', { name: new RegExp(person) }).waitFor();
        await expect(page.getByRole('dialog').count()).resolves.toBe(0);
        expect(faults(errors, [401])).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );
});
