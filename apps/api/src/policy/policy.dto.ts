import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { TEXT_LIMITS } from '@app/domain';
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

  @ApiProperty({ example: '按市政府办公室通知调整开工期限', maxLength: TEXT_LIMITS.policyReason })
  @IsText(TEXT_LIMITS.policyReason)
  reason!: string;
}

/** How far a version's rollout to the project workflows got. */
export class PolicyRolloutView {
  @ApiProperty({ example: 'policy-rollout-3' }) workflowId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({
    enum: ['pending', 'started', 'signalling', 'done', 'failed'],
    description:
      'pending: its workflow could not be reached (it is started again); started: counting the projects; signalling: sending it; done: every project was sent it',
  })
  status!: 'pending' | 'started' | 'signalling' | 'done' | 'failed';
  @ApiProperty({ nullable: true, type: Number, description: 'projects to reach (M)' }) total!: number | null;
  @ApiProperty({ description: 'project workflows that got the version so far (N)' }) signalled!: number;
  @ApiProperty({ description: 'projects whose workflow is no longer running' }) notRunning!: number;
  @ApiProperty() pages!: number;
  @ApiProperty({ description: 'projects recorded while the version was stored, sent it again at the end' })
  lateSignalled!: number;
}

export class PolicyView {
  @ApiProperty({ description: '0 is the built-in default; each stored change adds one' }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) policy!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) createdAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) createdBy!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reason!: string | null;
  @ApiPropertyOptional({
    type: PolicyRolloutView,
    nullable: true,
    description: 'the rollout of this version to the project workflows (none for the built-in default)',
  })
  rollout?: PolicyRolloutView | null;
  @ApiPropertyOptional({ description: 'project workflows the new version was sent to when the PUT answered' })
  workflowsSignalled?: number;
}
