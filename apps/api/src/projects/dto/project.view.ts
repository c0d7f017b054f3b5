import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STAGE_LABELS, type StageCode } from '@app/domain';
import type { ProjectRecord } from '@app/persistence';

export class StageView {
  @ApiProperty({ example: 'lead' }) code!: StageCode;
  @ApiProperty({ example: '线索' }) label!: string;
}

export class InvestorView {
  @ApiProperty() name!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ type: [String] }) flags!: string[];
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
  @ApiProperty({ example: 'green' }) light!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() updatedAt!: string;

  static fromRecord(r: ProjectRecord): ProjectView {
    const stage = r.stage as StageCode;
    return {
      projectId: r.projectId,
      name: r.name,
      stage: { code: stage, label: STAGE_LABELS[stage] },
      region: r.region,
      park: r.park,
      industryChain: r.industryChain,
      industrial: r.industrial,
      investor: { name: r.investorName, type: r.investorType, flags: r.investorFlags },
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
      light: r.light,
      overdue: r.overdue,
      version: r.version,
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}
