import { EvidenceStepView, RecordedFileView } from './evidence.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  availableCommands,
  BLOCKER_CATEGORY_LABELS,
  PROJECT_COMMAND_TYPES,
  type Actor,
  type ProjectCommandType,
  LIGHT_LABELS,
  STAGE_LABELS,
  type Blocker,
  type Light,
  type OpenDeadlines,
  type ProjectState,
  type StageCode,
} from '@app/domain';
import type { ProjectRecord } from '@app/persistence';

export class StageView {
  @ApiProperty({ enum: Object.keys(STAGE_LABELS), example: 'lead' }) code!: StageCode;
  @ApiProperty({ example: '线索' }) label!: string;
}

export class LightView {
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) code!: Light;
  @ApiProperty({ example: '黄灯' }) label!: string;
}

export class InvestorView {
  @ApiProperty() name!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ type: [String] }) flags!: string[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '440000',
    description: 'where the investor comes from, a division code (实际利用省外资金); null when not recorded',
  })
  origin!: string | null;
}

/** A project as officers read it: stage with its Chinese label, amounts as exact decimal strings. */
export class ProjectView {
  @ApiProperty() projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: StageView }) stage!: StageView;
  @ApiProperty() region!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) park!: string | null;
  @ApiProperty() industryChain!: string;
  @ApiProperty() industrial!: boolean;
  @ApiProperty({ type: InvestorView }) investor!: InvestorView;
  @ApiPropertyOptional({ nullable: true, type: String }) source!: string | null;
  @ApiProperty({ example: '150000000.00' }) plannedInvestment!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) contractInvestment!: string | null;
  @ApiProperty({ example: '0.00' }) fundsArrivedTotal!: string;
  @ApiProperty({ description: 'business dates of each stage reached (YYYY-MM-DD)' }) dates!: Record<
    string,
    string | null
  >;
  @ApiPropertyOptional({ nullable: true, type: String }) serviceOfficerId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) chiefServiceOfficerId!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '张三',
    description: '服务专员’s name from the people directory; null when the id is not in it',
  })
  serviceOfficerName!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '李四',
    description: '首席服务官’s name from the people directory; null when the id is not in it',
  })
  chiefServiceOfficerName!: string | null;
  @ApiProperty({ type: () => LightView, description: '亮灯' }) light!: LightView;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: 'the stream version: every recorded event, the system’s included' })
  version!: number;
  @ApiProperty({
    description: 'the version of the last change a person made: what the ETag names and If-Match sends',
  })
  revision!: number;
  @ApiProperty() updatedAt!: string;

  /** `names`: the people directory's names by person id (PeopleQueries.names), for the officers' names. */
  static fromRecord(r: Omit<ProjectRecord, 'state'>, names: ReadonlyMap<string, string>): ProjectView {
    const stage = r.stage as StageCode;
    const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
    return {
      projectId: r.projectId,
      name: r.name,
      stage: { code: stage, label: STAGE_LABELS[stage] },
      region: r.region,
      park: r.park,
      industryChain: r.industryChain,
      industrial: r.industrial,
      investor: {
        name: r.investorName,
        type: r.investorType,
        flags: r.investorFlags,
        origin: r.investorOrigin,
      },
      source: r.source,
      plannedInvestment: r.plannedInvestment,
      contractInvestment: r.contractInvestment,
      fundsArrivedTotal: r.fundsArrivedTotal,
      dates: {
        lead: r.leadDate,
        negotiating: r.talksDate,
        signed: r.signedDate,
        landed: r.landedDate,
        started: r.startedDate,
        in_stats: r.inStatsDate,
        producing: r.productionDate,
        dropped: r.droppedDate,
      },
      serviceOfficerId: r.serviceOfficerId,
      chiefServiceOfficerId: r.chiefServiceOfficerId,
      serviceOfficerName: nameOf(r.serviceOfficerId),
      chiefServiceOfficerName: nameOf(r.chiefServiceOfficerId),
      light: { code: r.light as Light, label: LIGHT_LABELS[r.light as Light] },
      overdue: r.overdue,
      version: r.version,
      revision: r.revision,
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

export class AddresseeView {
  @ApiProperty({ enum: ['service_officer', 'chief_service_officer', 'deputy_leader', 'principal_leader'] })
  kind!: string;
  @ApiProperty({ example: '首席服务官' }) label!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) id!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '张三',
    description: "the addressed person's name from the people directory; null when unnamed or not in it",
  })
  name!: string | null;
}

