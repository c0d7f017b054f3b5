import { Module } from '@nestjs/common';
import { DuplicatesModule } from '../duplicates/duplicates.module';
import { PeopleModule } from '../people/people.module';
import { ProjectsController } from './projects.controller';
import { ProjectListService } from './project-list.service';
import { ProjectQueries } from './project.queries';
import { ProjectsService } from './projects.service';

@Module({
  imports: [PeopleModule, DuplicatesModule],
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectListService, ProjectQueries],
  exports: [ProjectsService],
})
export class ProjectsModule {}
