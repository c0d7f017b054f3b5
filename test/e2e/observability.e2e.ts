import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CommandMetrics } from '../../apps/api/src/observability/command-metrics';
import { JsonLogger } from '../../apps/api/src/observability/json-logger';
import { startSystem, type TestSystem } from '../support/system';

type LogLine = Record<string, unknown>;

let system: TestSystem;
let lines: LogLine[] = [];
beforeAll(async () => {
  system = await startSystem();
  // The suite starts the app silent; give it a logger whose lines the tests can read.
  system.app.useLogger(new JsonLogger({ write: (line) => lines.push(JSON.parse(line) as LogLine) }));
}, 120_000);
afterAll(() => system?.stop(), 60_000);
beforeEach(() => {
  lines = [];
});
afterEach(() => jest.restoreAllMocks());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const http = () => request(system.app.getHttpServer());

describe('observability: request ids, JSON logs and Prometheus metrics', () => {
  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const given = await http().get('/health/live').set('X-Request-Id', 'trace-42.a_B').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-42.a_B');

    const generated = await http().get('/health/live').expect(200);
    expect(generated.headers['x-request-id']).toMatch(UUID);

    for (const odd of ['has spaces', 'x'.repeat(129), 'line\\nbreak']) {
      const res = await http().get('/health/live').set('X-Request-Id', odd).expect(200);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('serves Prometheus text at /metrics, counting requests by route pattern', async () => {
    const token = system.token({ role: 'officer', regions: ['420500'] });
    const id = randomUUID();
    const project = await http().get(`/api/projects/${id}`).set('Authorization', `Bearer ${token}`);
    await http().get('/no/such/route').expect(404);
    system.app.get(CommandMetrics).record('registerLead', 'accepted');

    const res = await http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.text;
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain(
      `http_requests_total{method="GET",route="/api/projects/:id",status="${project.status}"} 1`,
    );
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain(
      `http_request_duration_seconds_count{method="GET",route="/api/projects/:id",status="${project.status}"} 1`,
    );
    expect(text).toContain('lifecycle_commands_total{command="registerLead",outcome="accepted"} 1');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).not.toContain(id);
  });

  it('stamps every line written during a request with its id, and writes one access line', async () => {
    const dataSource = system.app.get(DataSource);
    const query = dataSource.query.bind(dataSource);
    // Something deep inside the handler logs through Nest's Logger, as any service would.
    jest.spyOn(dataSource, 'query').mockImplementation((...args: Parameters<DataSource['query']>) => {
      new Logger('probe').log('asking PostgreSQL');
      return query(...args);
    });

    await http().get('/health/ready').set('X-Request-Id', 'ready-1').expect(200);

    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        context: 'probe',
        message: 'asking PostgreSQL',
        requestId: 'ready-1',
      }),
    );
    expect(lines).toContainEqual({
      time: expect.any(String),
      level: 'info',
      context: 'http',
      message: 'request',
      method: 'GET',
      path: '/health/ready',
      status: 200,
      durationMs: expect.any(Number),
      requestId: 'ready-1',
    });
  });

  it('names the actor in the access line, and the id in the error line of a fault', async () => {
    const token = system.token({ role: 'officer', regions: ['420500'], sub: 'officer-9' });
    // A fault in the auth guard itself: the exception filter turns it into a 500 and logs it.
    jest.spyOn(system.app.get(Reflector), 'getAllAndOverride').mockImplementationOnce(() => {
      throw new Error('reflection failed');
    });
    const res = await http()
      .get(`/api/projects/${randomUUID()}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'fault-1')
      .expect(500);
    expect(res.headers['x-request-id']).toBe('fault-1');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        context: 'http',
        requestId: 'fault-1',
        message: expect.stringContaining('reflection failed'),
      }),
    );

    const path = `/api/projects/${randomUUID()}`;
    const read = await http().get(path).set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'read-1');
    expect(lines).toContainEqual(
      expect.objectContaining({
        message: 'request',
        path,
        status: read.status,
        requestId: 'read-1',
        actorId: 'officer-9',
        actorRole: 'officer',
      }),
    );
  });
});
