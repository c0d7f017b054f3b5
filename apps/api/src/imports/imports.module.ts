import { Module } from '@nestjs/common';
import { Environment } from '@app/config';
import { PeopleModule } from '../people/people.module';
import { ImportQueries } from './import.queries';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';
import { LEDGER_UPLOAD_OPTIONS, LedgerUploadInterceptor } from './ledger-upload.interceptor';

/** 台账 imports: upload, dry run, confirm, progress (the job itself runs in the worker). */
@Module({
  imports: [PeopleModule],
  controllers: [ImportsController],
  providers: [
    ImportsService,
    ImportQueries,
    LedgerUploadInterceptor,
    {
      provide: LEDGER_UPLOAD_OPTIONS,
      inject: [Environment],
      // In memory: the file is stored in PostgreSQL beside the import, and is at most this large.
      useFactory: (env: Environment) => ({
        limits: { fileSize: env.IMPORT_MAX_FILE_BYTES, files: 1, fields: 10, fieldSize: 200_000 },
      }),
    },
  ],
})
export class ImportsModule {}
