import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import { PostgresFileStore, S3FileStore } from '@app/file-store';
import { AuditQueries } from '../audit/audit.queries';
import { FilesController } from './files.controller';
import { FileQueries } from './files.queries';
import { FILE_STORE, FilesService } from './files.service';

/**
 * Evidence files: upload, metadata, download and thumbnails; FilesService tells commands what the
 * files they reference are (evidenceFor) and keeps the ones their events cite (markReferenced).
 */
@Module({
  controllers: [FilesController],
  providers: [
    FilesService,
    FileQueries,
    // Auditors' reads of files go to the same log as their reads of the audit trail.
    AuditQueries,
    {
      provide: FILE_STORE,
      inject: [DataSource, Environment],
      useFactory: (ds: DataSource, env: Environment) =>
        env.FILE_STORE === 's3' ? S3FileStore.fromSettings(env, ds) : new PostgresFileStore(ds),
    },
  ],
  exports: [FilesService, FILE_STORE],
})
export class FilesModule {}
