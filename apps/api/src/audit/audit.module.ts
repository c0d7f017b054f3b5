import { Module } from '@nestjs/common';
import { FilesModule } from '../files/files.module';
import { ProjectsModule } from '../projects/projects.module';
import { AuditController } from './audit.controller';
import { AuditReadInterceptor } from './audit-read-log';
import { AuditQueries } from './audit.queries';
import { AuditService } from './audit.service';

@Module({
  imports: [ProjectsModule, FilesModule],
  controllers: [AuditController],
  providers: [AuditService, AuditReadInterceptor, AuditQueries],
})
export class AuditModule {}
