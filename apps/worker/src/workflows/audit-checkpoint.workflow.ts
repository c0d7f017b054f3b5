import { proxyActivities } from '@temporalio/workflow';
import type { AuditCheckpointResult } from '@app/workflow-interface/audit-checkpoint';
import type { AuditCheckpointActivities } from '../activities/audit-checkpoint-activities';
import { workflowTime } from '../workflow-time';

const { takeAuditCheckpoint } = proxyActivities<AuditCheckpointActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 3 },
});

/** One signed checkpoint of every chain head, started by the `audit-checkpoint` schedule. */
export async function auditCheckpointWorkflow(): Promise<AuditCheckpointResult> {
  return takeAuditCheckpoint({ at: workflowTime() });
}
