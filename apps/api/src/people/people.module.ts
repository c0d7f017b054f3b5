import { Module } from '@nestjs/common';
import { PeopleController } from './people.controller';
import { PeopleQueries } from './people.queries';
import { PeopleService } from './people.service';

@Module({
  controllers: [PeopleController],
  providers: [PeopleService, PeopleQueries],
  exports: [PeopleQueries],
})
export class PeopleModule {}
