import { Module } from '@nestjs/common';
import { ProjectsController } from './projects.controller';
import { ProjectListService } from './project-list.service';
import { ProjectQueries } from './project.queries';
import { ProjectsService } from './projects.service';

@Module({
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectListService, ProjectQueries],
  exports: [ProjectsService],
})
export class ProjectsModule {}
