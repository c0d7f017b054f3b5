import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { BATCH_DATABASE_TIMEOUTS, loadEnvironment } from '@app/config';
import { createDataSource, runMigrations } from '@app/persistence';
import { startWebhookDelivery } from './webhook-delivery';
import { startAuditCheckpoints } from './audit-checkpoints';
import { ensureReviewSchedule } from './review-schedule';
import { createProjectWorker } from './worker';

async function main(): Promise<void> {
  const env = loadEnvironment();
  const dataSource = createDataSource(env.DATABASE_URL, {
    poolSize: env.DATABASE_POOL_SIZE,
    applicationName: 'lifecycle-worker',
    timeouts: {
      connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  });
  await dataSource.initialize();
  await runMigrations(dataSource);
  // The 回头看 runs one long transaction over the whole read model: a pool of its own, batch timeouts.
  const reviewDataSource = createDataSource(env.DATABASE_URL, {
    poolSize: 2,
    applicationName: 'lifecycle-worker-review',
    timeouts: { ...BATCH_DATABASE_TIMEOUTS, statementMs: env.DATABASE_BATCH_STATEMENT_TIMEOUT_MS },
  });
  await reviewDataSource.initialize();
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await createProjectWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    dataSource,
    reviewDataSource,
  });
  const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  if (env.REVIEW_SCHEDULE_ENABLED) {
    const client = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE });
    const schedule = await ensureReviewSchedule(client, env);
    process.stdout.write(JSON.stringify({ level: 'info', msg: `review schedule ${schedule}` }) + '\n');
  }
  // The SDK's runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once it has drained.
  process.stdout.write(
    JSON.stringify({
      level: 'info',
      msg: 'worker ready',
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      namespace: env.TEMPORAL_NAMESPACE,
    }) + '\n',
  );
  const delivery = startWebhookDelivery(dataSource, env);
  const checkpoints = startAuditCheckpoints(dataSource, env);
  try {
    await worker.run();
  } finally {
    await delivery?.stop();
    await checkpoints?.stop();
    await connection.close();
    await clientConnection.close();
    await reviewDataSource.destroy();
    await dataSource.destroy();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
