import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { DependencyIndicators } from './health.indicators';

// Terminus's own logger writes plain text; a failed check is in the readiness answer itself.
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DependencyIndicators],
})
export class HealthModule {}
