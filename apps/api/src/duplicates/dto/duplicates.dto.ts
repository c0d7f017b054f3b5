import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  DUPLICATE_MATCHES,
  TEXT_LIMITS,
  type DuplicateConfirmationPoint,
  type DuplicateMatch,
} from '@app/domain';
import { RowCursorPageQuery } from '../../common/paging';
import { ProblemView } from '../../common/openapi';
import { IsRegionCode, IsText, UUID_PATTERN } from '../../common/validators';

const POINTS: readonly DuplicateConfirmationPoint[] = ['registration', 'signing', 'import'];

/**
 * A person's word that the project flagged as a likely duplicate of `of` is another project: sent
 * again with the registration or signing that was answered 409 LIKELY_DUPLICATE, and recorded as
 * the DuplicateConfirmed event.
 */
export class DuplicateConfirmationDto {
  @ApiProperty({ format: 'uuid', description: 'the earlier project the 409 named' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @Matches(UUID_PATTERN, { message: '$property must be a project id (a UUID)' })
  of!: string;

  @ApiProperty({ enum: DUPLICATE_MATCHES, description: 'the match the 409 named for that project' })
  @IsIn(DUPLICATE_MATCHES)
  match!: DuplicateMatch;

  @ApiProperty({
    example: '同一投资方的二期项目,另签合同,选址不同',
    description: 'why it is another project',
    maxLength: TEXT_LIMITS.reason,
  })
  @IsText(TEXT_LIMITS.reason)
  reason!: string;
}

/** An earlier project that the one being registered or signed looks like, counted again. */
export class LikelyDuplicateView {
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '420506' }) region!: string;
  @ApiProperty({ enum: DUPLICATE_MATCHES }) match!: DuplicateMatch;
  @ApiProperty({ example: '合同编号相同' }) matchLabel!: string;
  @ApiProperty({ example: '2025-05-20', description: 'its contract date, else its lead date' })
  date!: string;
}

/** A 409 of a registration or signing: with code LIKELY_DUPLICATE, the earlier projects too. */
export class LikelyDuplicateProblemView extends ProblemView {
  @ApiPropertyOptional({
    type: [LikelyDuplicateView],
    description: 'with code LIKELY_DUPLICATE: the earlier projects, most certain first',
  })
  duplicates?: LikelyDuplicateView[];
}

/** The 409 a registration or signing may answer, documented with the duplicates it names. */
export function ApiLikelyDuplicateResponse(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(LikelyDuplicateProblemView),
    ApiResponse({
      status: 409,
      description:
        'LIKELY_DUPLICATE: an earlier project looks like this one counted again (`duplicates` names them; send duplicateConfirmation naming one)',
      content: {
        'application/problem+json': { schema: { $ref: getSchemaPath(LikelyDuplicateProblemView) } },
      },
    }),
  );
}

export class ListDuplicatesQuery extends RowCursorPageQuery {
  @ApiPropertyOptional({
    example: '420500',
    description: 'pairs with a project in this region (a city or province covers its counties)',
  })
  @IsOptional()
  @IsRegionCode()
  region?: string;
}

export class DuplicatePairProjectView {
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'null when it is not in the read model' })
  name!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) region!: string | null;
}

export class DuplicateConfirmerView {
  @ApiProperty() id!: string;
  @ApiProperty() role!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'from the people directory' })
  name!: string | null;
}

/** A confirmed pair: `project` was flagged as `of` counted again, and a person said it is not. */
export class DuplicatePairView {
  @ApiProperty({ format: 'uuid', description: 'the DuplicateConfirmed event' }) eventId!: string;
  @ApiProperty({ type: DuplicatePairProjectView, description: 'the later project, which was flagged' })
  project!: DuplicatePairProjectView;
  @ApiProperty({ type: DuplicatePairProjectView, description: 'the earlier project it was flagged against' })
  of!: DuplicatePairProjectView;
  @ApiProperty({ enum: DUPLICATE_MATCHES }) match!: DuplicateMatch;
  @ApiProperty({ example: '投资方相同且项目名称相近' }) matchLabel!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: POINTS, description: 'confirmed at registration, signing or import' })
  point!: DuplicateConfirmationPoint;
  @ApiProperty({ type: DuplicateConfirmerView }) confirmedBy!: DuplicateConfirmerView;
  @ApiProperty({ description: 'when it was recorded' }) confirmedAt!: string;
  @ApiProperty({ description: 'the business time of the event' }) businessTime!: string;
}

export class DuplicatePageView {
  @ApiProperty({ type: [DuplicatePairView] }) items!: DuplicatePairView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}
