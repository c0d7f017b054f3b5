import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { shanghaiDate } from '@app/domain';
import { createApp } from '../../apps/api/src/app.factory';
import { createProjectWorker } from '../../apps/worker/src/worker';
import type { BenchContext } from '../lib/context';
import { msSince, percentile, type Figure, type Section } from '../lib/measure';
import type { BenchSection } from './index';

const LEVELS = [1, 10, 50];
/** Commands per concurrency level at scale 1. */
const COMMANDS_AT_SCALE_1 = 600;
const JWT_SECRET = 'bench-secret-not-for-production';
/** The county the benchmarks' projects are registered in. */
export const COUNTY = '420506';
const GOAL = { atMost: 1.5, text: 'at most 1.5×' };

/** One timed command: the client's whole HTTP exchange and the parts the server reports. */
interface Timed {
  http: number;
  update: number;
  append: number;
  commit: number;
}

interface LevelResult {
  throughput: number;
  samples: Timed[];
}

function serverTimings(header: string | null): Omit<Timed, 'http'> {
  const out = { update: NaN, append: NaN, commit: NaN };
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.find((p) => p.startsWith('dur='));
    if (dur && name in out) out[name as keyof typeof out] = Number(dur.slice(4));
  }
  return out;
}

/** Runs `clients` loops at once, each doing its share of `total` operations in sequence. */
async function drive(
  clients: number,
  total: number,
  op: (client: number, i: number) => Promise<void>,
): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const share = Math.floor(total / clients) + (c < total % clients ? 1 : 0);
      for (let i = 0; i < share; i++) await op(c, i);
    }),
  );
  return msSince(started);
}

/** A registration body: a lead of its own investor, registered today in COUNTY. */
export function lead(name: string): Record<string, unknown> {
  return {
    name,
    // An investor of its own: the clients' projects, alike in name, are not one counted twice.
    investor: {
      name: `湖北某某新材料有限公司${randomUUID().slice(0, 8)}`,
      type: 'private',
      flags: ['listed'],
    },
    industryChain: '新材料',
    region: COUNTY,
    park: '宜昌高新区',
    industrial: true,
    plannedInvestment: '150000000.00',
    source: '以商招商',
    leadDate: shanghaiDate(new Date().toISOString()),
  };
}

class HttpDriver {
  private readonly etags = new Map<number, { id: string; etag: string }>();

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  private headers(extra: Record<string, string>): Record<string, string> {
    return {
      Authorization: `Bearer ${this.token}`,
      'Content-Type': 'application/json',
      'Idempotency-Key': randomUUID(),
      ...extra,
    };
  }

