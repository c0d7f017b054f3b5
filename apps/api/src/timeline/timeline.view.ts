import { ApiProperty } from '@nestjs/swagger';

/** One event of a project as its timeline tells it: when, who, and what in a Chinese sentence. */
export class TimelineEntryView {
  @ApiProperty({
    description:
      "the event's position in the project's stream, from 1; for an acknowledgement, the alert event's it acknowledges",
  })
  version!: number;
  @ApiProperty({
    example: 'ProjectSigned',
    description:
      "the event's type, or AlertAcknowledged: an officer's 签收 of an alert, kept beside the events",
  })
  type!: string;
  @ApiProperty({ example: '2025-05-20', description: 'the business date the event claims, in Asia/Shanghai' })
  businessDate!: string;
  @ApiProperty({ description: 'when it was recorded (ISO instant)' }) recordedAt!: string;
  @ApiProperty({ example: 'officer-0001', description: "who recorded it; 'system' for the deadline timers" })
  actorId!: string;
  @ApiProperty({ example: '张三', description: "the recorder's name; the id when not in the directory" })
  actorName!: string;
  @ApiProperty({ example: '2025-05-20 签约,合同投资 1.5 亿元,张三 录入' }) sentence!: string;
}
