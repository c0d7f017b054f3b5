import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { ApiClient, COUNTY } from '../support/api';
import {
  collectErrors,
  screenshot,
  seriousAccessibilityViolations,
  VIEWPORTS,
  startConsole,
  stopConsole,
} from '../support/browser';
import type { TestSystem } from '../support/system';

const root = resolve(__dirname, '..', '..');
let system: TestSystem;
let browser: Browser;
beforeAll(async () => ({ system, browser } = await startConsole()), 600_000);
afterAll(() => stopConsole(system, browser), 60_000);

describe('the console served by the API', () => {
  it("is generated from the API's current OpenAPI document (the checked-in client cannot drift)", async () => {
    const dir = join(root, '.data', 'console');
    mkdirSync(dir, { recursive: true });
    const served = await request(system.app.getHttpServer()).get('/openapi.json').expect(200);
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(served.body, null, 2));
    execFileSync(
      join(root, 'node_modules', '.bin', 'openapi-typescript'),
      [join(dir, 'openapi.json'), '-o', join(dir, 'schema.d.ts'), '--alphabetize'],
      { cwd: root, stdio: 'pipe' },
    );
    const checkedIn = readFileSync(join(root, 'apps', 'web', 'src', 'api', 'schema.d.ts'), 'utf8');
    // On a difference: `npm run build` regenerates apps/web/src/api/schema.d.ts; commit it.
    expect(readFileSync(join(dir, 'schema.d.ts'), 'utf8')).toBe(checkedIn);
  });

  it('serves the console at / with index.html for its pages, and leaves API paths to the API', async () => {
    const http = () => request(system.app.getHttpServer());
    const page = await http().get('/projects/anything').set('Accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="root"></div>');
    // Never an ETag a client could send back as If-Match; the shell is revalidated, hashed assets kept.
    expect(page.headers.etag).toBeUndefined();
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(asset).toBeDefined();
    const script = await http().get(asset!).expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers.etag).toBeUndefined();
    await http().get('/').set('Accept', 'text/html').expect(200);
    // An API client's unknown path is still the API's problem+json 404, whatever it accepts.
    for (const path of ['/api/no-such-route', '/no/such/route']) {
      const accept = path.startsWith('/api') ? 'text/html' : 'application/json';
      const res = await http().get(path).set('Accept', accept).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await http().get('/health/live').set('Accept', 'text/html').expect(200, { status: 'up' });
  });

  it('gives development tokens, for valid claims only', async () => {
    const http = () => request(system.app.getHttpServer());
    const res = await http()
      .post('/api/dev/tokens')
      .send({ sub: 'officer-dev', role: 'officer', regions: [COUNTY] })
      .expect(201);
    const me = await http().get('/api/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
    expect(me.body).toMatchObject({ id: 'officer-dev', role: 'officer', regions: [COUNTY] });
    const bad = await http()
      .post('/api/dev/tokens')
      .send({ sub: 'system', role: 'root', regions: ['42'] })
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['regions', 'role']);
    const reserved = await http()
      .post('/api/dev/tokens')
      .send({ sub: 'system', role: 'officer', regions: [COUNTY] })
      .expect(400);
    expect(reserved.body.errors).toEqual([expect.objectContaining({ field: 'sub', rule: 'reserved' })]);
  });

  it.each(Object.entries(VIEWPORTS))(
    'signs an officer in, lists a registered project in the 台账 and opens its page (%s)',
    async (_name, viewport) => {
      const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-console' });
      const tag = `控制台${randomUUID().slice(0, 8)}`;
      const id = await officer.projectAt('signed', { name: `${tag} 新材料项目` });

      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await context.newPage();
      const errors = collectErrors(page);
      try {
        // A page behind sign-in sends the user to sign in, and back to it afterwards.
        await page.goto(`${system.url}/projects?q=${encodeURIComponent(tag)}`);
        await page.waitForURL(/\/sign-in\?from=/);
        await page.getByLabel('人员编号').fill('officer-console');
        await page.getByRole('button', { name: /登\s*录/ }).click();
        await page.waitForURL(/\/projects\?q=/);
        await page.getByText('officer-console · 服务专员').first().waitFor();

        const row = page.getByRole('row', { name: new RegExp(tag) });
        await row.waitFor();
        await expect(row.getByText('签约').first().isVisible()).resolves.toBe(true);
        await expect(row.getByText('宜昌市 / 夷陵区').first().isVisible()).resolves.toBe(true);
        await expect(row.getByText('1.50 亿元').first().isVisible()).resolves.toBe(true);
        await screenshot(page, `ledger-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // The filter lives in the URL: a link with another stage shows the list without the project,
        // and sorting by a column writes its order there.
        const listed = page.waitForResponse((r) => /\/api\/projects\?.*stage=lead/.test(r.url()));
        await page.goto(`${system.url}/projects?q=${encodeURIComponent(tag)}&stage=lead`);
        expect((await listed).status()).toBe(200);
        await page.locator('.ant-table-placeholder').waitFor();
        await expect(page.getByRole('row', { name: new RegExp(tag) }).count()).resolves.toBe(0);
        await page.goto(`${system.url}/projects?q=${encodeURIComponent(tag)}`);
        await row.waitFor();
        await page.getByRole('columnheader', { name: '计划投资' }).click();
        await page.waitForURL(/sort=investment/);
        await row.waitFor();

        await row.getByRole('link', { name: new RegExp(tag) }).click();
        await page.waitForURL(new RegExp(`/projects/${id}$`));
        await expect(page.getByTestId('project-stage').textContent()).resolves.toBe('签约');
        await page.getByText('未办结时限').waitFor();
        await screenshot(page, `project-${viewport.width}x${viewport.height}`);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // An expired or refused token returns the user to sign-in, keeping the page.
        await page.evaluate("sessionStorage.setItem('lifecycle.token', 'a.b.c')");
        await page.reload();
        await page.waitForURL(/\/sign-in\?from=/);
        expect(decodeURIComponent(new URL(page.url()).searchParams.get('from') ?? '')).toBe(
          `/projects/${id}`,
        );
        // The 401 that sent the user back is the browser's report of a refused request, not a fault.
        expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );

  it("shows an auditor the project's event history", async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-history' });
    const id = await officer.projectAt('signed', { name: `历史${randomUUID().slice(0, 8)} 项目` });
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    try {
      await page.goto(`${system.url}/sign-in?from=${encodeURIComponent(`/projects/${id}`)}`);
      await page.getByLabel('人员编号').fill('auditor-console');
      // Chosen by keyboard: the role's combobox opens with the arrow key.
      await page.getByLabel('角色').focus();
      await page.keyboard.press('ArrowDown');
      await page.getByTitle('审计人员').click();
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.waitForURL(new RegExp(`/projects/${id}$`));
      const history = page.getByTestId('project-history');
      await history.getByText(/ProjectSigned/).waitFor();
      await expect(history.getByText(/officer officer-history/).count()).resolves.toBeGreaterThanOrEqual(2);
      await screenshot(page, 'project-history-1366x768');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
