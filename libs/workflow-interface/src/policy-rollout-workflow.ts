import { defineQuery } from '@temporalio/workflow';

/** The workflow that sends a stored policy version to every project workflow. */
export const POLICY_ROLLOUT_WORKFLOW_TYPE = 'policyRolloutWorkflow';

/** One rollout per policy version: starting it again for the same version starts nothing. */
export function policyRolloutWorkflowId(version: number): string {
  return `policy-rollout-${version}`;
}

export interface PolicyRolloutInput {
  version: number;
  /** Projects signalled per activity. */
  pageSize?: number;
  /** Carried over continue-as-new: where the pass had got to. */
  resume?: { after: string | null; progress: PolicyRolloutProgress };
}

export interface PolicyRolloutProgress {
  version: number;
  /** started: counting; signalling: going through the projects; done: every project was sent it. */
  status: 'started' | 'signalling' | 'done';
  /** The projects in the read model when the rollout began (M of "signalled N of M"). */
  total: number | null;
  /** Projects whose workflow accepted the signal (N). */
  signalled: number;
  /** Projects in the read model whose workflow is not running (closed or terminated). */
  notRunning: number;
  /** Pages of projects done so far. */
  pages: number;
  /** Projects recorded around the time the version was stored, signalled once more at the end. */
  lateSignalled: number;
}

export const policyRolloutProgress = defineQuery<PolicyRolloutProgress>('policyRolloutProgress');