/** One deadline the project's workflow is watching. */
export class DeadlineView {
  @ApiProperty({ example: 'start_after_signing' }) id!: string;
  @ApiProperty() rule!: string;
  @ApiProperty({ example: '签约后6个月内开工' }) ruleLabel!: string;
  @ApiProperty() step!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty({ example: '2025-11-20' }) dueDate!: string;
  @ApiProperty() ruleDueDate!: string;
  @ApiProperty() extended!: boolean;
  @ApiProperty() provisional!: boolean;
  @ApiProperty({ type: LightView }) light!: LightView;
  @ApiProperty({ description: '0 not overdue; 1 service officer … 4 主要领导 and 通报' }) rung!: number;
  @ApiProperty({ type: AddresseeView }) addressee!: AddresseeView;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() daysOverdue!: number;
}

export class BlockerView {
  @ApiProperty() blockerId!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ example: '用地' }) categoryLabel!: string;
  @ApiProperty() description!: string;
  @ApiProperty() responsibleDepartment!: string;
  @ApiProperty({ enum: ['lead', 'co_handling'] }) departmentRole!: string;
  @ApiProperty() raisedDate!: string;
  @ApiProperty() dueDate!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) resolution!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resolvedDate!: string | null;
}

export class FundsEntryView {
  @ApiProperty({ example: '2025-06' }) month!: string;
  @ApiProperty({ example: '30000000.00' }) amount!: string;
  @ApiProperty({ description: 'version of the event that recorded it' }) version!: number;
}

