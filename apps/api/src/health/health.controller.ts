import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { Public } from '../auth/auth';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { RETRY_AFTER_SECONDS } from '../common/problem-details';

interface Check {
  status: 'up' | 'down';
  error?: string;
}

const PROBE_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<unknown>, timeoutMs = PROBE_TIMEOUT_MS): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up' };
  } catch (e) {
    return { status: 'down', error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: Client,
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
    const [postgres, temporal] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      // With a deadline, so a probe during an outage ends instead of retrying on behind our back.
      check(() =>
        this.temporal.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () =>
          this.temporal.workflowService.getSystemInfo({}),
        ),
      ),
    ]);
    const up = postgres.status === 'up' && temporal.status === 'up';
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    if (!up) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return { status: up ? 'up' : 'down', checks: { postgres, temporal } };
  }
}
