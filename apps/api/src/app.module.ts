import { type DynamicModule, Module } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DatabaseModule } from './database/database.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DevSignInModule } from './dev-sign-in/dev-sign-in.module';
import { FilesModule } from './files/files.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { MeModule } from './me/me.module';
import { MeetingModule } from './meeting/meeting.module';
import { PeopleModule } from './people/people.module';
import { ObservabilityModule } from './observability/observability.module';
import { PolicyModule } from './policy/policy.module';
import { ProjectsModule } from './projects/projects.module';
import { ReportsModule } from './reports/reports.module';
import { ReviewsModule } from './reviews/reviews.module';
import { RobotsModule } from './robots/robots.module';
import { TargetsModule } from './targets/targets.module';
import { TemporalModule } from './temporal/temporal.module';
import { TimelineModule } from './timeline/timeline.module';

@Module({
  imports: [
    ObservabilityModule,
    DatabaseModule,
    TemporalModule,
    AuthModule,
    MeModule,
    PeopleModule,
    HealthModule,
    // Before ProjectsModule: its GET projects/:id would otherwise take projects/export.xlsx.
    ReportsModule,
    ProjectsModule,
    TimelineModule,
    AlertsModule,
    DeliveriesModule,
    RobotsModule,
    PolicyModule,
    ReviewsModule,
    TargetsModule,
    MeetingModule,
    DashboardModule,
    AuditModule,
    ImportsModule,
    FilesModule,
    DevSignInModule,
  ],
})
export class AppModule {
  /** The app with its configuration (ConfigModule) read and validated now, as createApp builds it. */
  static withConfiguration(): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot()] };
  }
}
