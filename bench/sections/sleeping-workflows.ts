import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { shanghaiDate, type ProjectCommand } from '@app/domain';
import {
  executeCommand,
  PROJECT_WORKFLOW_TYPE,
  projectWorkflowId,
  type CommandEnvelope,
  type ProjectWorkflowInput,
} from '@app/workflow-interface';
import type { BenchContext } from '../lib/context';
import { msSince, type Figure, type Section } from '../lib/measure';
import type { BenchSection } from './index';

const WORKFLOWS_AT_SCALE_1 = 10_000;
const IDLE_WINDOW_AT_SCALE_1_MS = 30_000;
/** In-flight registrations: modest, so the start rate is the stack's and not a queue's. */
const CONCURRENCY = 20;
const COUNTY = '420506';

interface WorkerSample {
  memory: NodeJS.MemoryUsage;
  cpu: NodeJS.CpuUsage;
  /** Microseconds on the worker's monotonic clock. */
  at: number;
  maxCachedWorkflows: number;
  cachedWorkflows: number;
}

/** The project worker in a child process, so its memory and CPU are its own. */
class WorkerProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(args: string[]): Promise<WorkerProcess> {
    const child = fork(require.resolve('../processes/project-worker'), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(JSON.stringify(m)))));
      child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
    });
    return new WorkerProcess(child);
  }

  sample(): Promise<WorkerSample> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as WorkerSample));
      this.child.send('sample');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

/** CPU use between two samples, as a percentage of one core. */
function cpuPercent(a: WorkerSample, b: WorkerSample): number {
  const used = b.cpu.user - a.cpu.user + (b.cpu.system - a.cpu.system);
  return (used / (b.at - a.at)) * 100;
}

/** The dev server's resident memory, from /proc (Linux). */
function residentMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function registration(projectId: string, n: number): CommandEnvelope {
  const command: ProjectCommand = {
    type: 'RegisterLead',
    data: {
      projectId,
      name: `沉睡项目 ${n}`,
      investor: { name: '湖北某某新材料有限公司', type: 'private', flags: [] },
      industryChain: '新材料',
      region: COUNTY,
      park: null,
      industrial: true,
      plannedInvestment: '150000000.00',
      source: '以商招商',
      leadDate: shanghaiDate(new Date().toISOString()),
    },
  };
  return {
    commandId: randomUUID().replace(/-/g, ''),
    actor: { id: 'bench-officer', role: 'officer', regions: [COUNTY] },
    command,
  };
}

/** Runs `total` operations, at most `concurrency` at a time. */
async function pool(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await op(next++);
    }),
  );
}

async function until(timeoutMs: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

async function run(ctx: BenchContext): Promise<Section> {
  const total = Math.max(10, Math.round(WORKFLOWS_AT_SCALE_1 * ctx.scale));
  const idleMs = Math.max(5_000, Math.round(IDLE_WINDOW_AT_SCALE_1_MS * ctx.scale));
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  const client = new Client({ connection, namespace: ctx.namespace });
  const figures: Record<string, Figure> = {
    rate: { label: 'start rate (UpdateWithStart of RegisterLead)', unit: 'workflows/s', samples: [] },
    rss: { label: 'worker RSS, all asleep', unit: 'MiB', samples: [] },
    heap: { label: 'worker V8 heap used, all asleep', unit: 'MiB', samples: [] },
    cpu: { label: `worker CPU while idle (${idleMs / 1000} s)`, unit: '% of a core', samples: [] },
    server: { label: 'dev server RSS, all asleep', unit: 'MiB', samples: [] },
    held: {
      label: 'workflows Running on the dev server',
      unit: 'workflows',
      samples: [],
      goal: { atLeast: total, text: `all ${total.toLocaleString('en-US')}` },
    },
  };
  let cache = { max: 0, cached: 0 };
  try {
    for (let r = 0; r < ctx.runs; r++) {
      const { url, dataSource } = await ctx.freshDatabase('sleeping');
      await dataSource.destroy();
      const taskQueue = `bench-sleep-${randomUUID()}`;
      const worker = await WorkerProcess.start([ctx.temporalAddress, ctx.namespace, taskQueue, url]);
      const ids: string[] = [];
      try {
        ctx.log(`sleeping-workflows run ${r + 1}/${ctx.runs}: starting ${total} project workflows`);
        const started = process.hrtime.bigint();
        await pool(total, CONCURRENCY, async (i) => {
          const projectId = randomUUID();
          ids.push(projectWorkflowId(projectId));
          const input: ProjectWorkflowInput = { projectId };
          await client.workflow.executeUpdateWithStart(executeCommand, {
            args: [registration(projectId, i)],
            startWorkflowOperation: new WithStartWorkflowOperation(PROJECT_WORKFLOW_TYPE, {
              workflowId: projectWorkflowId(projectId),
              taskQueue,
              args: [input],
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          });
        });
        figures.rate.samples.push((total / msSince(started)) * 1000);

        // Asleep: the worker has gone quiet (each workflow finished its first pass and set its timer).
        let last = await worker.sample();
        await until(120_000, async () => {
          const now = await worker.sample();
          const quiet = cpuPercent(last, now) < 5;
          last = now;
          return quiet;
        });
        const before = await worker.sample();
        await new Promise((r) => setTimeout(r, idleMs));
        const after = await worker.sample();
        figures.cpu.samples.push(cpuPercent(before, after));
        figures.rss.samples.push(after.memory.rss / 2 ** 20);
        figures.heap.samples.push(after.memory.heapUsed / 2 ** 20);
        figures.server.samples.push(residentMiB(ctx.temporalPid));
        cache = { max: after.maxCachedWorkflows, cached: after.cachedWorkflows };

        // Visibility lags behind: wait for the count to settle.
        const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
        let held = 0;
        await until(60_000, async () => {
          held = (await client.workflow.count(query)).count;
          return held >= total;
        });
        figures.held.samples.push(held);
      } finally {
        await worker.stop();
        // Terminated, so each run starts from the same server and the next section finds it quiet.
        await pool(ids.length, 32, async (i) => {
          await client.workflow
            .getHandle(ids[i])
            .terminate('benchmark run over')
            .catch(() => undefined);
        });
      }
    }
  } finally {
    await connection.close();
  }
  return {
    id: 'sleeping-workflows',
    title: 'Open project workflows asleep on their timers',
    figures: Object.values(figures),
    notes: [
      `${total.toLocaleString('en-US')} project workflows per run, each started by \`executeUpdateWithStart\` of RegisterLead through the Temporal client (${CONCURRENCY} in flight), on a fresh task queue and database; each then sleeps on the timer of its next deadline change (days away).`,
      `The worker runs alone in a child process (the project worker as the app builds it, default options); RSS, heap and CPU are its own, read over IPC after it went quiet, CPU over an idle window of ${idleMs / 1000} s. The heap figure is the main thread’s: the cached workflows’ V8 contexts live in the SDK’s workflow threads, and show in RSS only.`,
      `Its sticky cache holds at most ${cache.max.toLocaleString('en-US')} workflows (maxCachedWorkflows, the SDK's default for this heap; ${cache.cached.toLocaleString('en-US')} cached at the end): the rest were evicted and are replayed from history when their timer or a command wakes them, so memory stays bounded however many sleep.`,
      "Dev server RSS is read from /proc for the process the runner started (SQLite persistence in memory); it is not released when a run’s workflows are terminated, so later runs read higher. Held: visibility count of `ExecutionStatus = 'Running'` on the run’s task queue.",
    ],
  };
}

export const sleepingWorkflows: BenchSection = { id: 'sleeping-workflows', run };
