import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import {
  SUPERVISION_STATUSES,
  SUPERVISION_STEPS,
  type SupervisionStatus,
  type SupervisionStep,
} from '@app/domain';
import { IsReportQuarter, IsText } from '../common/validators';
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

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
