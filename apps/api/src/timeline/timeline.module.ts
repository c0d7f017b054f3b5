import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { PeopleModule } from '../people/people.module';
import { ProjectsModule } from '../projects/projects.module';
import { TimelineController } from './timeline.controller';
import { TimelineService } from './timeline.service';

/** The project's history in Chinese for every reader of the project (the audit history is the auditors'). */
@Module({
  imports: [ProjectsModule, PeopleModule, AlertsModule],
  controllers: [TimelineController],
  providers: [TimelineService],
})
export class TimelineModule {}
