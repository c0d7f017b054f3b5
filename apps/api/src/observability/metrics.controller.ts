import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { Public } from '../auth/auth';

@Public()
@ApiTags('observability')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Metrics in the Prometheus text format' })
  async metrics(@Res() res: Response): Promise<void> {
    const body = await this.registry.metrics();
    // res.end, not res.send: Express would rewrite the content type's parameters.
    res.setHeader('Content-Type', this.registry.contentType);
    res.end(body);
  }
}
