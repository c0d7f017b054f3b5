import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
  Req,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '@app/domain';
import { CurrentActor, Sends } from '../auth/auth';
import { Idempotent, idempotencyKeyOf } from '../common/idempotency';
import {
  ApiIdempotencyKey,
  ApiProblemResponses,
  ApiUuidParam,
  AUTHENTICATED_PROBLEMS,
  BODY_PROBLEMS,
} from '../common/openapi';
import { withHeaders, type WithHeaders } from '../common/response-headers.interceptor';
import { UuidParam } from '../common/validators';
import {
  ConfirmImportDto,
  ImportListView,
  ImportRowPageView,
  ImportView,
  LedgerColumnView,
  ListImportRowsQuery,
  RemapImportDto,
  SavedMappingView,
  UploadImportDto,
  UploadImportForm,
} from './import.dto';
import { ImportsService, type UploadedLedgerFile } from './imports.service';
import { LedgerUploadInterceptor } from './ledger-upload.interceptor';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('imports')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('imports')
  @HttpCode(HttpStatus.ACCEPTED)
  @Sends('RecordHistory')
  @UseInterceptors(LedgerUploadInterceptor)
  @ApiIdempotencyKey()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadImportForm })
  @ApiOperation({
    summary:
      '台账 upload: stores the file and starts its dry run (nothing is recorded until confirmed); read its progress at Location',
  })
  @ApiAcceptedResponse({ type: ImportView })
  @ApiProblemResponses(...BODY_PROBLEMS)
  async upload(
    @UploadedFile() file: UploadedLedgerFile | undefined,
    @Body() fields: UploadImportDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<WithHeaders<ImportView>> {
    const key = idempotencyKeyOf(req);
    const view = await this.imports.upload(actor, key, file, fields);
    return withHeaders(view, { Location: `/api/imports/${view.importId}` });
  }

  @Get('imports')
  @ApiOperation({ summary: "The caller's imports, newest first" })
  @ApiOkResponse({ type: ImportListView })
  async list(@CurrentActor() actor: Actor): Promise<ImportListView> {
    return { items: await this.imports.list(actor) };
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'An import: its status, progress, columns and counts of rows by outcome' })
  @ApiUuidParam('id', 'the import')
  @ApiOkResponse({ type: ImportView })
  @ApiProblemResponses(404)
  get(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<ImportView> {
    return this.imports.get(actor, id);
  }

  @Get('imports/:id/rows')
  @ApiOperation({
    summary:
      "The file's rows with the dry run's outcome: each problem by row, column, value and rule; changes; the likely duplicate",
  })
  @ApiUuidParam('id', 'the import')
  @ApiOkResponse({ type: ImportRowPageView })
  @ApiProblemResponses(404)
  rows(
    @Param('id', UuidParam) id: string,
    @Query() query: ListImportRowsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<ImportRowPageView> {
    return this.imports.rows(actor, id, query);
  }

  @Put('imports/:id/mapping')
  @HttpCode(HttpStatus.ACCEPTED)
  @Sends('RecordHistory')
  @Idempotent()
  @ApiOperation({ summary: 'Reads the file again with these columns (and sheet): a new dry run' })
  @ApiUuidParam('id', 'the import')
  @ApiAcceptedResponse({ type: ImportView })
  @ApiProblemResponses(404, 409)
  async remap(
    @Param('id', UuidParam) id: string,
    @Body() dto: RemapImportDto,
    @CurrentActor() actor: Actor,
  ): Promise<WithHeaders<ImportView>> {
    return withHeaders(await this.imports.remap(actor, id, dto), { Location: `/api/imports/${id}` });
  }

  @Get('imports/:id/marked.xlsx')
  @ApiOperation({ summary: 'The same sheet with the bad cells filled and commented, and a 错误说明 column' })
  @ApiUuidParam('id', 'the import')
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'the workbook', schema: { type: 'string', format: 'binary' } })
  @ApiProblemResponses(404, 409)
  async marked(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const { fileName, body } = await this.imports.marked(actor, id);
    return new StreamableFile(body, {
      type: XLSX,
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      length: body.length,
    });
  }

  @Post('imports/:id/confirm')
  @HttpCode(HttpStatus.ACCEPTED)
  @Sends('RecordHistory')
  @Idempotent()
  @ApiOperation({
    summary:
      'Imports the rows chosen (every good and changed row by default; a likely duplicate only when listed in confirmDuplicates)',
  })
  @ApiUuidParam('id', 'the import')
  @ApiAcceptedResponse({ type: ImportView })
  @ApiProblemResponses(404, 409)
  async confirm(
    @Param('id', UuidParam) id: string,
    @Body() dto: ConfirmImportDto,
    @CurrentActor() actor: Actor,
  ): Promise<WithHeaders<ImportView>> {
    return withHeaders(await this.imports.confirm(actor, id, dto), { Location: `/api/imports/${id}` });
  }

  @Get('ledger/columns')
  @ApiOperation({ summary: "The 台账's columns: key, canonical header, the headers ledgers also use" })
  @ApiOkResponse({ type: [LedgerColumnView] })
  columns(): LedgerColumnView[] {
    return this.imports.columns();
  }

  @Get('import-mappings')
  @ApiOperation({
    summary: "The caller's saved column mapping (header → column key), applied to their next upload",
  })
  @ApiOkResponse({ type: SavedMappingView })
  savedMapping(@CurrentActor() actor: Actor): Promise<SavedMappingView> {
    return this.imports.savedMapping(actor);
  }
}
