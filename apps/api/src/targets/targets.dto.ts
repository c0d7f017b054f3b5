import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { TARGET_METRIC_BY_CODE, TARGET_METRICS, TARGET_REASON_MAX, type TargetMetric } from '@app/domain';
import { IsBusinessDate, IsReportMonth, IsReportYear, IsYuan } from '../common/validators';

const REGION_PATTERN = /^[1-9]\d{5}$/;
const REGION_MESSAGE = '$property must be a 6-digit administrative division code, e.g. "420500"';
const MAX_COUNT_TARGET = 1_000_000;

function IsRegion(): PropertyDecorator {
  return Matches(REGION_PATTERN, { message: REGION_MESSAGE });
}

/** A year from 2000 to next year (calendar-bounds in the domain). */
function IsTargetYear(): PropertyDecorator {
  return applyDecorators(
    Type(() => Number),
    IsReportYear(),
  );
}

const describe = (metric: TargetMetric) =>
  `${TARGET_METRIC_BY_CODE[metric].label}: ${TARGET_METRIC_BY_CODE[metric].description}`;

/** A project count target: a whole number, 0 or more. */
function CountTarget(metric: TargetMetric): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 0, description: describe(metric), example: 12 }),
    IsOptional(),
    IsInt({ message: '$property must be a whole number of projects' }),
    Min(0),
    Max(MAX_COUNT_TARGET),
  );
}

/** An amount target: exact yuan as a string, 0 or more. */
function AmountTarget(metric: TargetMetric): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, description: describe(metric), example: '500000000.00' }),
    IsOptional(),
    IsYuan(),
  );
}

/**
 * The region's targets for the year, one property per metric. A property not named here is
 * refused (the global pipe forbids unknown properties), so a misspelt metric never vanishes silently.
 */
export class TargetValuesDto implements Partial<Record<TargetMetric, number | string>> {
  @CountTarget('signed_projects') signed_projects?: number;
  @AmountTarget('signed_amount') signed_amount?: string;
  @CountTarget('new_signed_100m_projects') new_signed_100m_projects?: number;
  @CountTarget('new_started_100m_projects') new_started_100m_projects?: number;
  @AmountTarget('funds_arrived') funds_arrived?: string;
  @AmountTarget('funds_outside_province') funds_outside_province?: string;

  @CountTarget('landed_projects') landed_projects?: number;
  @CountTarget('started_projects') started_projects?: number;
  @CountTarget('in_stats_projects') in_stats_projects?: number;
}

/** PUT /api/targets/{year}/{region}: the region's whole set of targets for the year. */
export class PutTargetsDto {
  @ApiProperty({
    type: TargetValuesDto,
    description:
      'every target the region has for the year; a metric left out (or null) has no target afterwards',
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => TargetValuesDto)
  targets!: TargetValuesDto;

  @ApiProperty({
    example: '按市政府年度目标责任书下达',
    maxLength: TARGET_REASON_MAX,
    description: 'why the targets change: required (422 naming reason when missing or blank)',
  })
  // Its absence or blankness is the service's 422 (the domain's targetReasonProblem), not a 400.
  @IsOptional()
  @IsString()
  @MaxLength(TARGET_REASON_MAX)
  reason?: string;
}

export class TargetPathParams {
  @ApiProperty({ example: 2025, minimum: 2000 }) @IsTargetYear() year!: number;
  @ApiProperty({ example: '420500' }) @IsRegion() region!: string;
}

export class ProgressQuery {
  @ApiPropertyOptional({ example: 2025, description: "defaults to asOf's year" })
  @IsOptional()
  @IsTargetYear()
  year?: number;

  @ApiPropertyOptional({
    example: '2025-06-30',
    description:
      'the day progress is measured at, within the year; defaults to today (Asia/Shanghai), or 31 December for a past year',
  })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;

