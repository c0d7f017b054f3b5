import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/auth';
import { RETRY_AFTER_SECONDS } from '../common/problem-details';
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
  async ready(
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ status: 'up' | 'down'; checks: Record<string, Check> }> {
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
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    if (!up) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    const { postgres, temporal } = result.details as Record<'postgres' | 'temporal', Check>;
    return { status: up ? 'up' : 'down', checks: { postgres, temporal } };
  }
}
