import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import {
  blockerDueDate,
  chinaCalendar,
  decide,
  EVIDENCE_SLOT_LABELS,
  evidenceMissingRefusal,
  evidenceRequirementsOf,
  evidenceStepOf,
  initialState,
  missingEvidence,
  mayRead,
  daysOverdueOn,
  LATEST_BUNDLED_CALENDAR,
  openDeadlines,
  refusal,
  shanghaiDate,
  type Actor,
  type EvidenceSlot,
  type ProjectCommand,
  type ProjectState,
} from '@app/domain';
import { currentPolicy, ProjectRecord, stableUuid } from '@app/persistence';
import {
  executeCommand,
  getDeadlines,
  PROJECT_WORKFLOW_TYPE,
  projectWorkflowId,
  type CommandEnvelope,
  type CommandResult,
  type DeadlinesView,
  type ProjectWorkflowInput,
} from '@app/workflow-interface';
import { commandIdFor } from '../common/idempotency';
import { DuplicatesService } from '../duplicates/duplicates.service';
import { CommandMetrics } from '../observability/command-metrics';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { commandFailureProblem, refusalProblem } from './command-errors';
import { evidenceStepViews, type EvidenceStepView, type RecordedFileView } from './dto/evidence.dto';
import type { RegisterProjectDto } from './dto/register-project.dto';
import { duplicateConfirmationOf } from './dto/transition.dto';
import { ProjectQueries } from './project.queries';
import { isDeadlineExceeded, withinDeadline, WORKFLOW_READ_TIMEOUT_MS } from '../common/temporal-deadline';

/** A project id that a repeated registration with the same idempotency key finds again. */
function projectIdFor(actor: Actor, idempotencyKey: string): string {
  return stableUuid(actor.id, idempotencyKey);
}

/** The workflow did not answer in time: the command may still be recorded, so retrying is safe. */
function commandTimedOut(timeoutMs: number): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}command-timeout`,
    title: 'The project did not answer in time',
    status: HttpStatus.SERVICE_UNAVAILABLE,
    detail:
      `no answer within ${timeoutMs} ms; send the same request with the same Idempotency-Key again ` +
      'after Retry-After to learn its outcome (it is applied at most once)',
    code: 'COMMAND_TIMEOUT',
  });
}

export function notFound(projectId: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}not-found`,
    title: 'No such project',
    status: HttpStatus.NOT_FOUND,
    detail: `project ${projectId} does not exist`,
    code: 'PROJECT_NOT_FOUND',
  });
}

/** What a write tells its caller: the project after it, and the events it recorded. */
export interface CommandOutcome {
  record: ProjectRecord;
  result: CommandResult;
  /** The Update's round trip to the workflow and back, in milliseconds (for Server-Timing). */
  updateMs?: number;
}

@Injectable()
export class ProjectsService {
  private readonly logger = new Logger(ProjectsService.name);

  constructor(
    private readonly temporal: Client,
    private readonly env: Environment,
    private readonly dataSource: DataSource,
    private readonly metrics: CommandMetrics,
    private readonly queries: ProjectQueries,
    private readonly duplicates: DuplicatesService,
  ) {}

