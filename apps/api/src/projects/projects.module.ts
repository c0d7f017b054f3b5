import { Module } from '@nestjs/common';
import { DuplicatesModule } from '../duplicates/duplicates.module';
import { FilesModule } from '../files/files.module';
import { PeopleModule } from '../people/people.module';
import { ProjectsController } from './projects.controller';
import { ProjectListService } from './project-list.service';
import { ProjectQueries } from './project.queries';
import { ProjectsService } from './projects.service';

@Module({
  imports: [PeopleModule, DuplicatesModule, FilesModule],
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectListService, ProjectQueries],
  exports: [ProjectsService],
})
export class ProjectsModule {}
