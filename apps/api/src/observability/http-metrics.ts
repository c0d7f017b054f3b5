import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status';

/** The route pattern (`/api/projects/:id`), never the URL: one series per route, not per project. */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** Counts and times every HTTP request once it is answered. */
@Injectable()
export class HttpMetrics {
  private readonly requests: Counter<Label>;
  private readonly duration: Histogram<Label>;

  constructor(registry: Registry) {
    const labelNames: Label[] = ['method', 'route', 'status'];
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status.',
      labelNames,
      registers: [registry],
    });
  }

  /** Express middleware; the route is only known once the router has matched it, so read it at the end. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const stopTimer = this.duration.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      this.requests.inc(labels);
      stopTimer(labels);
    });
    next();
  };
}
