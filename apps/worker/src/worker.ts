import type { FileStore } from '@app/file-store';
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import {
  createCalendarActivities,
  createDigestActivities,
  createFileCleanupActivities,
  createLedgerImportActivities,
  createPolicyRolloutActivities,
  createProjectActivities,
  createReviewActivities,
} from './activities';

/** Where `@app/*` libraries live relative to this file, in sources and in dist/ alike. */
const LIBS_DIR = resolve(__dirname, '../../../libs');
const WORKFLOW_LIBS = ['domain', 'workflow-interface'];

/** Webpack options for the workflow bundle: resolve the libraries workflow code may import. */
export const workflowBundlerOptions: WorkerOptions['bundlerOptions'] = {
  webpackConfigHook: (config) => {
    const alias: Record<string, string> = Object.fromEntries(
      WORKFLOW_LIBS.map((lib) => [`@app/${lib}`, resolve(LIBS_DIR, lib, 'src')]),
    );
    config.resolve = { ...config.resolve, alias: { ...(config.resolve?.alias as object), ...alias } };
    return config;
  },
};

export const workflowsPath = require.resolve('./workflows');

export interface ProjectWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataSource: DataSource;
  /** The 回头看's pool, with batch timeouts (its statements read the whole read model); else dataSource. */
  reviewDataSource?: DataSource;
  /** The client the background workflows' activities act through (policy rollout); without it they are not registered. */
  client?: Client;
  /** The duplicate window the import's dry run flags within (DUPLICATE_WINDOW_DAYS); the domain's default otherwise. */
  duplicateWindowDays?: number;
  /** Extra activities (the audit checkpoint's), registered beside the project and review ones. */
  activities?: Record<string, (...args: never[]) => unknown>;
  /** The object store evidence contents live in (FILE_STORE=s3), whose objects the clean-up removes. */
  objectStore?: FileStore;
  /** A prebuilt bundle (tests share one); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  extra?: Partial<WorkerOptions>;
}

/**
 * When a worker dies, the next one takes its workflows over within seconds, not tens of seconds.
 * A workflow's next task goes first to the sticky queue of the worker that last ran it; if that worker
 * is gone, the task waits out this timeout before any worker may take it from the normal queue
 * (10 s by default). The cost: a worker that is only busy for longer than this loses the task to the
 * normal queue too, where another worker takes it and replays the whole history.
 * The heartbeat throttle lets each heartbeat of a running append reach the server within a second,
 * so the activity's heartbeat timeout (set in the workflow) sees a dead worker at once; the cost is a
 * heartbeat RPC a second per running append. The grace time lets a stopping worker finish the
 * appends it holds instead of cancelling them into a retry.
 */
export const FAST_TAKEOVER = {
  stickyQueueScheduleToStartTimeout: '2 seconds',
  maxHeartbeatThrottleInterval: '1 second',
  shutdownGraceTime: '5 seconds',
} satisfies Partial<WorkerOptions>;

export function createProjectWorker(options: ProjectWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath, bundlerOptions: workflowBundlerOptions }),
    activities: {
      ...createProjectActivities(options.dataSource),
      ...createReviewActivities(options.reviewDataSource ?? options.dataSource),
      ...createCalendarActivities(options.dataSource),
      ...createFileCleanupActivities(options.dataSource, options.objectStore),
      ...createDigestActivities(options.dataSource),
      ...(options.client ? createPolicyRolloutActivities(options.dataSource, options.client) : {}),
      ...(options.client
        ? createLedgerImportActivities(options.dataSource, options.client, {
            duplicateWindowDays: options.duplicateWindowDays,
          })
        : {}),
      ...options.activities,
    },
    ...FAST_TAKEOVER,
    ...options.extra,
  });
}
