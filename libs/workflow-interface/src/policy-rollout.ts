import type { Client } from '@temporalio/client';
import type { VersionedPolicy } from '@app/domain';
import { PROJECT_WORKFLOW_TYPE, policyChanged } from './messages';

/**
 * Sends a policy version to every running project workflow (found by a visibility query), so each
 * recomputes its deadlines. Workflows started later load the stored version themselves; a workflow
 * that gets a version twice, or an older one, ignores it. Not exported from the index: workflow
 * code must not import the client.
 */
export async function rollOutPolicy(
  client: Client,
  policy: VersionedPolicy,
  options: { taskQueue?: string; concurrency?: number } = {},
): Promise<{ signalled: number }> {
  const filters = [`WorkflowType = '${PROJECT_WORKFLOW_TYPE}'`, `ExecutionStatus = 'Running'`];
  if (options.taskQueue) filters.push(`TaskQueue = '${options.taskQueue.replace(/'/g, '')}'`);
  const pending: Promise<void>[] = [];
  let signalled = 0;
  for await (const execution of client.workflow.list({ query: filters.join(' AND ') })) {
    pending.push(
      client.workflow
        .getHandle(execution.workflowId)
        .signal(policyChanged, policy)
        .then(() => {
          signalled++;
        }),
    );
    if (pending.length >= (options.concurrency ?? 50)) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return { signalled };
}
