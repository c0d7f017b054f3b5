import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresFileStore } from '@app/file-store';
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
    { provide: FILE_STORE, inject: [DataSource], useFactory: (ds: DataSource) => new PostgresFileStore(ds) },
  ],
  exports: [FilesService, FILE_STORE],
})
export class FilesModule {}
