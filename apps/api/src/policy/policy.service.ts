import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { Environment } from '@app/config';
import { DEFAULT_POLICY, validatePolicy, type Actor } from '@app/domain';
import { storePolicy } from '@app/persistence';
import { startPolicyRollout } from '@app/workflow-interface/policy-rollout-start';
import {
  policyRolloutProgress,
  policyRolloutWorkflowId,
} from '@app/workflow-interface/policy-rollout-workflow';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import type { PolicyRolloutView, PolicyView, UpdatePolicyDto } from './policy.dto';
import { PolicyQueries } from './policy.queries';
import { isDeadlineExceeded, withinDeadline, WORKFLOW_READ_TIMEOUT_MS } from '../common/temporal-deadline';

/** How long a PUT waits for a small rollout to finish, so its answer can say it is done. */
const ROLLOUT_WAIT_MS = 3000;

const NO_PROGRESS = { total: null, signalled: 0, notRunning: 0, pages: 0, lateSignalled: 0 };

@Injectable()
export class PolicyService {
  private readonly logger = new Logger(PolicyService.name);

  constructor(
    private readonly queries: PolicyQueries,
    private readonly temporal: Client,
    private readonly env: Environment,
  ) {}

  async current(): Promise<PolicyView> {
    const stored = await this.stored();
    return { ...stored, rollout: stored.version > 0 ? await this.rollout(stored.version) : null };
  }

  private async stored(): Promise<PolicyView> {
    const row = await this.queries.latest();
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
   * Starts the version's rollout workflow unless it was started before (its id is the version's).
   * Also run on reading a version whose rollout is missing, e.g. after the API stopped between
   * storing a version and starting its rollout.
   */
  private async startRollout(version: number): Promise<boolean> {
    try {
      return await startPolicyRollout(this.temporal, version, this.env.TEMPORAL_TASK_QUEUE);
    } catch (e) {
      this.logger.error({ message: 'policy rollout not started', version, error: String(e) });
      return false;
    }
  }

  /**
   * How far the version's rollout got; `pending` when its workflow cannot be reached now. Each call
   * to Temporal is bounded, so that a busy worker delays the figures, never the page.
   */
  private async rollout(version: number, waitMs = 0): Promise<PolicyRolloutView> {
    const handle = this.temporal.workflow.getHandle(policyRolloutWorkflowId(version));
    const bounded = <T>(call: () => Promise<T>) =>
      withinDeadline(this.temporal, WORKFLOW_READ_TIMEOUT_MS, call);
    const deadline = Date.now() + waitMs;
    try {
      for (;;) {
        const { status } = await bounded(() => handle.describe());
        if (status.name === 'COMPLETED') {
          return { workflowId: handle.workflowId, ...(await bounded(() => handle.result())) };
        }
        if (status.name !== 'RUNNING') {
          return { workflowId: handle.workflowId, version, status: 'failed', ...NO_PROGRESS };
        }
        if (Date.now() >= deadline) {
          return {
            workflowId: handle.workflowId,
            ...(await bounded(() => handle.query(policyRolloutProgress))),
          };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) await this.startRollout(version);
      else if (!isDeadlineExceeded(e)) {
        this.logger.warn({ message: 'policy rollout status unknown', version, error: String(e) });
      }
      return { workflowId: handle.workflowId, version, status: 'pending', ...NO_PROGRESS };
    }
  }

  /**
   * Stores the next version if the caller saw the current one, then starts the workflow that sends
   * it to every project workflow, and answers with how far that got within a few seconds.
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
    const stored = await this.queries.asOnlyWriter(async (version, manager) => {
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
    // The version is stored: the rollout workflow takes it to every project from here, crash or not.
    await this.startRollout(stored.version);
    const rollout = await this.rollout(stored.version, ROLLOUT_WAIT_MS);
    this.logger.log({ message: 'policy stored', version: stored.version, rollout });
    return { ...(await this.stored()), rollout, workflowsSignalled: rollout.signalled };
  }
}
