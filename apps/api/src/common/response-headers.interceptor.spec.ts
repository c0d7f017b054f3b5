import { Controller, Get } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { lastValueFrom, of } from 'rxjs';
import { EtagFromRevision, ResponseHeadersInterceptor, withHeaders } from './response-headers.interceptor';

@Controller()
class Routes {
  @Get()
  plain(): void {}

  @Get()
  @EtagFromRevision()
  byRevision(): void {}
}

/** An Express response as far as the interceptor uses it. */
function response() {
  const headers: Record<string, string> = {};
  const res = {
    headers,
    statusCode: 200,
    setHeader: (name: string, value: string) => (headers[name] = value),
    status: (code: number) => {
      res.statusCode = code;
      return res;
    },
  };
  return res;
}

async function answer(handler: keyof Routes, value: unknown) {
  const res = response();
  const context = new ExecutionContextHost([{}, res, () => undefined], Routes, Routes.prototype[handler]);
  context.setType('http');
  const body = await lastValueFrom(
    new ResponseHeadersInterceptor().intercept(context, { handle: () => of(value) }),
  );
  return { body, headers: res.headers, status: res.statusCode };
}

describe('ResponseHeadersInterceptor', () => {
  it('writes the headers an answer carries, leaves out absent ones, and sends the body alone', async () => {
    const sent = await answer(
      'plain',
      withHeaders({ id: 'p-1' }, { ETag: '"v3"', Location: '/api/projects/p-1', 'Server-Timing': null }),
    );
    expect(sent).toEqual({
      body: { id: 'p-1' },
      headers: { ETag: '"v3"', Location: '/api/projects/p-1' },
      status: 200,
    });
  });

  it('answers with the status an answer carries, and the route’s own when it carries none', async () => {
    const accepted = await answer(
      'plain',
      withHeaders({ status: 'running' }, { Location: '/api/reviews/2025Q1' }, 202),
    );
    expect(accepted).toEqual({
      body: { status: 'running' },
      headers: { Location: '/api/reviews/2025Q1' },
      status: 202,
    });
    expect((await answer('plain', withHeaders({ done: true }, {}))).status).toBe(200);
  });

  it('passes a plain answer through and writes no header', async () => {
    expect(await answer('plain', { revision: 4 })).toEqual({
      body: { revision: 4 },
      headers: {},
      status: 200,
    });
  });

  it("takes the ETag from the view's revision on a route marked so", async () => {
    expect(await answer('byRevision', { revision: 4, name: 'x' })).toEqual({
      body: { revision: 4, name: 'x' },
      headers: { ETag: '"v4"' },
      status: 200,
    });
    expect(await answer('byRevision', { name: 'no revision' })).toEqual({
      body: { name: 'no revision' },
      headers: {},
      status: 200,
    });
  });
});
