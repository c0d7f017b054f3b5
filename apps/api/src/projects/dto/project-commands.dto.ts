import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  BLOCKER_CATEGORIES,
  CORRECTABLE_EVENT_TYPES,
  type BlockerCategory,
  type CorrectableEventType,
  type DepartmentRole,
  TEXT_LIMITS,
} from '@app/domain';
import { OnlyWhen } from '../../common/only-when';
import {
  BLOCKER_ID_PATTERN,
  IsBusinessDate,
  IsCreditCode,
  IsMonth,
  IsText,
  IsYuan,
} from '../../common/validators';
import { EvidenceFiles, type EvidenceReferenceDto } from './evidence.dto';
import { InvestorDto } from './register-project.dto';
import { ConstructionEvidenceDto, SiteDto } from './transition.dto';

/** 到位资金: money that arrived in a month; negative to adjust an earlier month. */
export class RecordFundsDto {
  @ApiProperty({ example: '2025-06', description: 'month the funds arrived (YYYY-MM)' })
  @IsMonth()
  month!: string;

  @ApiProperty({ example: '30000000.00', description: 'yuan as an exact decimal string; may be negative' })
  @IsYuan({ signed: true })
  amount!: string;

  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.note })
  @IsOptional()
  @IsText(TEXT_LIMITS.note)
  note?: string;

  @EvidenceFiles('资金到位凭证 and other files, uploaded first with POST /api/files')
  files?: EvidenceReferenceDto[];
}

/** 堵点: what holds the project up, who must clear it, and by when. */
export class RaiseBlockerDto {
  @ApiPropertyOptional({ example: 'B-1', description: 'given by the caller, or made up from the request' })
  @IsOptional()
  @Matches(BLOCKER_ID_PATTERN, { message: '$property must be 1–40 letters, digits, - or _' })
  blockerId?: string;

  @ApiProperty({ enum: BLOCKER_CATEGORIES })
  @IsIn(BLOCKER_CATEGORIES)
  category!: BlockerCategory;

  @ApiProperty({ maxLength: TEXT_LIMITS.blockerDescription })
  @IsText(TEXT_LIMITS.blockerDescription)
  description!: string;

  @ApiProperty({
    example: '市自然资源和规划局',
    maxLength: TEXT_LIMITS.responsibleDepartment,
    description: '责任部门',
  })
  @IsText(TEXT_LIMITS.responsibleDepartment)
  responsibleDepartment!: string;

  @ApiPropertyOptional({ enum: ['lead', 'co_handling'], description: '牵头 or 协办; lead by default' })
  @IsOptional()
  @IsIn(['lead', 'co_handling'])
  departmentRole?: DepartmentRole;

  @ApiPropertyOptional({
    description: "due date; by default the policy's (7 working days lead, 3 co-handling)",
  })
  @IsOptional()
  @IsBusinessDate()
  dueDate?: string;

  @ApiPropertyOptional({
    description: 'when it was raised, if before today (a late entry); today by default',
  })
  @IsOptional()
  @IsBusinessDate()
  raisedDate?: string;
}

export class ResolveBlockerDto {
  @ApiProperty({ maxLength: TEXT_LIMITS.resolution, description: 'how the blocker was cleared' })
  @IsText(TEXT_LIMITS.resolution)
  resolution!: string;

  @ApiPropertyOptional({ description: 'when it was cleared, if before today; today by default' })
  @IsOptional()
  @IsBusinessDate()
  resolvedDate?: string;

  @EvidenceFiles('堵点办结材料 and other files, uploaded first with POST /api/files')
  files?: EvidenceReferenceDto[];
}

/** 走访: a service visit to the company. */
export class LogVisitDto {
  @ApiProperty({ example: '2025-06-03' })
  @IsBusinessDate()
  visitDate!: string;

  @ApiProperty({ maxLength: TEXT_LIMITS.visitSummary })
  @IsText(TEXT_LIMITS.visitSummary)
  summary!: string;

