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
  return { headers, setHeader: (name: string, value: string) => (headers[name] = value) };
}

async function answer(handler: keyof Routes, value: unknown) {
  const res = response();
  const context = new ExecutionContextHost([{}, res, () => undefined], Routes, Routes.prototype[handler]);
  context.setType('http');
  const body = await lastValueFrom(
    new ResponseHeadersInterceptor().intercept(context, { handle: () => of(value) }),
  );
  return { body, headers: res.headers };
}

describe('ResponseHeadersInterceptor', () => {
  it('writes the headers an answer carries, leaves out absent ones, and sends the body alone', async () => {
    const sent = await answer(
      'plain',
      withHeaders({ id: 'p-1' }, { ETag: '"v3"', Location: '/api/projects/p-1', 'Server-Timing': null }),
    );
    expect(sent).toEqual({ body: { id: 'p-1' }, headers: { ETag: '"v3"', Location: '/api/projects/p-1' } });
  });

  it('passes a plain answer through and writes no header', async () => {
    expect(await answer('plain', { revision: 4 })).toEqual({ body: { revision: 4 }, headers: {} });
  });

  it("takes the ETag from the view's revision on a route marked so", async () => {
    expect(await answer('byRevision', { revision: 4, name: 'x' })).toEqual({
      body: { revision: 4, name: 'x' },
      headers: { ETag: '"v4"' },
    });
    expect(await answer('byRevision', { name: 'no revision' })).toEqual({
      body: { name: 'no revision' },
      headers: {},
    });
  });
});
