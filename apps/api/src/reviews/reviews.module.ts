import { Module } from '@nestjs/common';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';
import { SupervisionService } from './supervision.service';

@Module({ controllers: [ReviewsController], providers: [ReviewsService, SupervisionService] })
export class ReviewsModule {}
