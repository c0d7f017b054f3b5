/**
 * Lists project workflows on the Temporal server, fetches their histories and replays them against
 * the current workflow code, naming every nondeterministic or failed execution.
 *   node dist/scripts/replay-workflows.js [--query "<visibility query>"] [--limit N] [--concurrency N]
 * Connects to TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE. Exits 0 when every history replays cleanly,
 * 1 when any is nondeterministic (the finding that matters most, so it wins over other failures),
 * 2 on any other failure.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadEnvironment } from '../libs/config/src';
import { DEFAULT_REPLAY_QUERY, ReplayListingError, replayWorkflows } from '../apps/worker/src/replay';

const USAGE = 'usage: replay-workflows [--query "<visibility query>"] [--limit N] [--concurrency N]\n';

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive integer\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<number> {
  let values: { query?: string; limit?: string; concurrency?: string };
  try {
    ({ values } = parseArgs({
      options: {
        query: { type: 'string', default: DEFAULT_REPLAY_QUERY },
        limit: { type: 'string' },
        concurrency: { type: 'string', default: '8' },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const limit = positive('limit', values.limit);
  const concurrency = positive('concurrency', values.concurrency);
  const env = loadEnvironment();
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    const report = await replayWorkflows({
      client,
      query: values.query,
      limit,
      concurrency,
      onOutcome: (o) => {
        if (o.status === 'nondeterministic' || o.status === 'failed') {
          const label = o.status === 'nondeterministic' ? 'NONDETERMINISTIC' : 'FAILED';
          process.stdout.write(`${label} ${o.workflowId} ${o.runId}: ${o.error}\n`);
        }
      },
    });
    const nd = report.nondeterministic.length;
    const other = report.failed.length;
    process.stdout.write(
      `${report.replayed} replayed, ${nd} nondeterministic, ${other} other failures, ` +
        `${report.seconds.toFixed(2)} s, ${report.historiesPerSecond.toFixed(1)} histories/s\n`,
    );
    if (report.replayed === 0) process.stderr.write(`no workflow matched: ${report.query}\n`);
    return nd > 0 ? 1 : other > 0 ? 2 : 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    // A listing failure is the operator's to fix (query, address): its message says all there is.
    const text =
      e instanceof ReplayListingError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`${text}\n`);
    process.exit(2);
  },
);
