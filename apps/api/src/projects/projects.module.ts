import { Module } from '@nestjs/common';
import { ProjectsController } from './projects.controller';
import { ProjectListService } from './project-list.service';
import { ProjectsService } from './projects.service';

@Module({
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectListService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
