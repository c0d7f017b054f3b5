import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createProjectWorker } from '../../apps/worker/src/worker';
import { shanghaiDate, type Actor, type ProjectCommand } from '../../libs/domain/src';
import { temporalTestServerPath } from '../../libs/local-stack/src';
import { createDataSource, readStream, type StoredEvent } from '../../libs/persistence/src';
import {
  executeCommand,
  projectWorkflowId,
  type CommandResult,
  type ProjectWorkflowInput,
} from '../../libs/workflow-interface/src';
import { quietRuntime, workflowBundle } from './system';

export { quietRuntime };

export interface TimeSkippingSystem {
  env: TestWorkflowEnvironment;
  worker: Worker;
  dataSource: DataSource;
  taskQueue: string;
  /** Moves the server's clock forward to this instant (firing every timer on the way). */
  sleepUntil(instant: string): Promise<void>;
  now(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Temporal's time-skipping test server, its clock started at `startTimeUtc` ('YYYY-MM-DD HH:MM:SS'),
 * with a real worker on the suite's PostgreSQL.
 */
export async function startTimeSkipping(startTimeUtc: string): Promise<TimeSkippingSystem> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: { type: 'existing-path', path: temporalTestServerPath() },
      // Read by our wrapper script, which starts the server's clock there.
      extraArgs: [`--start-time=${startTimeUtc}`],
    },
  });
  const dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
  await dataSource.initialize();
  const taskQueue = `ts-${randomUUID()}`;
  const worker = await createProjectWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    dataSource,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  return {
    env,
    worker,
    dataSource,
    taskQueue,
    async sleepUntil(instant) {
      const ms = Date.parse(instant) - (await env.currentTimeMs());
      if (ms > 0) await env.sleep(ms);
    },
    async now() {
      return new Date(await env.currentTimeMs()).toISOString();
    },
    async stop() {
      const t0 = Date.now();
      const mark = (what: string) =>
        process.env.TEST_STACK_VERBOSE && console.log(`${what} +${Date.now() - t0}ms`);
      worker.shutdown();
      await running;
      mark('worker stopped');
      await env.teardown();
      mark('server stopped');
      await dataSource.destroy();
    },
  };
}

/** A project workflow under test, and the commands a person would send it. */
export class ProjectDriver {
  readonly handle: WorkflowHandle;
  private seq = 0;

  private constructor(
    readonly projectId: string,
    handle: WorkflowHandle,
  ) {
    this.handle = handle;
  }

  static async start(
    client: TestWorkflowEnvironment['client'],
    taskQueue: string,
    input: Partial<ProjectWorkflowInput> = {},
  ): Promise<ProjectDriver> {
    const projectId = randomUUID();
    const handle = await client.workflow.start('projectWorkflow', {
      taskQueue,
      workflowId: projectWorkflowId(projectId),
      args: [{ projectId, searchAttributes: false, ...input }],
    });
    return new ProjectDriver(projectId, handle);
  }

  send(
    actor: Actor,
    command: ProjectCommand,
    commandId = `${this.projectId}-${++this.seq}`,
  ): Promise<CommandResult> {
    return this.handle.executeUpdate(executeCommand, { args: [{ commandId, actor, command }] });
  }
}

/** The Asia/Shanghai calendar date of an instant. */
export const shanghaiDay = shanghaiDate;

export async function eventsOf(
  dataSource: DataSource,
  projectId: string,
  types?: string[],
): Promise<StoredEvent[]> {
  const all = await readStream(dataSource.manager, projectId);
  return types ? all.filter((e) => types.includes(e.type)) : all;
}
