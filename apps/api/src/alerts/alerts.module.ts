import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertQueries } from './alert.queries';
import { AlertsService } from './alerts.service';
import { UnreachedAlertsController } from './unreached.controller';
import { UnreachedQueries } from './unreached.queries';
import { UnreachedService } from './unreached.service';

@Module({
  controllers: [UnreachedAlertsController, AlertsController],
  providers: [AlertsService, AlertQueries, UnreachedService, UnreachedQueries],
  exports: [AlertQueries],
})
export class AlertsModule {}
