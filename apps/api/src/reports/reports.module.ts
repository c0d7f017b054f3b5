import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { LedgerExportService } from './ledger-export.service';
import { PeriodicReportQueries } from './periodic-report.queries';
import { PeriodicReportService } from './periodic-report.service';
import { ReportsController } from './reports.controller';

/** What bureaus hand in and keep: the 台账 export and the weekly and monthly forms. */
@Module({
  imports: [PeopleModule],
  controllers: [ReportsController],
  providers: [PeriodicReportQueries, PeriodicReportService, LedgerExportService],
})
export class ReportsModule {}
