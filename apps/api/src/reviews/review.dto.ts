import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import {
  SUPERVISION_HISTORY_ENTRIES,
  SUPERVISION_STATUSES,
  SUPERVISION_STEPS,
  TEXT_LIMITS,
  type SupervisionHistoryEntry,
  type SupervisionStatus,
  type SupervisionStep,
} from '@app/domain';
import { IsReportQuarter, IsStorableText, IsText } from '../common/validators';
import { PageQuery } from '../common/paging';

export class RunReviewDto {
  @ApiProperty({
    example: '2025Q3',
    pattern: '^\\d{4}Q[1-4]$',
    description: 'a quarter that has ended, from 2000Q1',
  })
  @IsReportQuarter()
  quarter!: string;
}

export class ReviewQuery {
  @ApiPropertyOptional({ description: 'a stored revision; the latest by default' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  revision?: number;

  @ApiPropertyOptional({
    enum: ['json', 'xlsx', 'csv'],
    description: 'or append .xlsx / .csv to the quarter',
  })
  @IsOptional()
  @IsIn(['json', 'xlsx', 'csv'])
  format?: 'json' | 'xlsx' | 'csv';
}

export class ListSupervisionQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '2025Q3',
    pattern: '^\\d{4}Q[1-4]$',
    description: 'the review that opened the items',
  })
  @IsOptional()
  @IsReportQuarter()
  quarter?: string;

  @ApiPropertyOptional({ enum: SUPERVISION_STATUSES })
  @IsOptional()
  @IsIn(SUPERVISION_STATUSES)
  status?: SupervisionStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a nextCursor this API gave out' })
  cursor?: string;
}

export class SupervisionStepDto {
  @ApiProperty({
    enum: SUPERVISION_STEPS,
    description: '签收, 办理, 反馈 by the owner; 复核, 办结 by a leader',
  })
  @IsIn(SUPERVISION_STEPS)
  to!: SupervisionStep;

  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.supervisionNote })
  @IsOptional()
  @IsText(TEXT_LIMITS.supervisionNote)
  // Stored as it is: no NUL or control characters, and not invisible characters alone.
  @IsStorableText()
  note?: string;
}

export class SupervisionStatusView {
  @ApiProperty({ enum: SUPERVISION_STATUSES }) code!: SupervisionStatus;
  @ApiProperty({ example: '下发' }) label!: string;
}

/** A step the caller may take the item to now, by the domain's supervisionStepsFor. */
export class SupervisionNextStepView {
  @ApiProperty({ enum: SUPERVISION_STEPS }) to!: SupervisionStep;
  @ApiProperty({ example: '签收' }) label!: string;
}

/** A step the item took: who moved it, from which status to which, when and why. */
export class SupervisionStepTakenView {
  @ApiPropertyOptional({ enum: SUPERVISION_STATUSES, nullable: true, description: 'null for 下发' })
  from!: SupervisionStatus | null;
  @ApiProperty({
    enum: SUPERVISION_HISTORY_ENTRIES,
    description: 'the status stepped to, or escalated: a 回头看 found it 未整改 and raised its rung',
  })
  to!: SupervisionHistoryEntry;
  @ApiProperty({ example: '签收' }) toLabel!: string;
  @ApiProperty() actorId!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "the person's name in the directory; null when they are not in it",
  })
  actorName!: string | null;
  @ApiProperty() actorRole!: string;
  @ApiProperty({ example: '服务专员' }) actorRoleLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty() at!: string;
}

export class SupervisionItemView {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty({ example: '420506' }) region!: string;
  @ApiProperty({ example: 'signed_over_a_year_not_started' }) rule!: string;
  @ApiProperty({ example: '签约超过一年未开工' }) ruleLabel!: string;
  @ApiProperty({ example: '2025Q3', description: 'the review that opened the item' }) openedIn!: string;
  @ApiProperty({ type: SupervisionStatusView }) status!: SupervisionStatusView;
  @ApiProperty() ownerRole!: string;
  @ApiProperty({ example: '服务专员' }) ownerRoleLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) ownerId!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "the owner's name in the directory; null when there is no owner or they are not in it",
  })
  ownerName!: string | null;
  @ApiProperty() rung!: number;
  @ApiProperty({ example: '2025-10-31' }) dueDate!: string;
  @ApiProperty() unrectified!: boolean;
  @ApiProperty({ type: [String] }) escalatedIn!: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) resolvedIn!: string | null;
  @ApiProperty({
    type: [SupervisionNextStepView],
    description: 'the steps the caller may take the item to now (empty when none)',
  })
  availableSteps!: SupervisionNextStepView[];
  @ApiProperty({ type: [SupervisionStepTakenView], description: 'every step, in the order taken' })
  steps!: SupervisionStepTakenView[];
}

export class SupervisionItemPageView {
  @ApiProperty({ type: [SupervisionItemView] }) items!: SupervisionItemView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}
