/**
 * Replays project workflow histories against the current workflow code and reports every
 * nondeterminism with its workflow id. Exits non-zero if any history fails to replay.
 *   node dist/scripts/replay-histories.js test/fixtures/histories/*.json
 * History files are JSON as `temporal workflow show --output json` exports them.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { workflowBundlerOptions, workflowsPath } from '../apps/worker/src/worker';

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: replay-histories <history.json>...\n');
    process.exit(2);
  }
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const histories = files.map((file) => ({
    workflowId: basename(file).replace(/\.json$/, ''),
    history: JSON.parse(readFileSync(file, 'utf8')) as unknown,
  }));
  let failed = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowsPath, bundlerOptions: workflowBundlerOptions },
    histories,
  )) {
    if (result.error) {
      failed++;
      process.stdout.write(`FAIL ${result.workflowId}: ${result.error.message}\n`);
    } else {
      process.stdout.write(`ok   ${result.workflowId}\n`);
    }
  }
  process.stdout.write(`${histories.length - failed} replayed, ${failed} nondeterministic\n`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
