import { Controller, Get, Logger, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { shanghaiDate, type Actor } from '@app/domain';
import { CurrentActor } from '../auth/auth';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { ListProjectsQuery } from '../projects/dto/list-projects.query';
import { LedgerExportService, type ExportBatch } from './ledger-export.service';
import { streamLedger } from './ledger-export.writer';
import { PeriodicReportQuery, PeriodicReportView } from './periodic-report.dto';
import { PeriodicReportService } from './periodic-report.service';
import { XLSX_CONTENT_TYPE } from '../targets/bulletin-workbook';
import { periodicWorkbook } from './periodic-workbook';

/** `attachment` with an ASCII name for old clients and the Chinese one (RFC 5987) for the rest. */
export function attachment(ascii: string, chinese: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(chinese)}`;
}

@ApiTags('reports')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller()
export class ReportsController {
  private readonly logger = new Logger(ReportsController.name);

  constructor(
    private readonly periodic: PeriodicReportService,
    private readonly ledger: LedgerExportService,
  ) {}

  // Registered before ProjectsModule's routes (app.module.ts), whose projects/:id would take it.
  @Get('projects/export.xlsx')
  @ApiTags('projects')
  @ApiOperation({
    summary:
      'The 台账 as .xlsx: every project of the list’s filters the caller may read (not a page: limit and cursor are ignored), in the list’s sort, in the column layout POST /api/imports reads',
  })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'the ledger, streamed',
    content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  async exportLedger(
    @Query() query: ListProjectsQuery,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const batches = this.ledger.batches(query, actor);
    // The first read fails, if it fails, before anything is sent: as a problem, not a broken file.
    const first = await batches.next();
    async function* all(): AsyncGenerator<ExportBatch> {
      if (first.done) return;
      yield first.value;
      yield* batches;
    }
    const day = shanghaiDate(new Date().toISOString());
    res.setHeader('Content-Type', XLSX_CONTENT_TYPE);
    res.setHeader('Content-Disposition', attachment(`ledger-${day}.xlsx`, `项目台账-${day}.xlsx`));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Authorization');
    try {
      await streamLedger(all(), res);
    } catch (e) {
      // The status is sent: all that is left is to cut the file short, so it cannot be mistaken for whole.
      if (res.destroyed) this.logger.warn(`ledger export abandoned by its reader: ${String(e)}`);
      else this.logger.error(`ledger export failed: ${String(e)}`);
      res.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  }

  @Get('reports/periodic')
  @ApiOperation({
    summary:
      '周报 / 月报: the steps taken in a week or month (new signings, landings, starts, 入统, 投产) and the funds arrived in it, the red-light projects with the reasons, and the projects with no update in 30 days, within the regions the caller reads',
  })
  @ApiOkResponse({ type: PeriodicReportView })
  report(@Query() query: PeriodicReportQuery, @CurrentActor() actor: Actor): Promise<PeriodicReportView> {
    return this.periodic.report(query.kind, query.period, query.region, actor);
  }

  @Get('reports/periodic.xlsx')
  @ApiOperation({
    summary: 'The weekly or monthly form as a workbook: 本期进展 (amounts in 万元), 红灯项目, 30日未更新',
  })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'the form',
    content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  async spreadsheet(
    @Query() query: PeriodicReportQuery,
    @CurrentActor() actor: Actor,
  ): Promise<StreamableFile> {
    const report = await this.periodic.report(query.kind, query.period, query.region, actor);
    const suffix = `${report.period}${report.region ? `-${report.region}` : ''}`;
    const form = report.kind === 'weekly' ? '周报' : '月报';
    return new StreamableFile(await periodicWorkbook(report), {
      type: XLSX_CONTENT_TYPE,
      disposition: attachment(`${report.kind}-report-${suffix}.xlsx`, `招商引资项目${form}-${suffix}.xlsx`),
    });
  }
}
