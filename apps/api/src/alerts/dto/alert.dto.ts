import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { TEXT_LIMITS } from '@app/domain';
import { IsStorableText, IsText } from '../../common/validators';
import { RowCursorPageQuery } from '../../common/paging';
import { LightView } from '../../projects/dto/project.view';

export const INBOX_STATUSES = ['all', 'unacknowledged', 'acknowledged'] as const;

export class ListAlertsQuery extends RowCursorPageQuery {
  @ApiPropertyOptional({ enum: INBOX_STATUSES, default: 'all' })
  @IsOptional()
  @IsIn(INBOX_STATUSES)
  status: (typeof INBOX_STATUSES)[number] = 'all';

  @ApiPropertyOptional({
    description: 'only alerts whose deadline is still overdue (true) or resolved (false)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ description: 'one project only', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;
}

export class AcknowledgeAlertDto {
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.alertNote, description: 'what the reader is doing about it' })
  @IsOptional()
  @IsText(TEXT_LIMITS.alertNote)
  // Stored as it is: no NUL or control characters, and not invisible characters alone.
  @IsStorableText()
  note?: string;
}

export class AlertView {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty({ enum: ['alert', 'escalation'] }) kind!: string;
  @ApiProperty({ example: '预警' }) kindLabel!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ example: 'start_after_signing' }) deadlineId!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'start_after_signing' }) rule!: string | null;
  @ApiProperty({
    example: '签约后6个月内开工',
    description: "the rule as users read it, from the policy in force (the rule's id when it has none)",
  })
  ruleLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) step!: string | null;
  @ApiProperty({ type: LightView, description: "the deadline's light now: green once it is met" })
  light!: LightView;
  @ApiPropertyOptional({ nullable: true, type: String }) dueDate!: string | null;
  @ApiProperty({ description: '1 service officer … 4 主要领导 and 通报' }) rung!: number;
  @ApiProperty({ description: 'who it is addressed to: kind, label, and the person or region' })
  addressee!: Record<string, unknown>;
  @ApiProperty() raisedAt!: string;
  @ApiProperty({ description: 'the deadline is still overdue' }) open!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) acknowledgedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
}

export class AlertPageView {
  @ApiProperty({ type: [AlertView] }) items!: AlertView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}
