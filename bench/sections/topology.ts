import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { shanghaiDate } from '@app/domain';
import {
  freePort,
  startProcess,
  startTemporalCluster,
  waitForLine,
  type ManagedProcess,
} from '@app/local-stack';
import type { BenchContext } from '../lib/context';
import { msSince, percentile, type Figure, type Section } from '../lib/measure';
import { COUNTY, lead } from './api-commands';
import type { BenchSection } from './index';

const CLIENTS = 10;
/** Commands per topology and run at scale 1. */
const COMMANDS_AT_SCALE_1 = 400;
const dist = resolve(__dirname, '..', '..');

interface Topology {
  url: string;
  processes: ManagedProcess[];
}

/** The API (N replicas on one port when N > 1) and M workers from dist/, in production mode. */
async function startApp(
  env: NodeJS.ProcessEnv,
  apiReplicas: number,
  workerReplicas: number,
  log: (m: string) => void,
): Promise<Topology> {
  const port = await freePort();
  const processes: ManagedProcess[] = [];
  const child = async (name: string, args: string[], ready: string, count: number, extra = {}) => {
    const lines: string[] = [];
    const proc = startProcess(name, process.execPath, args, {
      env: { ...env, ...extra },
      onLine: (l) => void lines.push(l),
    });
    processes.push(proc);
    let seen = 0;
    try {
      await waitForLine(proc, (l) => l.includes(ready) && ++seen === count, 120_000);
    } catch (e) {
      log(lines.slice(-20).join('\n'));
      throw e;
    }
  };
  for (let i = 1; i <= workerReplicas; i++)
    await child(`worker-${i}`, [join(dist, 'apps/worker/src/main.js')], 'worker ready', 1);
  await child(
    'api',
    apiReplicas === 1
      ? [join(dist, 'apps/api/src/main.js')]
      : [join(dist, 'scripts/api-replicas.js'), String(apiReplicas)],
    'api ready',
    apiReplicas,
    { API_PORT: String(port), API_HOST: '127.0.0.1' },
  );
  return { url: `http://127.0.0.1:${port}`, processes };
}

