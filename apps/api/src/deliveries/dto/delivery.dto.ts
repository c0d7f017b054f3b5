import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { RowCursorPageQuery } from '../../common/paging';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export class ListDeliveriesQuery extends RowCursorPageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'every status when absent' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class DeliveryView {
  @ApiProperty({ example: '42', description: 'the outbox row' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'X-Delivery-Id: the event id, the same on every attempt' })
  deliveryId!: string;
  @ApiProperty({ enum: ['alert', 'escalation'] }) kind!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty({ example: 'start_after_signing' }) deadlineId!: string;
  @ApiProperty({ description: '1 service officer … 4 主要领导 and 通报' }) rung!: number;
  @ApiProperty({ description: 'who the alert is addressed to' }) addressee!: Record<string, unknown>;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ description: 'attempts since it was queued or last retried by hand' }) attempts!: number;
  @ApiProperty({ description: 'when the next attempt is due (pending only)' }) nextAttemptAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) lastAttemptAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) deliveredAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'what the endpoints answered last' })
  lastError!: string | null;
  @ApiProperty({ type: [String], description: 'endpoints that have already accepted it' })
  deliveredTo!: string[];
  @ApiProperty() createdAt!: string;
}

export class DeliveryPageView {
  @ApiProperty({ type: [DeliveryView] }) items!: DeliveryView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}
