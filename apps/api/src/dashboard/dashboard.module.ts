import { Module } from '@nestjs/common';
import { TargetsQueries } from '../targets/targets.queries';
import { TargetsService } from '../targets/targets.service';
import { DashboardController } from './dashboard.controller';
import { DashboardQueries } from './dashboard.queries';
import { DashboardService } from './dashboard.service';

/** The leaders' 领导驾驶舱; progress and ranking come from the targets' own service. */
@Module({
  controllers: [DashboardController],
  providers: [DashboardQueries, DashboardService, TargetsQueries, TargetsService],
})
export class DashboardModule {}
