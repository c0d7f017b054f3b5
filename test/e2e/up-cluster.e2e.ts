import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { DEVELOPMENT_JWT_SECRET } from '../../libs/config/src';
import { freePort } from '../../libs/local-stack/src';
import { lead } from '../support/api';

/**
 * The quick start on the production topology, as a user runs it from dist/:
 * TEMPORAL_TOPOLOGY=cluster with two API replicas on one port and two workers.
 */
const root = resolve(__dirname, '..', '..');
// DIST_DIR: another build of the repository (dist/ by default, as scripts/test.sh builds it).
const upScript = join(resolve(root, process.env.DIST_DIR ?? 'dist'), 'scripts', 'up.js');

const canListen = (port: number) =>
  new Promise<boolean>((r) => {
    const server = createServer();
    server.once('error', () => r(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => r(true)));
  });

/** A frontend port whose cluster neighbours (up.ts's offsets) are free too, all below 32768. */
async function clusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const p = 20_000 + Math.floor(Math.random() * 12_000);
    const all = [0, 1, 2, 6, 10, -300, -299, -298, -294].map((d) => p + d);
    if ((await Promise.all(all.map(canListen))).every(Boolean)) return p;
  }
  throw new Error('no free ports for the cluster');
}

/** The process ids `pid` started (Linux's /proc children list). */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let up: ChildProcess | undefined;
let output = '';
let dir: string;

afterAll(async () => {
  if (up && up.exitCode === null) {
    up.kill('SIGTERM');
    await new Promise((r) => up!.once('exit', r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 90_000);

it('brings the system up on the Temporal cluster with two APIs on one port and two workers, and stops it all', async () => {
  if (!existsSync(upScript)) throw new Error(`${upScript} is missing: run \`npm run build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'lifecycle-up-cluster-'));
  chmodSync(dir, 0o755);
  const [pgPort, uiPort, apiPort, temporalPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await clusterPort(),
  ];
  up = spawn(process.execPath, [upScript], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      NODE_ENV: 'development',
      DATA_DIR: dir,
      PG_PORT: String(pgPort),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      API_PORT: String(apiPort),
      TEMPORAL_TOPOLOGY: 'cluster',
      API_REPLICAS: '2',
      WORKER_REPLICAS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  up.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  up.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 240_000;
  while (!output.includes('Ctrl-C stops everything.')) {
    if (up.exitCode !== null) throw new Error(`up exited (${up.exitCode}):\n${output.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`up was not ready:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(output).toContain('Topology         Temporal cluster, 2 API replica(s), 2 worker(s)');
  expect(output).toMatch(/\[worker-1\] .*worker ready/);
  expect(output).toMatch(/\[worker-2\] .*worker ready/);
  expect(output.match(/\[api\] .*api ready/g)).toHaveLength(2);

  // The API's primary holds two replicas of the API; up.ts started four Temporal services.
  const started = children(up.pid!);
  const primary = started.find((pid) => commandLine(pid).includes('api-replicas.js'));
  expect(primary).toBeDefined();
  const replicas = children(primary!);
  expect(
    replicas.map((pid) => commandLine(pid)).filter((c) => c.includes('apps/api/src/main.js')),
  ).toHaveLength(2);
  expect(started.filter((pid) => commandLine(pid).includes('temporal-server'))).toHaveLength(4);

  // One port answers, and a project registered through it runs on the cluster's workers.
  const api = `http://127.0.0.1:${apiPort}`;
  for (let i = 0; i < 4; i++) expect((await fetch(`${api}/health/ready`)).status).toBe(200);
  const token = new JwtService({ secret: DEVELOPMENT_JWT_SECRET }).sign(
    { role: 'officer', regions: ['420500'] },
    { subject: 'officer-up-cluster', expiresIn: '1h' },
  );
  const registered = await fetch(`${api}/api/projects`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'Idempotency-Key': 'up-cluster-1',
    },
    body: JSON.stringify(lead()),
  });
  expect(registered.status).toBe(201);
  expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);

  // SIGTERM stops everything it started.
  const everything = [...started, ...replicas];
  up.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => up!.once('exit', (c) => r(c)));
  expect(code).toBe(0);
  expect(everything.filter(alive)).toEqual([]);
}, 360_000);
