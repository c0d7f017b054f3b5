import { Module } from '@nestjs/common';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryQueries } from './delivery.queries';

@Module({ controllers: [DeliveriesController], providers: [DeliveriesService, DeliveryQueries] })
export class DeliveriesModule {}
