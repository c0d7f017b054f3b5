import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { ReviewQueries } from './review.queries';
import { ReviewRunsController } from './review-runs.controller';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';
import { SupervisionQueries } from './supervision.queries';
import { SupervisionService } from './supervision.service';

@Module({
  imports: [PeopleModule],
  controllers: [ReviewsController, ReviewRunsController],
  providers: [ReviewsService, ReviewQueries, SupervisionService, SupervisionQueries],
})
export class ReviewsModule {}
