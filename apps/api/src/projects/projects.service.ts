import { createHash, randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import { decide, initialState, type Actor, type ProjectCommand } from '@app/domain';
import { ProjectRecord } from '@app/persistence';
import {
  executeCommand,
  PROJECT_WORKFLOW_TYPE,
  projectWorkflowId,
  type CommandEnvelope,
  type CommandResult,
  type ProjectWorkflowInput,
} from '@app/workflow-interface';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { commandFailureProblem, refusalProblem } from './command-errors';
import type { RegisterProjectDto } from './dto/register-project.dto';

/** A project id that a repeated registration with the same idempotency key finds again. */
function projectIdFor(actor: Actor, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const h = createHash('sha256').update(`${actor.id}\u0000${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

@Injectable()
export class ProjectsService {
  constructor(
    private readonly temporal: Client,
    private readonly env: Environment,
    private readonly dataSource: DataSource,
  ) {}

  /** 线索登记: starts the project's workflow and sends it the registration, in one round trip. */
  async register(dto: RegisterProjectDto, actor: Actor, idempotencyKey?: string): Promise<ProjectRecord> {
    const projectId = projectIdFor(actor, idempotencyKey);
    const command: ProjectCommand = {
      type: 'RegisterLead',
      data: {
        projectId,
        name: dto.name,
        investor: { name: dto.investor.name, type: dto.investor.type, flags: dto.investor.flags ?? [] },
        industryChain: dto.industryChain,
        region: dto.region,
        park: dto.park ?? null,
        industrial: dto.industrial,
        plannedInvestment: dto.plannedInvestment,
        source: dto.source,
        leadDate: dto.leadDate,
      },
    };
    // The same rules the workflow applies, checked first so a refused lead starts no workflow.
    const precheck = decide(command, initialState, { actor, now: new Date().toISOString() });
    if (precheck.outcome === 'refused') throw refusalProblem(precheck.refusal);

    const envelope: CommandEnvelope = { commandId: idempotencyKey ?? randomUUID(), actor, command };
    const input: ProjectWorkflowInput = { projectId };
    await this.send(() =>
      this.temporal.workflow.executeUpdateWithStart(executeCommand, {
        args: [envelope],
        startWorkflowOperation: new WithStartWorkflowOperation(PROJECT_WORKFLOW_TYPE, {
          workflowId: projectWorkflowId(projectId),
          taskQueue: this.env.TEMPORAL_TASK_QUEUE,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      }),
    );
    return this.get(projectId);
  }

  async get(projectId: string): Promise<ProjectRecord> {
    const record = await this.dataSource.getRepository(ProjectRecord).findOneBy({ projectId });
    if (!record) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}not-found`,
        title: 'No such project',
        status: HttpStatus.NOT_FOUND,
        detail: `project ${projectId} does not exist`,
        code: 'PROJECT_NOT_FOUND',
      });
    }
    return record;
  }

  private async send(call: () => Promise<CommandResult>): Promise<CommandResult> {
    try {
      return await call();
    } catch (e) {
      throw commandFailureProblem(e) ?? e;
    }
  }
}
