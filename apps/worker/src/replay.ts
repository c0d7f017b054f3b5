import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { PROJECT_WORKFLOW_TYPE } from '@app/workflow-interface';
import { workflowBundlerOptions, workflowsPath as defaultWorkflowsPath } from './worker';

/** Every project workflow, open and closed (listing covers both unless the query narrows it). */
export const DEFAULT_REPLAY_QUERY = `WorkflowType = '${PROJECT_WORKFLOW_TYPE}'`;

export interface ReplayWorkflowsOptions {
  client: Client;
  /** A visibility query; defaults to every project workflow. */
  query?: string;
  /** Replay at most this many executions (runs), in the order visibility lists them. */
  limit?: number;
  /** Histories fetched at the same time, ahead of the replay. */
  concurrency?: number;
  /** Prebuilt workflow code; otherwise `workflowsPath` is bundled once for the whole run. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The workflows module to bundle; defaults to the worker's own. */
  workflowsPath?: string;
  /** Called for each execution as soon as its outcome is known, so callers can stream output. */
  onOutcome?: (outcome: ReplayOutcome) => void;
}

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  /** `failed` is anything but nondeterminism: the history could not be fetched or replayed. */
  status: 'ok' | 'nondeterministic' | 'failed';
  error?: string;
}

export interface ReplayReport {
  query: string;
  /** Executions listed and attempted, whatever their outcome. */
  replayed: number;
  nondeterministic: ReplayOutcome[];
  failed: ReplayOutcome[];
  /** From the first listing call to the last result, bundling excluded. */
  seconds: number;
  historiesPerSecond: number;
}

type Fetched =
  | { workflowId: string; runId: string; history: unknown }
  | { workflowId: string; runId: string; error: unknown };

/** An error and its causes on one line: the SDK's own messages say little without the gRPC cause. */
function oneLine(e: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = e; c !== undefined && c !== null && parts.length < 5;) {
    parts.push(c instanceof Error ? `${c.name}: ${c.message}` : JSON.stringify(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  return parts.join(' <- ').replace(/\s*\n\s*/g, ' ');
}

/** A listing that fails (a bad query, an unreachable server) fails the whole run. */
export class ReplayListingError extends Error {
  constructor(query: string, cause: unknown) {
    super(`listing workflows for ${JSON.stringify(query)} failed: ${oneLine(cause)}`, { cause });
    this.name = 'ReplayListingError';
  }
}

/**
 * Lists workflow executions, fetches their histories and replays each against the given workflow
 * code, one replay worker for the whole run. Nondeterminism and other failures are reported per
 * execution; only a failing listing throws (a `ReplayListingError`).
 */
export async function replayWorkflows(options: ReplayWorkflowsOptions): Promise<ReplayReport> {
  const query = options.query ?? DEFAULT_REPLAY_QUERY;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const limit = options.limit ?? Infinity;
  const workflowBundle =
    options.workflowBundle ??
    (await bundleWorkflowCode({
      workflowsPath: options.workflowsPath ?? defaultWorkflowsPath,
      ...workflowBundlerOptions,
      // Webpack's report only when something is wrong: the replay's own lines are the output.
      logger: new DefaultLogger('WARN'),
    }));

  const nondeterministic: ReplayOutcome[] = [];
  const failed: ReplayOutcome[] = [];
  let replayed = 0;
  const report = (outcome: ReplayOutcome) => {
    replayed++;
    if (outcome.status === 'nondeterministic') nondeterministic.push(outcome);
    if (outcome.status === 'failed') failed.push(outcome);
    options.onOutcome?.(outcome);
  };

  const started = process.hrtime.bigint();
  const client = options.client;
  async function* listed(): AsyncGenerator<{ workflowId: string; runId: string }> {
    if (limit <= 0) return;
    let count = 0;
    const executions = client.workflow.list({ query })[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<{ workflowId: string; runId: string }>;
      try {
        next = await executions.next();
      } catch (e) {
        throw new ReplayListingError(query, e);
      }
      if (next.done) return;
      yield { workflowId: next.value.workflowId, runId: next.value.runId };
      if (++count >= limit) {
        await executions.return?.();
        return;
      }
    }
  }

  // Fetches run ahead of the replay, up to `concurrency` at once; results keep the listing order.
  async function* fetched(): AsyncGenerator<Fetched> {
    const pending: Promise<Fetched>[] = [];
    const fetchOne = ({ workflowId, runId }: { workflowId: string; runId: string }) =>
      client.workflow
        .getHandle(workflowId, runId)
        .fetchHistory()
        .then(
          (history): Fetched => ({ workflowId, runId, history }),
          (error: unknown): Fetched => ({ workflowId, runId, error }),
        );
    for await (const execution of listed()) {
      pending.push(fetchOne(execution));
      if (pending.length >= concurrency) yield await pending.shift()!;
    }
    while (pending.length > 0) yield await pending.shift()!;
  }

  // The replay worker pulls one history at a time and answers before pulling the next, so the
  // execution last handed over is the one each result belongs to.
  let current: { workflowId: string; runId: string } | undefined;
  async function* histories() {
    for await (const item of fetched()) {
      const { workflowId, runId } = item;
      if ('error' in item) {
        report({ workflowId, runId, status: 'failed', error: `fetching history: ${oneLine(item.error)}` });
        continue;
      }
      const events = (item.history as { events?: unknown[] | null }).events;
      if (!events?.length) {
        // An empty history would stop the replay worker for every execution after it.
        report({ workflowId, runId, status: 'failed', error: 'empty history' });
        continue;
      }
      current = { workflowId, runId };
      yield { workflowId, history: item.history };
    }
  }

  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories())) {
    const { workflowId, runId } = current ?? { workflowId: result.workflowId, runId: result.runId };
    if (!result.error) report({ workflowId, runId, status: 'ok' });
    else
      report({
        workflowId,
        runId,
        status: result.error instanceof DeterminismViolationError ? 'nondeterministic' : 'failed',
        error: oneLine(result.error),
      });
  }

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    query,
    replayed,
    nondeterministic,
    failed,
    seconds,
    historiesPerSecond: seconds > 0 ? replayed / seconds : 0,
  };
}
