/** The workflow the `audit-checkpoint` schedule starts once per interval, whatever the replica count. */
export const AUDIT_CHECKPOINT_WORKFLOW_TYPE = 'auditCheckpointWorkflow';
export const AUDIT_CHECKPOINT_SCHEDULE_ID = 'audit-checkpoint';

/** What one checkpoint did: the report of the run. */
export interface AuditCheckpointResult {
  checkpointId: number;
  merkleRoot: string;
  projects: number;
  /** Events re-hashed this time: those after each chain's previously checkpointed head. */
  eventsHashed: number;
  basedOn: number | null;
  /** Chains not extended, and why (each also raised as an alert to auditors). */
  blocked: { projectId: string; version: number; problem: string; detail: string }[];
}