  @ApiPropertyOptional({
    description: 'the officer who visited; the caller by default',
    maxLength: TEXT_LIMITS.personId,
  })
  @IsOptional()
  @IsText(TEXT_LIMITS.personId)
  officerId?: string;

  @EvidenceFiles('走访照片 and other files, uploaded first with POST /api/files')
  files?: EvidenceReferenceDto[];
}

export const ASSIGNMENT_POSITIONS = ['service_officer', 'chief_service_officer'] as const;

/** Names the 服务专员 or the 首席服务官 (with the 包保领导) of a project. */
export class AssignmentDto {
  @ApiProperty({ enum: ASSIGNMENT_POSITIONS })
  @IsIn(ASSIGNMENT_POSITIONS)
  position!: (typeof ASSIGNMENT_POSITIONS)[number];

  @ApiProperty({ description: 'user id of the person assigned', maxLength: TEXT_LIMITS.personId })
  @IsText(TEXT_LIMITS.personId)
  personId!: string;

  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.reason })
  @OnlyWhen('position', ['service_officer'])
  @IsText(TEXT_LIMITS.reason)
  reason?: string;

  @ApiPropertyOptional({
    description: '包保领导, with a chief service officer',
    maxLength: TEXT_LIMITS.personId,
  })
  @OnlyWhen('position', ['chief_service_officer'])
  @IsText(TEXT_LIMITS.personId)
  guaranteeLeaderId?: string;
}

/** A leader's approval of a later due date for one open deadline. */
export class ExtensionDto {
  @ApiProperty({ example: 'start_after_signing', description: 'an open deadline id of the project' })
  @IsText(TEXT_LIMITS.deadlineId)
  deadlineId!: string;

  @ApiProperty({ example: '2026-03-31' })
  @IsBusinessDate()
  newDueDate!: string;

  @ApiProperty({ maxLength: TEXT_LIMITS.reason })
  @IsText(TEXT_LIMITS.reason)
  reason!: string;
}

/** The corrected values; which fields apply depends on the type of the corrected event. */
export class CorrectionChangesDto {
  @ApiProperty({ enum: CORRECTABLE_EVENT_TYPES })
  @IsIn(CORRECTABLE_EVENT_TYPES)
  eventType!: CorrectableEventType;

  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.projectName) name?: string;
  @ApiPropertyOptional({ type: InvestorDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => InvestorDto)
  investor?: InvestorDto;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.industryChain) industryChain?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[1-9]\d{5}$/, { message: '$property must be a 6-digit administrative division code' })
  region?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.park) park?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() industrial?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsYuan() plannedInvestment?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.source) source?: string;
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() leadDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() talksDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.leadingOfficial) leadingOfficial?: string;
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() contractDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsYuan() contractInvestment?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.contractNumber) contractNumber?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.signingBatchId) signingBatchId?: string;
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() plannedProductionDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsCreditCode() creditCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.companyName) companyName?: string;
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() landedDate?: string;
  @ApiPropertyOptional({ type: SiteDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SiteDto)
  site?: SiteDto;
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() startDate?: string;
  @ApiPropertyOptional({ type: ConstructionEvidenceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConstructionEvidenceDto)
  evidence?: ConstructionEvidenceDto;
  @ApiPropertyOptional() @IsOptional() @IsText(TEXT_LIMITS.statisticsCode) statisticsCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() inStatsDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() productionDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsMonth() month?: string;
  @ApiPropertyOptional() @IsOptional() @IsYuan({ signed: true }) amount?: string;
}

/** 更正: a correcting event that names the event it corrects; nothing is edited in place. */
export class CorrectionDto {
  @ApiProperty({ example: 3, description: 'version of the event being corrected (see its history)' })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  correctsVersion!: number;

  @ApiProperty({ maxLength: TEXT_LIMITS.reason })
  @IsText(TEXT_LIMITS.reason)
  reason!: string;

  @ApiProperty({ type: CorrectionChangesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CorrectionChangesDto)
  changes!: CorrectionChangesDto;
}
