import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type, type TransformFnParams } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  ALL_STAGES,
  INVESTOR_FLAGS,
  INVESTOR_TYPES,
  LIGHTS,
  TEXT_LIMITS,
  type InvestorFlag,
  type InvestorType,
  type Light,
  type SizeBand,
  type StageCode,
} from '@app/domain';
import { IsBusinessDate, IsMonth, IsRegionCode, IsStorableText } from '../../common/validators';

/** Sort keys; a leading '-' means descending. Ties are broken by project id in the same direction. */
export const PROJECT_SORTS = [
  'updatedAt',
  '-updatedAt',
  'name',
  '-name',
  'signedDate',
  '-signedDate',
  'investment',
  '-investment',
] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];
export const DEFAULT_PROJECT_SORT: ProjectSort = '-updatedAt';

/**
 * Size by effective investment (the contract's once signed, the plan's before), in the domain's band
 * codes; as a filter each `_plus` band means "at least this much" (亿元以上 includes 5亿元以上).
 */
export const PROJECT_SIZE_BANDS: readonly SizeBand[] = [
  'below_100m',
  '100m_plus',
  '500m_plus',
  '1b_plus',
  '5b_plus',
  '10b_plus',
];
export type ProjectSizeBand = SizeBand;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `a,b` and `x=a&x=b` both arrive as ['a', 'b']; blanks dropped, repeats once. */
function listOf({ value }: TransformFnParams): unknown {
  if (value === undefined || value === null) return value;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v: unknown) =>
    typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [v],
  );
  return [...new Set(parts.filter((p) => p !== ''))];
}

/** Only the words true and false; anything else is left for @IsBoolean to refuse. */
function booleanWord({ value }: TransformFnParams): unknown {
  return value === 'true' ? true : value === 'false' ? false : value;
}

/** A blank search box searches for nothing. */
function trimmedOrAbsent({ value }: TransformFnParams): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** GET /api/projects: filters, sort and page of the project list. */
export class ListProjectsQuery {
  @ApiPropertyOptional({
    enum: ALL_STAGES,
    isArray: true,
    description: 'stage codes, comma-separated or repeated (stage=lead,signed or stage=lead&stage=signed)',
    example: 'lead,negotiating',
  })
  @IsOptional()
  @Transform(listOf)
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(ALL_STAGES, { each: true })
  stage?: StageCode[];

  @ApiPropertyOptional({
    example: '2025-06-30',
    description:
      'the day the list is read on: only the projects recorded by then, and `stage` and `light` are the ' +
      'stage each was in and the light it had at its end (the 驾驶舱 as of a past day); without it, ' +
      "they are today's",
  })
  @IsOptional()
  @IsBusinessDate()
  stageOn?: string;

  @ApiPropertyOptional({
    example: '420500',
    description:
      '行政区划代码 (6 digits); a city (xxxx00) or province (xx0000) code also matches the counties under it',
  })
  @IsOptional()
  @IsRegionCode()
  region?: string;

