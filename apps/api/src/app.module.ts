import { Module } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { PolicyModule } from './policy/policy.module';
import { ProjectsModule } from './projects/projects.module';
import { ReviewsModule } from './reviews/reviews.module';
import { TargetsModule } from './targets/targets.module';
import { TemporalModule } from './temporal/temporal.module';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule,
    DatabaseModule,
    TemporalModule,
    AuthModule,
    HealthModule,
    ProjectsModule,
    AlertsModule,
    DeliveriesModule,
    PolicyModule,
    ReviewsModule,
    TargetsModule,
    AuditModule,
  ],
})
export class AppModule {}
