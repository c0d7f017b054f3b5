import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/auth';
import { RETRY_AFTER_SECONDS } from '../common/problem-details';
import { withHeaders, type WithHeaders } from '../common/response-headers.interceptor';
import { DependencyIndicators } from './health.indicators';

interface Check {
  status: 'up' | 'down';
  error?: string;
}

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: DependencyIndicators,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is running' })
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Ready only when PostgreSQL and Temporal both answer' })
  async ready(): Promise<WithHeaders<{ status: 'up' | 'down'; checks: Record<string, Check> }>> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([() => this.indicators.postgres(), () => this.indicators.temporal()]);
    } catch (e) {
      // Terminus answers a failed check with a 503 exception carrying the same result; the answer
      // here is the readiness body, not a problem+json.
      if (!(e instanceof ServiceUnavailableException)) throw e;
      result = e.getResponse() as HealthCheckResult;
    }
    const up = result.status === 'ok';
    const { postgres, temporal } = result.details as Record<'postgres' | 'temporal', Check>;
    return withHeaders(
      { status: up ? 'up' : 'down', checks: { postgres, temporal } },
      { 'Retry-After': up ? null : String(RETRY_AFTER_SECONDS) },
      up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
