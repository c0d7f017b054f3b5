import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  POLICY_ROLLOUT_WORKFLOW_TYPE,
  policyRolloutWorkflowId,
  type PolicyRolloutInput,
} from './policy-rollout-workflow';

/**
 * Starts a stored policy version's rollout workflow unless one was ever started for it: true when
 * this call started it. Client code only (workflow code must not import the client).
 */
export async function startPolicyRollout(
  client: Client,
  version: number,
  taskQueue: string,
): Promise<boolean> {
  const input: PolicyRolloutInput = { version };
  try {
    await client.workflow.start(POLICY_ROLLOUT_WORKFLOW_TYPE, {
      workflowId: policyRolloutWorkflowId(version),
      taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return true;
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw e;
  }
}
