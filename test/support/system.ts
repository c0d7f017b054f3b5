import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
} from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createApp } from '../../apps/api/src/app.factory';
import { createAuditCheckpointActivities } from '../../apps/worker/src/activities';
import { createProjectWorker, workflowBundlerOptions, workflowsPath } from '../../apps/worker/src/worker';
import { DEVELOPMENT_AUDIT_SIGNING_KEY } from '../../libs/config/src';
import { createDataSource } from '../../libs/persistence/src';

export const TEST_JWT_SECRET = 'test-secret-for-the-suite-only';

let runtimeInstalled = false;
/** Keeps the SDK's own logging (worker states, the bundler's report) to warnings, so test output stays readable. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // A connection made earlier in this file already started the runtime with its default logger.
  }
}

let bundle: Promise<{ code: string }> | undefined;
/** Workflow code bundled once per test file. */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({
    workflowsPath,
    ...workflowBundlerOptions,
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

/**
 * The real stack for one test file: the worker on its own task queue against the suite's Temporal
 * dev server and PostgreSQL, and the Nest API over them, listening on a free port.
 */
export interface TestSystem {
  app: INestApplication;
  url: string;
  worker: Worker;
  client: Client;
  dataSource: DataSource;
  taskQueue: string;
  token(claims: { role: string; regions: string[]; sub?: string }): string;
  stop(): Promise<void>;
}

export async function startSystem(): Promise<TestSystem> {
  quietRuntime();
  const taskQueue = `test-${randomUUID()}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    DATABASE_APP_URL: process.env.TEST_DATABASE_APP_URL,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: taskQueue,
    JWT_SECRET: TEST_JWT_SECRET,
  });
  // The owner's connection for the tests themselves; the worker works as the app role.
  const dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
  await dataSource.initialize();
  const appDataSource = createDataSource(process.env.TEST_DATABASE_APP_URL ?? process.env.TEST_DATABASE_URL!);
  await appDataSource.initialize();
  const nativeConnection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  const connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  const client = new Client({ connection });
  const worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    dataSource: appDataSource,
    client,
    activities: createAuditCheckpointActivities(appDataSource, DEVELOPMENT_AUDIT_SIGNING_KEY),
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const app = await createApp(process.env.TEST_API_LOGS ? {} : { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const jwt = new JwtService({ secret: TEST_JWT_SECRET });
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    worker,
    client,
    dataSource,
    taskQueue,
    token: ({ role, regions, sub }) =>
      jwt.sign({ role, regions }, { subject: sub ?? `${role}-1`, expiresIn: '1h' }),
    async stop() {
      await app.close();
      // A test may have stopped the worker itself (to see what a client gets while none answers).
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await appDataSource.destroy();
      await dataSource.destroy();
    },
  };
}
