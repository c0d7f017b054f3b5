import { heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import type { ProjectPolicy, VersionedPolicy } from '@app/domain';
import { policyChanged } from '@app/workflow-interface';
import { signalProjects } from './signal-projects';

/** Projects whose read-model row moved this long before the version was stored count as late. */
const LATE_MARGIN_MINUTES = 5;

export function createPolicyRolloutActivities(dataSource: DataSource, client: Client) {
  const policyOf = async (version: number): Promise<VersionedPolicy & { createdAt: Date }> => {
    const [row] = await dataSource.query<{ policy: ProjectPolicy; created_at: Date }[]>(
      `SELECT policy, created_at FROM policies WHERE version = $1`,
      [version],
    );
    if (!row) {
      throw ApplicationFailure.nonRetryable(`policy version ${version} is not stored`, 'PolicyNotFound');
    }
    return { version, policy: row.policy, createdAt: row.created_at };
  };

  return {
    /** How many projects the rollout has to reach (the M of "N of M"). */
    async startPolicyRollout(input: { version: number }): Promise<{ total: number }> {
      await policyOf(input.version);
      const [{ total }] = await dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM projects`,
      );
      return { total };
    },

    /**
     * Signals the version to the next page of projects after `after` (by id), or with `recentOnly`
     * to those whose row changed since shortly before the version was stored.
     */
    async signalProjectsPage(input: {
      version: number;
      after: string | null;
      limit: number;
      recentOnly?: boolean;
    }): Promise<{ next: string | null; signalled: number; notRunning: number }> {
      const { createdAt, ...policy } = await policyOf(input.version);
      const rows = await dataSource.query<{ project_id: string }[]>(
        `SELECT project_id FROM projects
         WHERE project_id > $1 AND ($3::timestamptz IS NULL OR updated_at >= $3::timestamptz)
         ORDER BY project_id LIMIT $2`,
        [
          input.after ?? '',
          input.limit,
          input.recentOnly
            ? new Date(createdAt.getTime() - LATE_MARGIN_MINUTES * 60_000).toISOString()
            : null,
        ],
      );
      const { signalled, notRunning } = await signalProjects(
        client,
        rows.map((r) => r.project_id),
        policyChanged,
        policy,
        heartbeat,
      );
      return {
        next: rows.length === input.limit ? rows[rows.length - 1].project_id : null,
        signalled,
        notRunning,
      };
    },
  };
}

export type PolicyRolloutActivities = ReturnType<typeof createPolicyRolloutActivities>;
