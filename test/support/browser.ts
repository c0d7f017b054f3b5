import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSystem, type TestSystem } from './system';

/** Debian's Chromium (scripts/install-tools.sh installs it); Playwright's own browsers are not used. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(__dirname, '..', '..', '.data', 'screenshots');
/** A government desktop and a phone. */
export const VIEWPORTS = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
} as const;

/** What a browser test does when Chromium does not run: install it (scripts/install-tools.sh). */
function installTools(root = resolve(__dirname, '..', '..')): void {
  execFileSync('bash', [join(root, 'scripts', 'install-tools.sh')], { cwd: root, stdio: 'inherit' });
}

/** Why the executable does not answer `--version`, or null when it does. */
function chromiumProblem(path: string): string | null {
  try {
    execFileSync(path, ['--version'], { stdio: 'pipe', timeout: 30_000 });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Chromium that runs, or the reason the test fails: one that is missing or broken is installed
 * first (`install`, scripts/install-tools.sh by default), and still not running after that, this
 * throws naming the path, so a browser test never passes or skips unrun.
 */
export function ensureChromium(path = CHROMIUM, install: () => void = installTools): void {
  if (chromiumProblem(path) === null) return;
  install();
  const problem = chromiumProblem(path);
  if (problem !== null) {
    throw new Error(
      `Chromium at ${path} does not run after scripts/install-tools.sh (set CHROMIUM_PATH): ${problem}`,
    );
  }
}

/**
 * Headless Chromium that starts, or a rejection that fails the test asking for it (every browser
 * test starts it in beforeAll; nothing catches it, so a browser test fails rather than skips). One
 * that answers `--version` but will not start (a library missing, say) is installed again once and
 * retried; still not starting, the rejection names the path and Playwright's reason.
 */
export async function launchBrowser(path = CHROMIUM, install: () => void = installTools): Promise<Browser> {
  ensureChromium(path, install);
  // As root (CI) Chromium refuses to start with its sandbox.
  const launch = () => chromium.launch({ executablePath: path, headless: true, args: ['--no-sandbox'] });
  try {
    return await launch();
  } catch {
    install();
    try {
      return await launch();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new Error(
        `Chromium at ${path} does not start after scripts/install-tools.sh (set CHROMIUM_PATH): ${reason}`,
      );
    }
  }
}

/** The console's build, made now (npm run build) when dist/web has none, before the API is started. */
export function ensureConsoleBuilt(root = resolve(__dirname, '..', '..')): void {
  const built = process.env.CONSOLE_DIR ? resolve(process.env.CONSOLE_DIR) : join(root, 'dist', 'web');
  if (existsSync(join(built, 'index.html'))) return;
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
}

/** Every console error and uncaught page error, to assert that a page has none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  return errors;
}

/** A full-page screenshot under .data/screenshots, kept as the run's artefact. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A violation axe-core found, as a line a failing assertion can show. */
export interface AccessibilityViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2 A and AA rules) in the page and answers its serious and critical
 * violations, for a test to expect none.
 */
export async function seriousAccessibilityViolations(
  page: Page,
  /** A CSS selector to check only that part, e.g. an open drawer (the page behind its mask is dimmed). */
  within?: string,
): Promise<AccessibilityViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  // Passed as source text: this file is compiled without the DOM's types.
  const violations = await page.evaluate<AccessibilityViolation[]>(`(async () => {
    const result = await window.axe.run(${within ? `{ include: [${JSON.stringify(within)}] }` : 'document'}, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  })()`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The whole stack with the console built and served, and a browser to drive it. */
export async function startConsole(): Promise<{ system: TestSystem; browser: Browser }> {
  ensureConsoleBuilt();
  const system = await startSystem();
  return { system, browser: await launchBrowser() };
}

/** Closes what startConsole started (either may be missing when it failed half-way). */
export async function stopConsole(system?: TestSystem, browser?: Browser): Promise<void> {
  await browser?.close();
  await system?.stop();
}

/**
 * Attaches a file in the evidence field labelled `label` (it uploads at once) and waits until the
 * form lists it under that field.
 */
export async function attachEvidence(
  page: Page,
  label: string,
  name: string,
  content: Buffer,
): Promise<void> {
  const mimeType = name.endsWith('.png')
    ? 'image/png'
    : name.endsWith('.jpg')
      ? 'image/jpeg'
      : 'application/pdf';
  await page.getByLabel(label, { exact: true }).setInputFiles({ name, mimeType, buffer: content });
  const item = page.locator('.ant-form-item', { has: page.getByLabel(label, { exact: true }) });
  await item.getByText(name, { exact: false }).waitFor();
}
