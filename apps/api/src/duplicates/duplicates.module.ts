import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { DuplicateQueries } from './duplicate.queries';
import { DuplicatesController } from './duplicates.controller';
import { DuplicatesService } from './duplicates.service';

/** The duplicate check (重复签约) for registration, signing and import, and the confirmed pairs. */
@Module({
  imports: [PeopleModule],
  controllers: [DuplicatesController],
  providers: [DuplicatesService, DuplicateQueries],
  exports: [DuplicatesService],
})
export class DuplicatesModule {}