  /** 线索登记: starts the project's workflow and sends it the registration, in one round trip. */
  async register(dto: RegisterProjectDto, actor: Actor, idempotencyKey: string): Promise<CommandOutcome> {
    const projectId = projectIdFor(actor, idempotencyKey);
    const command: ProjectCommand = {
      type: 'RegisterLead',
      data: {
        projectId,
        name: dto.name,
        investor: {
          name: dto.investor.name,
          type: dto.investor.type,
          flags: dto.investor.flags ?? [],
          ...(dto.investor.origin ? { origin: dto.investor.origin } : {}),
        },
        industryChain: dto.industryChain,
        region: dto.region,
        park: dto.park ?? null,
        industrial: dto.industrial,
        plannedInvestment: dto.plannedInvestment,
        source: dto.source,
        leadDate: dto.leadDate,
        ...duplicateConfirmationOf(dto.duplicateConfirmation),
      },
    };
    // The same rules the workflow applies, checked first so a refused lead starts no workflow.
    const precheck = decide(command, initialState, { actor, now: new Date().toISOString() });
    if (precheck.outcome === 'refused') throw refusalProblem(precheck.refusal);
    // A lead that looks like an earlier project counted again needs the person's confirmation.
    await this.duplicates.check(
      {
        projectId,
        name: dto.name,
        region: dto.region,
        investorName: dto.investor.name,
        creditCode: null,
        contractNumber: null,
        date: dto.leadDate,
      },
      command.data.duplicateConfirmation ?? null,
      actor,
    );

    const envelope: CommandEnvelope = { commandId: commandIdFor(actor, idempotencyKey), actor, command };
    const input: ProjectWorkflowInput = { projectId };
    const result = await this.send(projectId, command, () =>
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
    return { record: await this.find(projectId), result };
  }

  /**
   * Sends one lifecycle command to the project's workflow, which decides it against the state it
   * holds; `expectedVersion` comes from If-Match, and the command id from the Idempotency-Key.
   */
  async execute(
    projectId: string,
    actor: Actor,
    command: ProjectCommand,
    options: { idempotencyKey: string; expectedVersion: number },
  ): Promise<CommandOutcome> {
    // Which roles may send it the route's guard decided, from the domain's table.
    // No read first: a project with no workflow is answered 404 from the Update itself (send).
    if (command.type === 'Sign') await this.checkSigningDuplicates(projectId, actor, command, options);
    await this.checkEvidence(projectId, actor, command, options);
    const envelope: CommandEnvelope = {
      commandId: commandIdFor(actor, options.idempotencyKey),
      expectedVersion: options.expectedVersion,
      actor,
      command,
    };
    const started = process.hrtime.bigint();
    const result = await this.send(projectId, command, () =>
      this.temporal.workflow.getHandle(projectWorkflowId(projectId)).executeUpdate(executeCommand, {
        args: [envelope],
      }),
    );
    const updateMs = Number(process.hrtime.bigint() - started) / 1e6;
    // The read model was written in the append's transaction, before the Update answered.
    return { record: await this.find(projectId), result, updateMs };
  }

  /**
   * A signing whose contract number, or investor and name, an earlier project already has needs the
   * person's confirmation (409 LIKELY_DUPLICATE until it names that project). Checked only on a
   * signing the project would accept: an unknown project, a stale If-Match or the project's own
   * refusal is answered by the workflow first, as for any command, and names no other project.
   */
  private async checkSigningDuplicates(
    projectId: string,
    actor: Actor,
    command: Extract<ProjectCommand, { type: 'Sign' }>,
    options: { expectedVersion: number },
  ): Promise<void> {
    const record = await this.queries.findById(projectId);
    if (!record || record.revision !== options.expectedVersion) return;
    const state = record.state as ProjectState;
    const precheck = decide(command, state, { actor, now: new Date().toISOString() });
    if (precheck.outcome === 'refused') return;
    await this.duplicates.check(
      {
        projectId,
        name: record.name,
        region: record.region,
        investorName: record.investorName,
        creditCode: record.creditCode,
        contractNumber: command.data.contractNumber,
        date: command.data.contractDate,
      },
      command.data.duplicateConfirmation ?? null,
      actor,
    );
  }

  /**
   * A step the policy asks evidence for is refused (422 EVIDENCE_MISSING, naming each document) when
   * its files do not provide it. Checked, like a signing's duplicates, only on a command the project
   * would otherwise accept, so that a stage or version problem is answered first. Backdated history
   * from a ledger (RecordHistory) carries no files and is not asked for them.
   */
  private async checkEvidence(
    projectId: string,
    actor: Actor,
    command: ProjectCommand,
    options: { expectedVersion: number },
  ): Promise<void> {
    const step = evidenceStepOf(command.type);
    if (step === null) return;
    const record = await this.queries.findById(projectId);
    if (!record || record.revision !== options.expectedVersion) return;
    const precheck = decide(command, record.state as ProjectState, { actor, now: new Date().toISOString() });
    if (precheck.outcome === 'refused') return;
    const { policy } = await currentPolicy(this.dataSource.manager);
    const files = (command.data as { files?: { slot: EvidenceSlot }[] }).files ?? [];
    const missing = missingEvidence(evidenceRequirementsOf(policy), step, files);
    if (missing.length > 0) throw refusalProblem(evidenceMissingRefusal(missing));
  }

  /** The due date a blocker gets when the officer names none: the policy's default for its department. */
  async defaultBlockerDueDate(
    record: ProjectRecord,
    departmentRole: 'lead' | 'co_handling',
  ): Promise<string> {
    const { policy } = await currentPolicy(this.dataSource.manager);
    const today = shanghaiDate(new Date().toISOString());
    return blockerDueDate(policy, chinaCalendar, today, departmentRole, record.region);
  }

  /** What each step needs under the policy in force, for the project page's slots. */
  async evidenceRequired(): Promise<EvidenceStepView[]> {
    const { policy } = await currentPolicy(this.dataSource.manager);
    return evidenceStepViews(evidenceRequirementsOf(policy));
  }

  /** The files the project's events recorded, each with where to read its content. */
  async recordedFiles(projectId: string): Promise<RecordedFileView[]> {
    const rows = await this.queries.recordedFiles(projectId);
    return rows.map(({ version, type, businessTime, file }) => ({
      fileId: file.fileId,
      slot: file.slot,
      slotLabel: EVIDENCE_SLOT_LABELS[file.slot] ?? file.slot,
      name: file.name,
      mediaType: file.mediaType,
      size: file.size,
      sha256: file.sha256,
      capturedAt: file.capturedAt ?? null,
      capturePlace: file.capturePlace ?? null,
      eventType: type,
      eventVersion: version,
      businessTime,
      contentUrl: `/api/files/${file.fileId}/content`,
    }));
  }

  /** A project the actor may read. */
  async get(projectId: string, actor: Actor): Promise<ProjectRecord> {
    const record = await this.find(projectId);
    if (!mayRead(actor, record)) throw refusalProblem(refusal('REGION_NOT_IN_SCOPE'));
    return record;
  }

  /**
   * Its open deadlines as the project's workflow decided them (its getDeadlines query): the policy,
   * calendar and instant its alerts come from, so the page and the alerts agree. Only the days
   * overdue are counted on the reader's day. A workflow that cannot answer soon (no worker, a
   * refused query) does not cost the page, nor does one that has not loaded its policy yet (just
   * started; it will load the current one): the deadlines are then computed from the stored state
   * under the latest policy, and marked so.
   */
  async deadlines(record: ProjectRecord): Promise<DeadlinesView & { from: 'workflow' | 'read-model' }> {
    const view = await this.decidedDeadlines(record.projectId);
    if (view !== null && view.policyVersion !== -1) {
      const today = shanghaiDate(new Date().toISOString());
      return {
        ...view,
        deadlines: view.deadlines.map((d) => ({ ...d, daysOverdue: daysOverdueOn(d, today) })),
        from: 'workflow',
      };
    }
    const versioned = await currentPolicy(this.dataSource.manager);
    const asOf = new Date().toISOString();
    return {
      ...openDeadlines(record.state as ProjectState, versioned.policy, chinaCalendar, asOf),
      policyVersion: versioned.version,
      calendarVersion: LATEST_BUNDLED_CALENDAR.version,
      asOf,
      from: 'read-model',
    };
  }

  /** The workflow's getDeadlines answer, or null when it gives none in time (logged unless a timeout). */
  private async decidedDeadlines(projectId: string): Promise<DeadlinesView | null> {
    const timeoutMs = Math.min(WORKFLOW_READ_TIMEOUT_MS, this.env.COMMAND_TIMEOUT_MS);
    try {
      return await withinDeadline(this.temporal, timeoutMs, () =>
        this.temporal.workflow.getHandle(projectWorkflowId(projectId)).query(getDeadlines),
      );
    } catch (e) {
      if (!isDeadlineExceeded(e)) this.logger.warn(`deadlines of ${projectId} unreadable: ${String(e)}`);
      return null;
    }
  }

  async find(projectId: string): Promise<ProjectRecord> {
    const record = await this.queries.findById(projectId);
    if (!record) throw notFound(projectId);
    return record;
  }

  private async send(
    projectId: string,
    command: ProjectCommand,
    call: () => Promise<CommandResult>,
  ): Promise<CommandResult> {
    const timeoutMs = this.env.COMMAND_TIMEOUT_MS;
    try {
      // Every Update has a deadline: a project that cannot answer never holds a request open.
      const result = await this.temporal.withDeadline(Date.now() + timeoutMs, call);
      this.metrics.record(command.type, 'accepted');
      return result;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw notFound(projectId);
      if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isDeadlineExceeded(e)) {
        this.metrics.record(command.type, 'error');
        throw commandTimedOut(timeoutMs);
      }
      const problem = commandFailureProblem(e);
      const status = problem?.getStatus();
      this.metrics.record(command.type, !problem ? 'error' : status === 412 ? 'conflict' : 'refused');
      throw problem ?? e;
    }
  }
}
