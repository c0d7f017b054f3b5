import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { TargetsController } from './targets.controller';
import { TargetsQueries } from './targets.queries';
import { TargetsService } from './targets.service';

/** Annual targets per region, progress against them beside 时序进度, and the monthly bulletin. */
@Module({
  imports: [PeopleModule],
  controllers: [TargetsController],
  providers: [TargetsQueries, TargetsService],
})
export class TargetsModule {}
