import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CommandMetrics } from './command-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';

/** A registry of its own per app, not prom-client's global one: tests run several apps in one process. */
function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Metrics for every module: /metrics, HTTP request metrics, and CommandMetrics for lifecycle commands. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: Registry, useFactory: createRegistry }, HttpMetrics, CommandMetrics],
  exports: [Registry, HttpMetrics, CommandMetrics],
})
export class ObservabilityModule {}