  @ApiPropertyOptional({
    example: '新材料',
    description: '产业链, exact',
    maxLength: TEXT_LIMITS.industryChain,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.industryChain)
  industryChain?: string;

  @ApiPropertyOptional({
    enum: LIGHTS,
    isArray: true,
    description: 'lights (绿灯, 黄灯, 红灯), comma-separated or repeated; on `stageOn` when it is given',
    example: 'yellow,red',
  })
  @IsOptional()
  @Transform(listOf)
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(LIGHTS, { each: true })
  light?: Light[];

  @ApiPropertyOptional({ type: Boolean, description: 'whether the project has an open overdue alert' })
  @IsOptional()
  @Transform(booleanWord)
  @IsBoolean({ message: '$property must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ type: Number, example: 2025, description: '签约年份' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1949)
  @Max(2999)
  signingYear?: number;

  @ApiPropertyOptional({ example: '2025-01-01', description: '签约日期 on or after this day' })
  @IsOptional()
  @IsBusinessDate()
  signedFrom?: string;

  @ApiPropertyOptional({ example: '2025-06-30', description: '签约日期 on or before this day' })
  @IsOptional()
  @IsBusinessDate()
  signedTo?: string;

  @ApiPropertyOptional({ example: '2025-01-01', description: '落地日期 on or after this day' })
  @IsOptional()
  @IsBusinessDate()
  landedFrom?: string;

  @ApiPropertyOptional({ example: '2025-06-30', description: '落地日期 on or before this day' })
  @IsOptional()
  @IsBusinessDate()
  landedTo?: string;

  @ApiPropertyOptional({ example: '2025-01-01', description: '开工日期 on or after this day' })
  @IsOptional()
  @IsBusinessDate()
  startedFrom?: string;

  @ApiPropertyOptional({
    example: '2025-06-30',
    description: '开工日期 on or before this day (started by it)',
  })
  @IsOptional()
  @IsBusinessDate()
  startedTo?: string;

  @ApiPropertyOptional({ example: '2025-01-01', description: '入统日期 on or after this day' })
  @IsOptional()
  @IsBusinessDate()
  inStatsFrom?: string;

  @ApiPropertyOptional({ example: '2025-06-30', description: '入统日期 on or before this day' })
  @IsOptional()
  @IsBusinessDate()
  inStatsTo?: string;

  @ApiPropertyOptional({
    example: '2025-01',
    description: 'projects with funds (到位资金) recorded in a month from this one (YYYY-MM)',
  })
  @IsOptional()
  @IsMonth()
  fundsFrom?: string;

  @ApiPropertyOptional({
    example: '2025-06',
    description: 'projects with funds (到位资金) recorded in a month up to this one (YYYY-MM)',
  })
  @IsOptional()
  @IsMonth()
  fundsTo?: string;

  @ApiPropertyOptional({
    enum: PROJECT_SIZE_BANDS,
    description:
      'effective investment (contract if signed, else planned): below_100m 亿元以下; 100m_plus, 500m_plus, ' +
      '1b_plus, 5b_plus, 10b_plus mean at least 1亿, 5亿, 10亿, 50亿, 100亿元',
  })
  @IsOptional()
  @IsIn(PROJECT_SIZE_BANDS)
  sizeBand?: ProjectSizeBand;

  @ApiPropertyOptional({
    type: Boolean,
    description: '是否工业项目: true for industrial projects, false for others',
  })
  @IsOptional()
  @Transform(booleanWord)
  @IsBoolean({ message: '$property must be true or false' })
  industrial?: boolean;

  @ApiPropertyOptional({
    enum: INVESTOR_TYPES,
    isArray: true,
    description: '投资方类型 (央企, 国企, 民营, 外资, 港澳台), comma-separated or repeated; any of them',
    example: 'central_soe,foreign',
  })
  @IsOptional()
  @Transform(listOf)
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(INVESTOR_TYPES, { each: true })
  investorType?: InvestorType[];

  @ApiPropertyOptional({
    enum: INVESTOR_FLAGS,
    isArray: true,
    description:
      '投资方标签 (世界500强, 中国500强, 民营500强, 上市公司), comma-separated or repeated; an investor with any of them',
    example: 'fortune_global_500,china_top_500',
  })
  @IsOptional()
  @Transform(listOf)
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(INVESTOR_FLAGS, { each: true })
  investorFlag?: InvestorFlag[];

  @ApiPropertyOptional({ example: '宜昌高新区', description: '园区, exact', maxLength: TEXT_LIMITS.park })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.park)
  @IsStorableText()
  park?: string;

  @ApiPropertyOptional({
    example: 'officer-0001',
    maxLength: TEXT_LIMITS.personId,
    description: '服务专员: the person id of the project’s service officer, exact',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.personId)
  @IsStorableText()
  serviceOfficerId?: string;

  @ApiPropertyOptional({
    example: 'chief-0001',
    maxLength: TEXT_LIMITS.personId,
    description: '首席服务官: the person id of the project’s chief service officer, exact',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.personId)
  @IsStorableText()
  chiefServiceOfficerId?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    example: '锂电池',
    description: 'text found in the project name or the investor name, ignoring case',
  })
  @IsOptional()
  @Transform(trimmedOrAbsent)
  @IsString()
  @MaxLength(100)
  @IsStorableText()
  q?: string;

  @ApiPropertyOptional({
    enum: PROJECT_SORTS,
    default: DEFAULT_PROJECT_SORT,
    description: "sort key, '-' for descending; investment is the effective investment",
  })
  @IsOptional()
  @IsIn(PROJECT_SORTS)
  sort?: ProjectSort = DEFAULT_PROJECT_SORT;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    description: 'nextCursor of the previous page, with the same sort; omit for the first page',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a nextCursor returned by this list' })
  cursor?: string;
}
