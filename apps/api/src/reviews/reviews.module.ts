import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { ReviewQueries } from './review.queries';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';
import { SupervisionQueries } from './supervision.queries';
import { SupervisionService } from './supervision.service';

@Module({
  imports: [PeopleModule],
  controllers: [ReviewsController],
  providers: [ReviewsService, ReviewQueries, SupervisionService, SupervisionQueries],
})
export class ReviewsModule {}