/** CLIENTS loops, each on a project of its own, sending visits at its ETag; per-command latency. */
async function drive(
  url: string,
  token: string,
  total: number,
): Promise<{ perSecond: number; ms: number[] }> {
  const headers = (extra: Record<string, string> = {}) => ({
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    'Idempotency-Key': randomUUID(),
    ...extra,
  });
  const projects = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const res = await fetch(`${url}/api/projects`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify(lead(`基准测试项目 ${c}`)),
      });
      const body = (await res.json()) as { projectId: string };
      if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(body)}`);
      return { id: body.projectId, etag: res.headers.get('etag')! };
    }),
  );
  const visit = async (c: number) => {
    const project = projects[c];
    const started = process.hrtime.bigint();
    const res = await fetch(`${url}/api/projects/${project.id}/visits`, {
      method: 'POST',
      headers: headers({ 'If-Match': project.etag }),
      body: JSON.stringify({ visitDate: shanghaiDate(new Date().toISOString()), summary: '走访企业' }),
    });
    const text = await res.text();
    const ms = msSince(started);
    if (res.status !== 200) throw new Error(`visit: ${res.status} ${text}`);
    project.etag = res.headers.get('etag')!;
    return ms;
  };
  // One untimed command per client first, so connections and caches are warm.
  await Promise.all(projects.map((_, c) => visit(c)));
  const ms: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    projects.map(async (_, c) => {
      const share = Math.floor(total / CLIENTS) + (c < total % CLIENTS ? 1 : 0);
      for (let i = 0; i < share; i++) ms.push(await visit(c));
    }),
  );
  return { perSecond: (total / msSince(started)) * 1000, ms };
}

async function run(ctx: BenchContext): Promise<Section> {
  const total = Math.max(CLIENTS, Math.round(COMMANDS_AT_SCALE_1 * ctx.scale));
  const jwtSecret = randomBytes(32).toString('base64url');
  const token = new JwtService({ secret: jwtSecret }).sign(
    { role: 'officer', regions: [COUNTY] },
    { subject: 'bench-topology', expiresIn: '2h' },
  );
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    JWT_SECRET: jwtSecret,
    AUDIT_SIGNING_KEY: String(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    ),
    DATABASE_POOL_SIZE: '5',
    LOG_LEVEL: 'warn',
  };
  const figures: Record<string, Figure> = {};
  const add = (label: string, unit: string, value: number) =>
    (figures[label] ??= { label, unit, samples: [] }).samples.push(value);

  for (let r = 0; r < ctx.runs; r++) {
    // The dev server the runner started, one API and one worker.
    {
      const { url: dbUrl, dataSource } = await ctx.freshDatabase('topology_dev');
      await dataSource.destroy();
      const app = await startApp(
        {
          ...base,
          DATABASE_URL: dbUrl,
          TEMPORAL_ADDRESS: ctx.temporalAddress,
          TEMPORAL_NAMESPACE: ctx.namespace,
        },
        1,
        1,
        ctx.log,
      );
      try {
        const result = await drive(app.url, token, total);
        add('dev server, 1 API, 1 worker: throughput', 'commands/s', result.perSecond);
        add('dev server, 1 API, 1 worker: p50', 'ms', percentile(result.ms, 50));
        add('dev server, 1 API, 1 worker: p99', 'ms', percentile(result.ms, 99));
      } finally {
        for (const p of app.processes.reverse()) await p.stop('SIGTERM', 15_000);
      }
    }
    // Temporal's four services on the same PostgreSQL, two APIs on one port, two workers.
    {
      const { url: dbUrl, dataSource } = await ctx.freshDatabase('topology_cluster');
      await dataSource.destroy();
      const dir = mkdtempSync(join(tmpdir(), 'lifecycle-bench-cluster-'));
      const t0 = process.hrtime.bigint();
      const cluster = await startTemporalCluster({
        postgresUrl: ctx.postgresUrl,
        databaseName: `temporal_bench_${randomUUID().slice(0, 8)}`,
        dataDir: dir,
        namespace: 'default',
      });
      add(
        'cluster start-up on an empty database (schema, services, namespace, search attributes)',
        's',
        msSince(t0) / 1000,
      );
      let app: Topology | undefined;
      try {
        app = await startApp(
          { ...base, DATABASE_URL: dbUrl, TEMPORAL_ADDRESS: cluster.address, TEMPORAL_NAMESPACE: 'default' },
          2,
          2,
          ctx.log,
        );
        const result = await drive(app.url, token, total);
        add('cluster, 2 APIs, 2 workers: throughput', 'commands/s', result.perSecond);
        add('cluster, 2 APIs, 2 workers: p50', 'ms', percentile(result.ms, 50));
        add('cluster, 2 APIs, 2 workers: p99', 'ms', percentile(result.ms, 99));
      } finally {
        for (const p of app?.processes.reverse() ?? []) await p.stop('SIGTERM', 15_000);
        await cluster.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return {
    id: 'topology',
    title: 'Production topology: two API replicas on the Temporal cluster against one on the dev server',
    figures: Object.values(figures),
    notes: [
      `${CLIENTS} clients, each on a project of its own, ${total} visits per topology and run, sent at the project's ETag; the latency is the client's whole HTTP exchange.`,
      'Both from dist/ as separate processes with NODE_ENV=production. Dev server: the runner’s `temporal server start-dev` (SQLite), one API, one worker. Cluster: `startTemporalCluster` (frontend, history, matching and worker as four processes, persistence and visibility in PostgreSQL databases of their own on the same server as the app), two APIs sharing one port through Node’s cluster module (scripts/api-replicas.ts), two workers on the task queue.',
    ],
  };
}

export const topology: BenchSection = { id: 'topology', run };
