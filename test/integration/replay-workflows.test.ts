import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { replayWorkflows, type ReplayOutcome } from '../../apps/worker/src/replay';
import { createProjectWorker, workflowBundlerOptions } from '../../apps/worker/src/worker';
import { shanghaiDate, type Actor, type ProjectCommand } from '../../libs/domain/src';
import { createDataSource } from '../../libs/persistence/src';
import { executeCommand, projectWorkflowId } from '../../libs/workflow-interface/src';
import { workflowBundle } from '../support/system';
import { quietRuntime } from '../support/time-skipping';

/**
 * Project workflows run on the suite's Temporal dev server, then listed, fetched and replayed by
 * the auditor's replay: cleanly against the current code, and as nondeterministic against a
 * variant that issues a command the recorded histories never saw.
 */
const ROOT = resolve(__dirname, '..', '..');
const REGION = '420506';
const PROJECTS = 3;
const officer: Actor = { id: 'officer-1', role: 'officer', regions: [REGION] };
const today = () => shanghaiDate(new Date().toISOString());
const taskQueue = `replay-${randomUUID()}`;
const query = `TaskQueue = '${taskQueue}' AND WorkflowType = 'projectWorkflow'`;

let dataSource: DataSource;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let nativeConnection: NativeConnection;
let variantDir: string;
const workflowIds: string[] = [];

/**
 * The current project workflow behind a timer it never used to start: every history recorded
 * without that timer must fail to replay.
 */
function writeNondeterministicVariant(dir: string): string {
  const file = join(dir, 'workflows.js');
  writeFileSync(
    file,
    [
      "import { sleep } from '@temporalio/workflow';",
      `import { projectWorkflow as current } from ${JSON.stringify(
        join(ROOT, 'apps/worker/src/workflows/project.workflow'),
      )};`,
      'export async function projectWorkflow(input) {',
      '  await sleep(1);',
      '  return current(input);',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

async function runProject(n: number): Promise<string> {
  const projectId = randomUUID();
  const handle = await client.workflow.start('projectWorkflow', {
    taskQueue,
    workflowId: projectWorkflowId(projectId),
    args: [{ projectId }],
  });
  const send = (command: ProjectCommand) =>
    handle.executeUpdate(executeCommand, { args: [{ commandId: randomUUID(), actor: officer, command }] });
  const d = today();
  await send({
    type: 'RegisterLead',
    data: {
      projectId,
      name: `回放检查项目${n}`,
      investor: { name: '某某装备集团', type: 'private', flags: [] },
      industryChain: '先进装备制造',
      region: REGION,
      park: null,
      industrial: true,
      plannedInvestment: '80000000',
      source: '驻外招商',
      leadDate: d,
    },
  });
  await send({ type: 'LogServiceVisit', data: { visitDate: d, summary: '首次走访' } });
  await send({ type: 'StartTalks', data: { talksDate: d, leadingOfficial: '副市长' } });
  await send({ type: 'LogServiceVisit', data: { visitDate: d, summary: '洽谈跟进' } });
  await send({
    type: 'Sign',
    data: { contractDate: d, contractInvestment: '80000000', contractNumber: `HT-R-${n}` },
  });
  return handle.workflowId;
}

beforeAll(async () => {
  quietRuntime();
  dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
  await dataSource.initialize();
  nativeConnection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    dataSource,
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
  client = new Client({
    connection: await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! }),
  });
  workflowIds.push(...(await Promise.all(Array.from({ length: PROJECTS }, (_, i) => runProject(i + 1)))));
  // Visibility is eventually consistent: wait until every workflow is listed.
  for (let i = 0; i < 100 && (await client.workflow.count(query)).count < PROJECTS; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  variantDir = mkdtempSync(join(tmpdir(), 'replay-variant-'));
}, 90_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await client?.connection.close();
  await dataSource?.destroy();
  if (variantDir) rmSync(variantDir, { recursive: true, force: true });
}, 60_000);

/** The built command (scripts/test.sh builds before testing), against the suite's server. */
function runCommand(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: 'default',
  };
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist/scripts/replay-workflows.js'), ...args],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

const byWorkflowId = (outcomes: ReplayOutcome[]) =>
  [...outcomes].sort((a, b) => a.workflowId.localeCompare(b.workflowId));

describe('replaying listed project workflows', () => {
  it('replays every listed workflow cleanly against the current code', async () => {
    const seen: ReplayOutcome[] = [];
    const report = await replayWorkflows({
      client,
      query,
      concurrency: 2,
      workflowBundle: await workflowBundle(),
      onOutcome: (o) => seen.push(o),
    });
    expect(report).toMatchObject({ query, replayed: PROJECTS, nondeterministic: [], failed: [] });
    expect(seen.map((o) => o.workflowId).sort()).toEqual([...workflowIds].sort());
    expect(seen.every((o) => o.status === 'ok' && o.runId.length > 0)).toBe(true);
    expect(report.historiesPerSecond).toBeGreaterThan(0);
  });

  it('stops after --limit executions', async () => {
    const report = await replayWorkflows({ client, query, limit: 2, workflowBundle: await workflowBundle() });
    expect(report.replayed).toBe(2);
    expect(report.nondeterministic).toEqual([]);
  });

  it('runs as a command: a summary line and exit 0 when all replay cleanly, 2 for a bad query', async () => {
    const clean = await runCommand(['--query', query, '--concurrency', '2']);
    expect(clean.stdout).toMatch(
      new RegExp(
        `^${PROJECTS} replayed, 0 nondeterministic, 0 other failures, [\\d.]+ s, [\\d.]+ histories/s$`,
        'm',
      ),
    );
    expect(clean.code).toBe(0);
    const bad = await runCommand(['--query', 'NoSuchAttribute = 1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('NoSuchAttribute');
    expect(await runCommand(['--limit', '0'])).toMatchObject({ code: 2 });
  }, 60_000);

  it('names every workflow as nondeterministic against code that issues a command they never saw', async () => {
    const variant = await bundleWorkflowCode({
      workflowsPath: writeNondeterministicVariant(variantDir),
      logger: new DefaultLogger('WARN'),
      // The bundle's own entry imports the SDK from beside the workflows module: look in the repo's
      // packages too, as the variant lives outside the repo.
      webpackConfigHook: (config) => {
        const base = workflowBundlerOptions!.webpackConfigHook!(config);
        const modules = [...(base.resolve?.modules ?? ['node_modules']), join(ROOT, 'node_modules')];
        return { ...base, resolve: { ...base.resolve, modules } };
      },
    });
    const report = await replayWorkflows({ client, query, workflowBundle: variant });
    expect(report.replayed).toBe(PROJECTS);
    expect(report.failed).toEqual([]);
    expect(byWorkflowId(report.nondeterministic).map((o) => o.workflowId)).toEqual([...workflowIds].sort());
    for (const outcome of report.nondeterministic) {
      expect(outcome).toMatchObject({
        status: 'nondeterministic',
        error: expect.stringMatching(/nondeterminism/i),
      });
      expect(outcome.runId).toMatch(/\S/);
    }
  }, 60_000);
});
