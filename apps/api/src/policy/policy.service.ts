import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import { DEFAULT_POLICY, validatePolicy, type Actor } from '@app/domain';
import { storePolicy } from '@app/persistence';
import { rollOutPolicy } from '@app/workflow-interface/policy-rollout';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import type { PolicyView, UpdatePolicyDto } from './policy.dto';

interface PolicyRow {
  version: number;
  policy: Record<string, unknown>;
  created_at: Date;
  created_by: string;
  reason: string | null;
}

@Injectable()
export class PolicyService {
  private readonly logger = new Logger(PolicyService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: Client,
    private readonly env: Environment,
  ) {}

  async current(): Promise<PolicyView> {
    const [row] = await this.dataSource.query<PolicyRow[]>(
      `SELECT version, policy, created_at, created_by, reason FROM policies ORDER BY version DESC LIMIT 1`,
    );
    if (!row) {
      return {
        version: 0,
        policy: DEFAULT_POLICY as unknown as Record<string, unknown>,
        createdAt: null,
        createdBy: null,
        reason: null,
      };
    }
    return {
      version: row.version,
      policy: row.policy,
      createdAt: row.created_at.toISOString(),
      createdBy: row.created_by,
      reason: row.reason,
    };
  }

  /**
   * Stores the next version if the caller saw the current one, then sends it to every open project
   * workflow. A workflow started meanwhile loads the stored version itself, so none is missed.
   */
  async update(dto: UpdatePolicyDto, actor: Actor, expectedVersion: number): Promise<PolicyView> {
    const checked = validatePolicy(dto.policy);
    if (!checked.ok) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}invalid-policy`,
        title: 'The policy is not valid',
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        detail: checked.errors.map((e) => `policy${e.field ? `.${e.field}` : ''}: ${e.message}`).join('; '),
        errors: checked.errors.map((e) => ({
          field: `policy${e.field ? `.${e.field}` : ''}`,
          rule: e.rule,
          message: e.message,
        })),
      });
    }
    const stored = await this.dataSource.transaction(async (manager) => {
      // One writer at a time, so the version the caller saw is still the latest when we add to it.
      await manager.query(`LOCK TABLE policies IN SHARE ROW EXCLUSIVE MODE`);
      const [{ version }] = await manager.query<{ version: number }[]>(
        `SELECT COALESCE(MAX(version), 0) AS version FROM policies`,
      );
      if (version !== expectedVersion) {
        throw new ProblemException({
          type: `${PROBLEM_BASE}version-conflict`,
          title: 'The policy has changed since you read it',
          status: HttpStatus.PRECONDITION_FAILED,
          detail: `expected version ${expectedVersion}, the policy is at ${version}`,
          expectedVersion,
          actualVersion: version,
        });
      }
      return storePolicy(manager, checked.policy, actor.id, dto.reason);
    });
    const { signalled } = await rollOutPolicy(this.temporal, stored, {
      taskQueue: this.env.TEMPORAL_TASK_QUEUE,
    });
    this.logger.log({ message: 'policy rolled out', version: stored.version, workflowsSignalled: signalled });
    return { ...(await this.current()), workflowsSignalled: signalled };
  }
}
