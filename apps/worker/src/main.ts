import { S3FileStore } from '@app/file-store';
import 'reflect-metadata';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { BATCH_DATABASE_TIMEOUTS, loadEnvironment } from '@app/config';
import {
  createDataSource,
  currentPolicy,
  ensureBundledCalendars,
  markCalendarRolledOut,
  openDataSource,
  pendingCalendarRollout,
  PendingMigrationsError,
} from '@app/persistence';
import { startPolicyRollout } from '@app/workflow-interface/policy-rollout-start';
import { createAuditCheckpointActivities, signalCalendarToProjects } from './activities';
import { startWebhookDelivery } from './webhook-delivery';
import { startChannelDelivery } from './channel-delivery';
import { ensureAuditCheckpointSchedule } from './audit-checkpoints';
import { ensureFileCleanupSchedule } from './file-cleanup';
import { ensureDigestSchedule } from './digest-schedule';
import { ensureReviewSchedule } from './review-schedule';
import { createProjectWorker } from './worker';

const info = (msg: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(JSON.stringify({ level: 'info', msg, ...fields }) + '\n');

async function main(): Promise<void> {
  const env = loadEnvironment();
  // Worked through as the app role when DATABASE_APP_URL names one; never migrates (npm run migrate
  // does), and refuses to start while a migration is pending.
  const dataSource = await openDataSource({
    ownerUrl: env.DATABASE_URL,
    appUrl: env.DATABASE_APP_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    applicationName: 'lifecycle-worker',
    timeouts: {
      connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  });
  // The 回头看 runs one long transaction over the whole read model: a pool of its own, batch timeouts.
  const reviewDataSource = createDataSource(env.DATABASE_APP_URL ?? env.DATABASE_URL, {
    poolSize: 2,
    applicationName: 'lifecycle-worker-review',
    timeouts: { ...BATCH_DATABASE_TIMEOUTS, statementMs: env.DATABASE_BATCH_STATEMENT_TIMEOUT_MS },
  });
  await reviewDataSource.initialize();
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  // The background workflows' activities (the policy rollout's signals) act through this client.
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const worker = await createProjectWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    dataSource,
    reviewDataSource,
    client,
    duplicateWindowDays: env.DUPLICATE_WINDOW_DAYS,
    activities: createAuditCheckpointActivities(dataSource, env.AUDIT_SIGNING_KEY),
    objectStore: env.FILE_STORE === 's3' ? S3FileStore.fromSettings(env, dataSource) : undefined,
  });
  if (env.REVIEW_SCHEDULE_ENABLED) info(`review schedule ${await ensureReviewSchedule(client, env)}`);
  info(`audit checkpoint schedule ${await ensureAuditCheckpointSchedule(client, env)}`);
  info(`file cleanup schedule ${await ensureFileCleanupSchedule(client, env)}`);
  info(`morning digest schedule ${await ensureDigestSchedule(client, env)}`, { at: env.DIGEST_TIME });
  // A version stored by an API that stopped before starting its rollout is rolled out now.
  const policy = await currentPolicy(dataSource.manager);
  if (policy.version > 0 && (await startPolicyRollout(client, policy.version, env.TEMPORAL_TASK_QUEUE))) {
    info('policy rollout started', { version: policy.version });
  }
  // A newer bundled calendar (next year's holidays) reaches the open workflows from this start on;
  // recorded as rolled out only once every project was signalled, so a crash halfway signals again.
  await ensureBundledCalendars(dataSource.manager);
  const calendar = await pendingCalendarRollout(dataSource.manager);
  if (calendar) {
    const result = await signalCalendarToProjects(dataSource.manager, client, calendar);
    await markCalendarRolledOut(dataSource.manager, calendar.version);
    info(`calendar version ${calendar.version} rolled out`, result);
  }
  // The SDK's runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once it has drained.
  info('worker ready', { taskQueue: env.TEMPORAL_TASK_QUEUE, namespace: env.TEMPORAL_NAMESPACE });
  const delivery = startWebhookDelivery(dataSource, env);
  const channelDelivery = startChannelDelivery(dataSource, env);
  try {
    await worker.run();
  } finally {
    await channelDelivery.stop();
    await delivery?.stop();
    await connection.close();
    await reviewDataSource.destroy();
    await dataSource.destroy();
  }
}

main().catch((e: unknown) => {
  // A pending migration is the operator's next step, not a fault: its message says what to run.
  if (e instanceof PendingMigrationsError) process.stderr.write(`worker not started: ${e.message}\n`);
  else process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
