import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
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

/**
 * Debian's Chromium, installed now by scripts/install-tools.sh when the machine lacks it; still
 * missing after that, the test fails here, naming the path: a browser test never passes unrun.
 */
function ensureChromium(root = resolve(__dirname, '..', '..')): void {
  if (isExecutable(CHROMIUM)) return;
  execFileSync('bash', [join(root, 'scripts', 'install-tools.sh')], { cwd: root, stdio: 'inherit' });
  if (!isExecutable(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM} after scripts/install-tools.sh (set CHROMIUM_PATH)`);
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Headless Chromium: one that is missing is installed first (ensureChromium), and one that will not
 * start rejects here, with Playwright's reason and the executable's path, failing the test that asked
 * for it (every browser test starts it in beforeAll): nothing catches it, so it never skips.
 */
export function launchBrowser(): Promise<Browser> {
  ensureChromium();
  // As root (CI) Chromium refuses to start with its sandbox.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
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