  /** A project of the client's own, so clients never contend for one workflow. */
  async register(client: number): Promise<void> {
    const res = await fetch(`${this.url}/api/projects`, {
      method: 'POST',
      headers: this.headers({}),
      body: JSON.stringify(lead(`基准测试项目 ${client}`)),
    });
    const body = (await res.json()) as { projectId: string };
    if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(body)}`);
    this.etags.set(client, { id: body.projectId, etag: res.headers.get('etag')! });
  }

  async visit(client: number): Promise<Timed> {
    const project = this.etags.get(client)!;
    const started = process.hrtime.bigint();
    const res = await fetch(`${this.url}/api/projects/${project.id}/visits`, {
      method: 'POST',
      headers: this.headers({ 'If-Match': project.etag }),
      body: JSON.stringify({
        visitDate: shanghaiDate(new Date().toISOString()),
        summary: '走访企业，了解用地需求',
      }),
    });
    const body = await res.text();
    const http = msSince(started);
    if (res.status !== 200) throw new Error(`visit: ${res.status} ${body}`);
    project.etag = res.headers.get('etag')!;
    return { http, ...serverTimings(res.headers.get('server-timing')) };
  }
}

async function runOurs(driver: HttpDriver, clients: number, total: number): Promise<LevelResult> {
  await Promise.all(Array.from({ length: clients }, (_, c) => driver.register(c)));
  // One untimed command per client first, so connections and caches are warm.
  await Promise.all(Array.from({ length: clients }, (_, c) => driver.visit(c)));
  const samples: Timed[] = [];
  const ms = await drive(clients, total, async (c) => {
    samples.push(await driver.visit(c));
  });
  return { throughput: (total / ms) * 1000, samples };
}

async function runBare(
  client: Client,
  taskQueue: string,
  clients: number,
  total: number,
): Promise<{ throughput: number; latencies: number[] }> {
  const handles: WorkflowHandle[] = await Promise.all(
    Array.from({ length: clients }, () =>
      client.workflow.start('noopWorkflow', { taskQueue, workflowId: `noop-${randomUUID()}` }),
    ),
  );
  await Promise.all(handles.map((h) => h.executeUpdate('ping', { args: [0] })));
  const latencies: number[] = [];
  const ms = await drive(clients, total, async (c, i) => {
    const started = process.hrtime.bigint();
    await handles[c].executeUpdate('ping', { args: [i] });
    latencies.push(msSince(started));
  });
  await Promise.all(handles.map((h) => h.signal('stop')));
  return { throughput: (total / ms) * 1000, latencies };
}

/** Sets the API's environment for the duration of the section and gives back a function undoing it. */
function setEnvironment(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

async function run(ctx: BenchContext): Promise<Section> {
  const total = (level: number) => Math.max(level * 2, Math.round(COMMANDS_AT_SCALE_1 * ctx.scale));
  const { url: databaseUrl, dataSource } = await ctx.freshDatabase('api_commands');
  const taskQueue = `bench-api-${randomUUID()}`;
  const noopQueue = `bench-noop-${randomUUID()}`;
  const restore = setEnvironment({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    TEMPORAL_NAMESPACE: ctx.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    JWT_SECRET,
  });
  const nativeConnection = await NativeConnection.connect({ address: ctx.temporalAddress });
  const worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: ctx.namespace,
    taskQueue,
    dataSource,
  });
  const noopWorker = await Worker.create({
    connection: nativeConnection,
    namespace: ctx.namespace,
    taskQueue: noopQueue,
    workflowsPath: require.resolve('../workflows/noop.workflow'),
  });
  const running = [worker.run(), noopWorker.run()];
  let app: INestApplication | undefined;
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  const client = new Client({ connection, namespace: ctx.namespace });
  try {
    app = await createApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const token = new JwtService({ secret: JWT_SECRET }).sign(
      { role: 'officer', regions: [COUNTY] },
      { subject: 'bench-officer', expiresIn: '2h' },
    );
    const driver = new HttpDriver(url, token);

    const figures = new Map<string, Figure>();
    const add = (label: string, unit: string, value: number, extra: Partial<Figure> = {}) => {
      const figure = figures.get(label) ?? { label, unit, samples: [], ...extra };
      figure.samples.push(value);
      figures.set(label, figure);
    };
    for (let r = 0; r < ctx.runs; r++) {
      for (const level of LEVELS) {
        const n = total(level);
        ctx.log(`api-commands run ${r + 1}/${ctx.runs}: ${n} commands from ${level} clients`);
        const ours = await runOurs(driver, level, n);
        const bare = await runBare(client, noopQueue, level, n);
        const at = `${level} client${level === 1 ? '' : 's'}`;
        add(`${at}: throughput`, 'commands/s', ours.throughput);
        for (const part of ['http', 'update', 'append', 'commit'] as const) {
          const values = ours.samples.map((s) => s[part]).filter(Number.isFinite);
          for (const p of [50, 95, 99]) add(`${at}: ${part} p${p}`, 'ms', percentile(values, p));
        }
        add(`${at}: bare Update throughput`, 'updates/s', bare.throughput);
        for (const p of [50, 95, 99]) add(`${at}: bare Update p${p}`, 'ms', percentile(bare.latencies, p));
        const oursP50 = percentile(
          ours.samples.map((s) => s.http),
          50,
        );
        add(`${at}: p50 latency ÷ bare Update p50`, '×', oursP50 / percentile(bare.latencies, 50), {
          goal: GOAL,
        });
        add(`${at}: bare throughput ÷ ours`, '×', bare.throughput / ours.throughput, { goal: GOAL });
      }
    }
    return {
      id: 'api-commands',
      title: 'Commands through the API (local stack)',
      figures: [...figures.values()],
      notes: [
        `${total(1)}, ${total(10)} and ${total(50)} \`POST /api/projects/{id}/visits\` (走访) at 1, 10 and 50 concurrent clients, each client on a project of its own with Idempotency-Key and If-Match (its last ETag); one untimed command per client first.`,
        'http: the whole exchange as the client (Node fetch) sees it; update: the Update round trip measured by the API (Server-Timing); append: the activity’s statements inside its transaction (append, projection, outbox); commit: its COMMIT.',
        'Bare Update: `executeUpdate` of an Update that returns at once, on a no-op workflow of its own per client, on the same dev server in the same run, through the Temporal client; the ratios compare our p50 HTTP latency and throughput with it.',
        'Worker, API and the benchmark’s clients share one process and the machine’s cores with PostgreSQL and the dev server.',
        'Where the time goes, from one project workflow’s history at one client: a bare Update is one workflow task; a command is two workflow tasks and an activity: the task that accepts the Update and schedules the append (about 7 ms in the worker: validator, decide), the append activity (about 8 ms: append 2 ms, projection and outbox, COMMIT under 1 ms, the transaction around them), and the task that completes the Update and re-arms the deadline timer (about 9 ms: evolve, the deadline computation over the working-day calendar), plus HTTP, Nest, the bearer token and the idempotency read and write, about 10 ms. That bounds the ratio near 3× by design at one client; at 10 and 50 clients both sides are bound by the two cores, and a command costs about four times the CPU of a bare Update (two workflow tasks and their history writes, the activity, the API).',
        'Part of that CPU grows with the project: the state a command carries (in the activity’s input and the Update’s result, each written into the workflow history) includes the project’s event log. At one client every command goes to the same project, which reaches 600 visits in a run; a project with a hundred events costs less per command.',
        'Changed after profiling: the dev server (and docker-compose’s server) run with eager activity execution (`system.enableActivityEagerExecution`), so the append activity reaches the worker in the reply to the workflow task that scheduled it. Before, the history showed the activity waiting about 18 ms for dispatch and the completing workflow task about 40 ms: at one client the Update p50 fell from 92 ms to 39 ms and the HTTP p50 from 99 ms to 48 ms (10.2× to 4.1× the bare Update); at 10 and 50 clients, bound by CPU, it changed nothing measurable.',
        'Changed after profiling: a command no longer reads the read model before and after the Update. A missing project is answered 404 from the Update itself, and the response is built from the state the workflow returns with its record time (the row the activity wrote in the same transaction); a repeated command still reads the row.',
        'Tried and not kept: the append as a local activity (one workflow task per command) made the server reject some of twenty concurrent Updates on one workflow as not processed by the worker (SDK 1.24, CLI 1.5.1 dev server).',
      ],
    };
  } finally {
    await app?.close();
    worker.shutdown();
    noopWorker.shutdown();
    await Promise.all(running);
    await nativeConnection.close();
    await connection.close();
    await dataSource.destroy();
    restore();
  }
}

export const apiCommands: BenchSection = { id: 'api-commands', run };
