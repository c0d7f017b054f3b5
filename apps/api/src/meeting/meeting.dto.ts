import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsRegionCode } from '../common/validators';

export const AGENDA_REASONS = ['red_light', 'escalated', 'unrectified', 'blocker_overdue'] as const;
export type AgendaReasonKind = (typeof AGENDA_REASONS)[number];

export class MeetingAgendaQuery {
  @ApiPropertyOptional({
    example: '420506',
    description: 'one region (a city covers its counties); by default every region the caller may read',
  })
  @IsOptional()
  @IsRegionCode()
  region?: string;
}

/** Why a project is on the agenda: one rule it breaks now. */
export class AgendaReasonView {
  @ApiProperty({ enum: AGENDA_REASONS }) kind!: AgendaReasonKind;
  @ApiProperty({ example: '预警升级至第3级' }) kindLabel!: string;
  @ApiProperty({ example: '签约后6个月内开工', description: 'the rule, 督办 item or blocker it is about' })
  detail!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '2025-06-30' }) dueDate!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'the alert or 督办 rung, 1–4' })
  rung!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the 督办 item, for unrectified' })
  itemId!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the deadline an extension would move (red lights, escalations, overdue blockers)',
  })
  deadlineId!: string | null;
}

export class AgendaItemView {
  @ApiProperty() projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '420506' }) region!: string;
  @ApiProperty({ example: 'signed' }) stage!: string;
  @ApiProperty({ example: '签约' }) stageLabel!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @ApiProperty({ example: '红灯' }) lightLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) lastVisitDate!: string | null;
  @ApiProperty({ type: [AgendaReasonView], description: 'why it is on the list, the gravest first' })
  reasons!: AgendaReasonView[];
}

export class MeetingAgendaView {
  @ApiProperty({
    example: '2025-10-09',
    description: 'today in Asia/Shanghai: what "overdue" is measured at',
  })
  asOf!: string;
  @ApiProperty({ type: [AgendaItemView] }) items!: AgendaItemView[];
  @ApiProperty({ description: 'more projects qualify than the list holds (the gravest are listed)' })
  truncated!: boolean;
}
