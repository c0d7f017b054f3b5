import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsStorableText } from '../common/validators';
import { RowCursorPageQuery } from '../common/paging';

export const IMPORT_STATUSES = ['analysing', 'analysed', 'importing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_ROW_OUTCOMES = [
  'good',
  'bad',
  'changed',
  'unchanged',
  'duplicate',
  'imported',
  'failed',
] as const;

/** The most rows one confirm may name (a 台账 of a whole province is well below it). */
export const MAX_CONFIRMED_ROWS = 100_000;
/** Row numbers beyond any sheet's (Excel's last row is 1,048,576). */
const MAX_ROW_NUMBER = 1_048_576;

/** The form fields beside the file of POST /imports. */
export class UploadImportDto {
  @ApiPropertyOptional({ description: 'the sheet of a workbook to read; the first one by default' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  sheet?: string;

  @ApiPropertyOptional({
    description:
      'JSON text: `{ "<header as in the file>": "<column key>" | null }`, columns matched otherwise by their headers ' +
      '(GET /api/ledger/columns) and the saved mapping (GET /api/import-mappings)',
    example: '{"项目名称":"name","备注":null}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  mapping?: string;
}

/** The file field of POST /imports, documented for clients. */
export class UploadImportForm extends UploadImportDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'the 台账: .xlsx, or .csv in UTF-8 or GBK' })
  file!: unknown;
}

export class RemapImportDto {
  @ApiPropertyOptional({ description: 'the sheet of the workbook to read instead' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  sheet?: string;

  @ApiProperty({
    description: '`{ "<header as in the file>": "<column key>" | null }`; null: the column is not imported',
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    example: { 项目名称: 'name', 备注: null },
  })
  @IsObject()
  mapping!: Record<string, string | null>;

  @ApiPropertyOptional({
    description: "keep this mapping as the caller's for the next upload",
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  save?: boolean;
}

export class ConfirmImportDto {
  @ApiPropertyOptional({
    type: [Number],
    description: 'the rows (numbers as in the file) to import; all good and changed rows by default',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONFIRMED_ROWS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_ROW_NUMBER, { each: true })
  rows?: number[];

  @ApiPropertyOptional({
    type: [Number],
    description:
      'rows flagged as likely duplicates that are nevertheless other projects: imported, with the confirmation recorded',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONFIRMED_ROWS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_ROW_NUMBER, { each: true })
  confirmDuplicates?: number[];

  @ApiPropertyOptional({
    description: 'why the flagged rows are not duplicates; 导入时确认不是重复项目 by default',
  })
  @IsOptional()
  @IsStorableText()
  @MinLength(1)
  @MaxLength(500)
  reason?: string;
}

export class ListImportRowsQuery extends RowCursorPageQuery {
  @ApiPropertyOptional({ enum: IMPORT_ROW_OUTCOMES })
  @IsOptional()
  @IsIn(IMPORT_ROW_OUTCOMES)
  outcome?: (typeof IMPORT_ROW_OUTCOMES)[number];
}

export class ImportHeaderView {
  @ApiProperty({ description: 'as in the file' })
  header!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the column it is read as; null: not imported' })
  key!: string | null;
  @ApiProperty({ enum: ['yuan', 'wan', 'yi'], nullable: true, description: 'the unit its amounts are in' })
  unit!: 'yuan' | 'wan' | 'yi' | null;
}

export class ImportProgressView {
  @ApiProperty() total!: number;
  @ApiProperty() done!: number;
  @ApiProperty({ description: '0 to 100' }) percent!: number;
}

export class ImportCountsView {
  @ApiProperty() rows!: number;
  @ApiProperty() good!: number;
  @ApiProperty() bad!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() changed!: number;
  @ApiProperty() duplicates!: number;
  @ApiProperty() imported!: number;
  @ApiProperty() failed!: number;
}

export class ImportView {
  @ApiProperty({ format: 'uuid' }) importId!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() fileSha256!: string;
  @ApiProperty({ type: [String] }) sheets!: string[];
  @ApiProperty({ type: String, nullable: true }) sheet!: string | null;
  @ApiProperty({ enum: IMPORT_STATUSES }) status!: ImportStatus;
  @ApiProperty({ type: [ImportHeaderView] }) headers!: ImportHeaderView[];
  @ApiProperty({ type: ImportProgressView }) progress!: ImportProgressView;
  @ApiProperty({ type: ImportCountsView }) counts!: ImportCountsView;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ type: String, nullable: true }) createdByName!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the job failed' }) error!: string | null;
}

export class ImportListView {
  @ApiProperty({ type: [ImportView] }) items!: ImportView[];
}

export class CellProblemView {
  @ApiProperty() row!: number;
  @ApiProperty({ description: 'the header as in the file' }) column!: string;
  @ApiProperty({ type: String, nullable: true }) key!: string | null;
  @ApiProperty() value!: string;
  @ApiProperty() rule!: string;
  @ApiProperty({ description: 'in Chinese' }) message!: string;
}

export class ImportChangeView {
  @ApiProperty() column!: string;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
}

export class DuplicateOfView {
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ enum: ['contract_number', 'credit_code', 'investor_name'] }) match!: string;
}

export class ImportRowView {
  @ApiProperty({ description: 'the row number in the file' }) row!: number;
  @ApiProperty({ enum: IMPORT_ROW_OUTCOMES }) outcome!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) projectId!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: [CellProblemView] }) problems!: CellProblemView[];
  @ApiProperty({ type: [ImportChangeView] }) changes!: ImportChangeView[];
  @ApiProperty({ type: DuplicateOfView, nullable: true }) duplicateOf!: DuplicateOfView | null;
}

export class ImportRowPageView {
  @ApiProperty({ type: [ImportRowView] }) items!: ImportRowView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class LedgerColumnView {
  @ApiProperty() key!: string;
  @ApiProperty({ description: 'the canonical Chinese header' }) header!: string;
  @ApiProperty({ type: [String] }) synonyms!: string[];
  @ApiProperty() kind!: string;
}

export class SavedMappingView {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', nullable: true } })
  mapping!: Record<string, string | null>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}
