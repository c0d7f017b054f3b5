import type { DataSource } from 'typeorm';
import { takeCheckpoint } from '@app/audit-integrity';
import type { AuditCheckpointResult } from '@app/workflow-interface/audit-checkpoint';

/** The checkpoint's one activity: one REPEATABLE READ transaction, so a retry takes it whole again. */
export function createAuditCheckpointActivities(dataSource: DataSource, signingKeyPem: string) {
  return {
    async takeAuditCheckpoint(input: { at: string }): Promise<AuditCheckpointResult> {
      const outcome = await takeCheckpoint(dataSource, signingKeyPem, new Date(input.at));
      return {
        checkpointId: outcome.digest.checkpointId,
        merkleRoot: outcome.digest.merkleRoot,
        projects: outcome.digest.projects,
        eventsHashed: outcome.eventsHashed,
        basedOn: outcome.basedOn,
        blocked: outcome.blocked,
      };
    },
  };
}

export type AuditCheckpointActivities = ReturnType<typeof createAuditCheckpointActivities>;
