import { resolve } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createProjectActivities, createReviewActivities } from './activities';

/** Where `@app/*` libraries live relative to this file, in sources and in dist/ alike. */
const LIBS_DIR = resolve(__dirname, '../../../libs');
const WORKFLOW_LIBS = ['domain', 'workflow-interface'];

/** Webpack options for the workflow bundle: resolve the libraries workflow code may import. */
export const workflowBundlerOptions: WorkerOptions['bundlerOptions'] = {
  webpackConfigHook: (config) => {
    const alias: Record<string, string> = Object.fromEntries(
      WORKFLOW_LIBS.map((lib) => [`@app/${lib}`, resolve(LIBS_DIR, lib, 'src')]),
    );
    // chinese-days declares CommonJS but points `module` at an ES build; take its CommonJS build.
    alias['chinese-days$'] = require.resolve('chinese-days');
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
  /** A prebuilt bundle (tests share one); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  extra?: Partial<WorkerOptions>;
}

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
      ...createReviewActivities(options.dataSource),
    },
    ...options.extra,
  });
}
