import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertQueries } from './alert.queries';
import { AlertsService } from './alerts.service';

@Module({
  controllers: [AlertsController],
  providers: [AlertsService, AlertQueries],
  exports: [AlertQueries],
})
export class AlertsModule {}