/** A project with what the officer needs to act on it: deadlines, light, rung, blockers, evidence. */
export class ProjectDetailView extends ProjectView {
  @ApiProperty({ description: 'highest escalation rung among its open alerts (0 when none)' }) rung!: number;
  @ApiProperty({ type: [DeadlineView] }) deadlines!: DeadlineView[];
  @ApiProperty({ description: 'policy version the deadlines were computed under' }) policyVersion!: number;
  @ApiProperty({
    enum: ['workflow', 'read-model'],
    description:
      "workflow: the deadlines the project's workflow decided (what its alerts go by); read-model: its workflow could not answer in time, so they are computed here from the stored state under the latest policy, and may run ahead of or behind its alerts",
  })
  deadlinesFrom!: 'workflow' | 'read-model';
  @ApiProperty({ type: [BlockerView] }) blockers!: BlockerView[];
  @ApiProperty({ type: [FundsEntryView] }) fundsArrived!: FundsEntryView[];
  @ApiProperty({ type: [String], description: 'open anomalies, e.g. producing_not_in_stats' })
  anomalies!: string[];
  @ApiProperty({ description: 'contract, company, site and evidence recorded at each stage' })
  evidence!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) guaranteeLeaderId!: string | null;
  @ApiProperty() serviceVisits!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) lastVisitDate!: string | null;
  @ApiProperty({
    enum: PROJECT_COMMAND_TYPES,
    isArray: true,
    example: ['StartTalks', 'Sign', 'RaiseBlocker', 'LogServiceVisit', 'Drop'],
    description:
      'the commands the caller may send to this project now, as the decider would accept them with valid data: the role, the caller’s scope over the project and its stage decide (the console offers exactly these actions)',
  })
  availableCommands!: ProjectCommandType[];
  @ApiProperty({
    type: [EvidenceStepView],
    description:
      'the evidence files each step needs under the policy in force: a step sent without them is refused (422 EVIDENCE_MISSING)',
  })
  evidenceRequired!: EvidenceStepView[];
  @ApiProperty({ type: [RecordedFileView], description: "the evidence files the project's events recorded" })
  files!: RecordedFileView[];

  static from(
    record: ProjectRecord,
    deadlines: OpenDeadlines & { from: 'workflow' | 'read-model' },
    policyVersion: number,
    names: ReadonlyMap<string, string>,
    actor: Actor,
    evidence: { required: EvidenceStepView[]; files: RecordedFileView[] },
  ): ProjectDetailView {
    const s = record.state as ProjectState;
    const blocker = (b: Blocker & { resolution?: string; resolvedDate?: string }): BlockerView => ({
      blockerId: b.blockerId,
      category: b.category,
      categoryLabel: BLOCKER_CATEGORY_LABELS[b.category],
      description: b.description,
      responsibleDepartment: b.responsibleDepartment,
      departmentRole: b.departmentRole,
      raisedDate: b.raisedDate,
      dueDate: b.dueDate,
      resolution: b.resolution ?? null,
      resolvedDate: b.resolvedDate ?? null,
    });
    return {
      ...ProjectView.fromRecord(record, names),
      rung: s.alerts.reduce((max, a) => Math.max(max, a.rung), 0),
      deadlines: deadlines.deadlines.map((d) => ({
        id: d.id,
        rule: d.rule,
        ruleLabel: d.ruleLabel,
        step: d.step,
        subject: d.subject,
        dueDate: d.dueDate,
        ruleDueDate: d.ruleDueDate,
        extended: d.extended,
        provisional: d.provisional,
        light: { code: d.light, label: LIGHT_LABELS[d.light] },
        rung: d.rung,
        addressee: {
          kind: d.addressee.kind,
          label: d.addressee.label,
          id: d.addressee.id ?? null,
          // The addressee is the project's service or chief officer, whose names are in `names`.
          name: d.addressee.id ? (names.get(d.addressee.id) ?? null) : null,
        },
        overdue: d.overdue,
        daysOverdue: d.daysOverdue,
      })),
      policyVersion,
      deadlinesFrom: deadlines.from,
      blockers: [...s.openBlockers.map(blocker), ...s.resolvedBlockers.map(blocker)],
      fundsArrived: s.fundsArrived.map((f) => ({ month: f.month, amount: f.amount, version: f.version })),
      anomalies: s.anomalies.map((a) => a.code),
      evidence: {
        leadingOfficial: s.leadingOfficial,
        contractNumber: s.contractNumber,
        signingBatchId: s.signingBatchId,
        plannedProductionDate: s.plannedProductionDate,
        creditCode: s.creditCode,
        companyName: s.companyName,
        site: s.site,
        constructionEvidence: s.constructionEvidence,
        statisticsCode: s.statisticsCode,
        productionScope: s.productionScope,
        fullProductionDate: s.fullProductionDate,
        dropReason: s.dropReason,
      },
      guaranteeLeaderId: s.guaranteeLeaderId,
      serviceVisits: s.serviceVisits,
      lastVisitDate: s.lastVisitDate,
      availableCommands: availableCommands(actor, s, {
        openDeadlineIds: deadlines.deadlines.map((d) => d.id),
      }),
      evidenceRequired: evidence.required,
      files: evidence.files,
    };
  }
}

export class RecordedEventView {
  @ApiProperty() eventId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'ProjectSigned' }) type!: string;
  @ApiProperty({ description: 'the business time the event claims' }) businessTime!: string;
}

/** What a write returns: the project after it and the events it recorded (none for a repeat). */
export class CommandResponseView {
  @ApiProperty({ type: ProjectView }) project!: ProjectView;
  @ApiProperty({ type: [RecordedEventView] }) events!: RecordedEventView[];
}

/** The ledger's 合计: the whole filtered list (every page), amounts exact in yuan. */
export class ProjectTotalsView {
  @ApiProperty({ example: 128, description: 'projects in the filtered list' }) count!: number;
  @ApiProperty({ example: '19200000000.00', description: '计划投资 summed, in yuan' })
  plannedInvestment!: string;
  @ApiProperty({ example: '15000000000.00', description: '合同投资 summed (signed projects), in yuan' })
  contractInvestment!: string;
  @ApiProperty({ example: '3000000000.00', description: '到位资金 summed, in yuan' }) fundsArrived!: string;
}

/** One page of projects; pass nextCursor back for the next. */
export class ProjectPageView {
  @ApiProperty({ type: [ProjectView] }) items!: ProjectView[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'absent on the last page' })
  nextCursor!: string | null;
  @ApiProperty({
    type: ProjectTotalsView,
    description:
      'totals of the whole filtered list, under the same filters and reading scope, not of this page',
  })
  totals!: ProjectTotalsView;
}
