import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** A page's size; lists extend this with their filters and cursor. */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  // Typed, not inferred: the decorator metadata (and so the OpenAPI document) reads the annotation.
  limit: number = 50;
}

/** Paged by a row number: the nextCursor of the previous page. */
export class RowCursorPageQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page', pattern: '^\\d{1,18}$' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: '$property must be a nextCursor this API gave out' })
  cursor?: string;
}
