import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../libs/local-stack/src';

/**
 * The quick start's first command, as a user runs it (built, from dist/): everything comes up,
 * answers, keeps its data across a restart, and stops cleanly on SIGTERM and SIGINT.
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

let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
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
});