  @ApiPropertyOptional({
    example: '420506',
    description: 'one region with targets; by default every region with targets the caller may read',
  })
  @IsOptional()
  @IsRegion()
  region?: string;
}

export class BulletinParams {
  @ApiProperty({ example: '2025-06', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'from 2000-01' })
  @IsReportMonth()
  month!: string;
}

export const BULLETIN_FORMATS = ['json', 'xlsx'] as const;
export type BulletinFormat = (typeof BULLETIN_FORMATS)[number];

export class BulletinQuery {
  @ApiPropertyOptional({ enum: BULLETIN_FORMATS, description: 'xlsx for the spreadsheet; default json' })
  @IsOptional()
  @IsIn(BULLETIN_FORMATS)
  format?: BulletinFormat;

  @ApiPropertyOptional({
    example: '420500',
    description: 'only the regions this code covers (a city its counties), among those the caller may read',
  })
  @IsOptional()
  @IsRegion()
  region?: string;
}

// ---- responses (for the OpenAPI document) ----

export class TargetEntryView {
  @ApiProperty({ enum: TARGET_METRICS.map((m) => m.metric) }) metric!: TargetMetric;
  @ApiProperty({ example: '签约项目数' }) label!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }], description: 'count, or yuan' })
  target!: number | string;
  @ApiProperty() updatedBy!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'from the people directory; null when not in it',
  })
  updatedByName?: string | null;
  @ApiProperty() updatedAt!: string;
}

export class TargetChangeView {
  @ApiProperty() changedAt!: string;
  @ApiProperty() changedBy!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'from the people directory; null when not in it',
  })
  changedByName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) previous!: Record<string, number | string>;
  @ApiProperty({ type: 'object', additionalProperties: true }) targets!: Record<string, number | string>;
}

export class RegionTargetsView {
  @ApiProperty() year!: number;
  @ApiProperty() region!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'metric → target (integer count, or yuan string)',
  })
  targets!: Partial<Record<TargetMetric, number | string>>;
  @ApiProperty({ type: [TargetEntryView] }) entries!: TargetEntryView[];
  @ApiProperty({ type: [TargetChangeView], description: 'every change, newest first' })
  history!: TargetChangeView[];
}

export class MetricProgressView {
  @ApiProperty({ enum: TARGET_METRICS.map((m) => m.metric) }) metric!: TargetMetric;
  @ApiProperty({ example: '签约项目数' }) label!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) target!: number | string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) actual!: number | string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'null when the target is 0' })
  completionPercent!: string | null;
  @ApiProperty({ example: '49.59' }) timeProgressPercent!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '3.21' }) aheadByPoints!: string | null;
  @ApiProperty({ example: '超时序进度 3.21 个百分点' }) assessment!: string;
  @ApiProperty({ example: '签约项目数完成 6 个,目标 10 个,完成率 60.00%,超时序进度 10.41 个百分点' })
  summary!: string;
}

export class RegionProgressView {
  @ApiProperty() region!: string;
  @ApiProperty({ type: [MetricProgressView] }) metrics!: MetricProgressView[];
}

export class ProgressView {
  @ApiProperty() year!: number;
  @ApiProperty() asOf!: string;
  @ApiProperty({ example: '49.59' }) timeProgressPercent!: string;
  @ApiProperty({ type: [RegionProgressView] }) regions!: RegionProgressView[];
}

export class BulletinRegionView extends RegionProgressView {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'null when no target is above 0' })
  rank!: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "mean of the metrics' aheadByPoints, two decimals",
  })
  scorePoints!: string | null;
  @ApiProperty({ example: '超时序进度 3.21 个百分点' }) assessment!: string;
}

export class BulletinView {
  @ApiProperty({ example: '2025-06' }) month!: string;
  @ApiProperty() year!: number;
  @ApiProperty() asOf!: string;
  @ApiProperty() timeProgressPercent!: string;
  @ApiProperty() rankingRule!: string;
  @ApiProperty({ type: [BulletinRegionView] }) regions!: BulletinRegionView[];
}
