import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PROJECT_EVENT_TYPES, type ProjectEventType } from '@app/domain';
import { IsBusinessDate } from '../common/validators';

/** The most events one page of a history holds: thousands of imported alerts come in several. */
export const HISTORY_PAGE_MAX = 500;
export const HISTORY_PAGE_DEFAULT = 100;
/** Versions are PostgreSQL integers: a cursor beyond them is refused, not sent to the database. */
const VERSION_MAX = 2_147_483_647;

/** One page of a project's history, in version order, after the version the last page ended at. */
export class HistoryQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: HISTORY_PAGE_MAX,
    default: HISTORY_PAGE_DEFAULT,
    description: 'how many events the page holds at most',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  // Typed, not inferred: the decorator metadata (and so the OpenAPI document) reads the annotation.
  limit: number = HISTORY_PAGE_DEFAULT;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: VERSION_MAX,
    description:
      'the events after this version: the X-Next-After-Version header of the previous page; omit (or 0) for the first page',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(VERSION_MAX)
  afterVersion?: number;

  @ApiPropertyOptional({
    enum: PROJECT_EVENT_TYPES,
    description:
      'only events of this type (e.g. EventCorrected); each still verified against the event before it',
  })
  @IsOptional()
  @IsIn(PROJECT_EVENT_TYPES)
  type?: ProjectEventType;
}

export class StateQuery {
  @ApiPropertyOptional({
    example: '2025-06-30',
    format: 'date',
    description: 'the business date the state should be in effect on',
  })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;

  @ApiPropertyOptional({
    example: '2025-07-01T00:00:00Z',
    format: 'date-time',
    description: 'the instant whose knowledge the state reflects: only events recorded by then',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 instant' })
  @Matches(/T\d{2}:\d{2}/, { message: '$property must be an instant with a time, e.g. 2025-07-01T00:00:00Z' })
  knownAt?: string;
}

export class VerifyQuery {
  @ApiPropertyOptional({ description: 'one project; all when absent', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class ChainHeadDto {
  // Streams are named by text: a project's UUID, or any other id the event store was given.
  @ApiProperty({ maxLength: 200 }) @IsString() @IsNotEmpty() @MaxLength(200) projectId!: string;
  @ApiProperty() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) version!: number;
  @ApiProperty() @Matches(HEX64, { message: '$property must be 64 hex digits' }) headHash!: string;
}

/** A checkpoint digest as exported, sent back to be checked against the history. */
export class CheckpointDigestDto {
  @ApiProperty({ enum: ['lifecycle-checkpoint/1'] })
  @IsIn(['lifecycle-checkpoint/1'])
  format!: 'lifecycle-checkpoint/1';
  @ApiProperty() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) checkpointId!: number;
  @ApiProperty() @IsISO8601({ strict: true }) createdAt!: string;
  @ApiProperty() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) projects!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) events!: number;
  @ApiProperty() @Matches(HEX64, { message: '$property must be 64 hex digits' }) merkleRoot!: string;
  @ApiProperty({ type: [ChainHeadDto] })
  @IsArray()
  @ArrayMaxSize(5_000_000)
  @ValidateNested({ each: true })
  @Type(() => ChainHeadDto)
  heads!: ChainHeadDto[];
  @ApiProperty({ description: 'Ed25519 public key, SPKI DER in base64' })
  @Matches(BASE64, { message: '$property must be base64' })
  publicKey!: string;
  @ApiProperty({ description: 'Ed25519 signature in base64' })
  @Matches(BASE64, { message: '$property must be base64' })
  signature!: string;
}
