import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { projectWorkflowId } from '@app/workflow-interface';

/** Signals in flight at once. */
const CONCURRENCY = 20;

/**
 * Sends one signal to each project's workflow, a few at a time; a project whose workflow is not
 * running is counted, not an error. `afterBatch` runs after each batch (an activity's heartbeat).
 */
export async function signalProjects<Arg>(
  client: Client,
  projectIds: string[],
  signal: SignalDefinition<[Arg]>,
  arg: Arg,
  afterBatch: (done: number) => void = () => undefined,
): Promise<{ signalled: number; notRunning: number }> {
  let signalled = 0;
  let notRunning = 0;
  for (let i = 0; i < projectIds.length; i += CONCURRENCY) {
    await Promise.all(
      projectIds.slice(i, i + CONCURRENCY).map(async (projectId) => {
        try {
          await client.workflow.getHandle(projectWorkflowId(projectId)).signal(signal, arg);
          signalled++;
        } catch (e) {
          if (!(e instanceof WorkflowNotFoundError)) throw e;
          notRunning++;
        }
      }),
    );
    afterBatch(i);
  }
  return { signalled, notRunning };
}
