import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UNREACHED_REASONS, type UnreachedReason } from '@app/domain';
import { RowCursorPageQuery } from '../common/paging';

export class ListUnreachedQuery extends RowCursorPageQuery {}

export class UnreachedCauseView {
  @ApiProperty({ enum: UNREACHED_REASONS }) reason!: UnreachedReason;
  @ApiProperty({ example: '该地区无人担任此角色' }) reasonLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the recipient it concerns' })
  personId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) personName!: string | null;
}

export class UnreachedAlertView {
  @ApiProperty({ example: '42', description: 'the alert (its outbox row), as the inbox names it' })
  id!: string;
  @ApiProperty({ enum: ['alert', 'escalation'] }) kind!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty() projectName!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the region it is addressed in' })
  region!: string | null;
  @ApiProperty({ example: 'start_after_signing' }) deadlineId!: string;
  @ApiProperty() rung!: number;
  @ApiProperty({ description: 'who it is addressed to: kind, label, and the person or region' })
  addressee!: Record<string, unknown>;
  @ApiProperty() raisedAt!: string;
  @ApiProperty({ type: [UnreachedCauseView], description: 'why nobody is reached' })
  causes!: UnreachedCauseView[];
}

export class UnreachedAlertPageView {
  @ApiProperty({ type: [UnreachedAlertView] }) items!: UnreachedAlertView[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'where to go on; a page may hold fewer items than the limit when few alerts are unreached',
  })
  nextCursor!: string | null;
}
