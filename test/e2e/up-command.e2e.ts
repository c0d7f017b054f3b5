import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../libs/local-stack/src';

/**
 * The quick start's first command, as a user runs it (built, from dist/): everything comes up,
 * answers, relays the API's and the worker's log lines until stop, keeps its data across a restart,
 * stops cleanly on SIGTERM and SIGINT, and leaves nothing in the checkout.
 */
const root = resolve(__dirname, '..', '..');
const upScript = join(root, 'dist', 'scripts', 'up.js');

interface Up {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runUp(env: Record<string, string>): Up {
  const child = spawn(process.execPath, [upScript], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => output, exited };
}

async function waitFor(up: Up, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!up.output().includes(text)) {
    if (up.child.exitCode !== null) throw new Error(`up exited (${up.child.exitCode}):\n${up.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${up.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const portClosed = (port: number) =>
  new Promise<boolean>((r) => {
    const s = createServer();
    s.once('error', () => r(false));
    s.listen(port, '127.0.0.1', () => s.close(() => r(true)));
  });

/** What `git status` lists, ignored files too: with DATA_DIR elsewhere, up writes nothing here. */
const checkoutStatus = () =>
  execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((l) => l !== '');

let dataDir: string;
let env: Record<string, string>;
let statusBefore: string[];
beforeAll(async () => {
  statusBefore = checkoutStatus();
  dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-up-'));
  chmodSync(dataDir, 0o755);
  env = {
    DATA_DIR: dataDir,
    API_PORT: String(await freePort()),
    PG_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  };
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('bash scripts/up.sh (the built orchestrator)', () => {
  it('brings everything up, prints the addresses, and stops every process on SIGTERM', async () => {
    expect(existsSync(upScript)).toBe(true);
    const up = runUp(env);
    await waitFor(up, 'Ctrl-C stops everything', 240_000);
    expect(up.output()).toContain(`API              http://127.0.0.1:${env.API_PORT}/api`);
    expect(up.output()).toContain(`OpenAPI docs     http://127.0.0.1:${env.API_PORT}/docs`);
    expect(up.output()).toContain(`Temporal Web UI  http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    const ready = await fetch(`http://127.0.0.1:${env.API_PORT}/health/ready`);
    expect(ready.status).toBe(200);
    const ui = await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`);
    expect(ui.status).toBe(200);

    // Well after start-up, and past a pipe's worth (64 kB) of access lines, every line still comes.
    await new Promise((r) => setTimeout(r, 2_000));
    for (let i = 0; i < 300; i++) await fetch(`http://127.0.0.1:${env.API_PORT}/health/live`);
    const requestId = `up-relay-${randomUUID()}`;
    const answer = await fetch(`http://127.0.0.1:${env.API_PORT}/api/projects`, {
      headers: { 'X-Request-Id': requestId },
    });
    expect(answer.status).toBe(401);
    await waitFor(up, requestId, 10_000);
    const relayed = up
      .output()
      .split('\n')
      .find((l) => l.includes(requestId));
    expect(relayed).toMatch(/^\[api\] \{/);
    expect(JSON.parse(relayed!.slice('[api] '.length))).toMatchObject({
      message: 'request',
      method: 'GET',
      path: '/api/projects',
      status: 401,
      requestId,
    });
    up.child.kill('SIGTERM');
    expect(await up.exited).toBe(0);
    for (const port of [env.API_PORT, env.PG_PORT, env.TEMPORAL_PORT, env.TEMPORAL_UI_PORT]) {
      expect(await portClosed(Number(port))).toBe(true);
    }
    expect(existsSync(join(dataDir, 'temporal', 'temporal.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
  }, 300_000);

  it('comes up again on the same data and stops on SIGINT', async () => {
    const up = runUp(env);
    await waitFor(up, 'Ctrl-C stops everything', 240_000);
    expect(up.output()).toContain('schema up to date');
    expect((await fetch(`http://127.0.0.1:${env.API_PORT}/health/ready`)).status).toBe(200);
    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
  }, 300_000);

  it('names the port and the variable when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(Number(env.API_PORT), '127.0.0.1', () => r()));
    try {
      const up = runUp(env);
      expect(await up.exited).toBe(2);
      expect(up.output()).toContain(
        `Port ${env.API_PORT} is already in use. Set API_PORT to use another port`,
      );
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('leaves nothing new in the checkout', () => {
    const before = new Set(statusBefore);
    expect(checkoutStatus().filter((l) => !before.has(l))).toEqual([]);
  });
});
