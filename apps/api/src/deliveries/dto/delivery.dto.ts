import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PERSON_CHANNELS, PERSON_ID_PATTERN } from '@app/domain';
import { RowCursorPageQuery } from '../../common/paging';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** The generic signed webhook (every URL, not per person), and the channels each person is reached on. */
export const DELIVERY_CHANNELS = ['webhook', ...PERSON_CHANNELS] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export class ListDeliveriesQuery extends RowCursorPageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'every status when absent' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: DELIVERY_CHANNELS, description: 'every channel when absent' })
  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: DeliveryChannel;

  @ApiPropertyOptional({
    description: 'one person’s deliveries (the webhooks, not being per person, are left out)',
    pattern: PERSON_ID_PATTERN.source,
  })
  @IsOptional()
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a person id' })
  personId?: string;
}

export class DeliveryView {
  @ApiProperty({ example: '42', description: 'the delivery row' }) id!: string;
  @ApiProperty({
    format: 'uuid',
    description:
      'the same on every attempt: for a webhook the event id (X-Delivery-Id), for a person’s channel one derived from event, person and channel',
  })
  deliveryId!: string;
  @ApiProperty({
    format: 'uuid',
    description: 'the AlertRaised or AlertEscalated event (a digest: its own delivery id)',
  })
  eventId!: string;
  @ApiProperty({ enum: DELIVERY_CHANNELS }) channel!: DeliveryChannel;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'whom it is for; null for a webhook' })
  personId!: string | null;
  @ApiProperty({
    enum: ['alert', 'escalation', 'digest'],
    description: 'digest: a morning digest, no one alert',
  })
  kind!: string;
  @ApiProperty({ description: 'empty for a digest, which spans projects' }) projectId!: string;
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
  @ApiProperty({ type: [String], description: 'webhook endpoints that have already accepted it' })
  deliveredTo!: string[];
  @ApiProperty() createdAt!: string;
}

export class DeliveryPageView {
  @ApiProperty({ type: [DeliveryView] }) items!: DeliveryView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}
