import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { IsText } from '../common/validators';

/** A new policy version: the whole policy (checked field by field by the domain) and why it changes. */
export class UpdatePolicyDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'rules (each with its unit: calendar_day, working_day or month), the four-rung escalation ladder, redFromRung, blockerDueDefaults, structureTargets, regionalOverrides',
  })
  @IsObject()
  policy!: Record<string, unknown>;

  @ApiProperty({ example: '按市政府办公室通知调整开工期限', maxLength: 500 })
  @IsText(500)
  reason!: string;
}

export class PolicyView {
  @ApiProperty({ description: '0 is the built-in default; each stored change adds one' }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) policy!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) createdAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) createdBy!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reason!: string | null;
  @ApiPropertyOptional({ description: 'open project workflows the new version was sent to (on PUT)' })
  workflowsSignalled?: number;
}
