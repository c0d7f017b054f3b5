import { Logger } from '@nestjs/common';
import { JsonLogger } from './json-logger';
import { runInRequestContext } from './request-context';

function capture(options: ConstructorParameters<typeof JsonLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = new JsonLogger({ ...options, write: (line) => lines.push(line) });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line, without a request id outside a request', () => {
    const { logger, lines, records } = capture();
    logger.log('started', 'Bootstrap');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(lines[0].slice(0, -1)).not.toContain('\n');
    const [record] = records();
    expect(record).toEqual({
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      level: 'info',
      context: 'Bootstrap',
      message: 'started',
    });
    expect(record).not.toHaveProperty('requestId');
  });

  it('carries the request id inside a request, across awaits', async () => {
    const { logger, records } = capture();
    await runInRequestContext('req-1', async () => {
      logger.warn('before');
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.warn('after');
    });
    logger.warn('outside');
    expect(records().map((r) => [r.message, r.requestId])).toEqual([
      ['before', 'req-1'],
      ['after', 'req-1'],
      ['outside', undefined],
    ]);
  });

  it("serves Nest's Logger: context last, and an error's stack before it", () => {
    const { logger, records } = capture();
    Logger.overrideLogger(logger);
    try {
      const http = new Logger('http');
      runInRequestContext('req-2', () => {
        http.error('boom');
        http.error('failed', 'Error: failed\n    at handler (app.ts:1:1)');
      });
    } finally {
      Logger.overrideLogger(false);
    }
    expect(records()).toEqual([
      expect.objectContaining({ level: 'error', context: 'http', message: 'boom', requestId: 'req-2' }),
      expect.objectContaining({
        level: 'error',
        context: 'http',
        message: 'failed',
        stack: 'Error: failed\n    at handler (app.ts:1:1)',
        requestId: 'req-2',
      }),
    ]);
    expect(records()[0]).not.toHaveProperty('stack');
  });

  it('spreads object messages and fields into the line, and serializes errors', () => {
    const { logger, records } = capture();
    logger.log({ message: 'request', status: 200, durationMs: 1.5 }, { actorId: 'officer-7' }, 'http');
    logger.error(new Error('bad'), 'Worker');
    const [access, failure] = records();
    expect(access).toMatchObject({ message: 'request', status: 200, durationMs: 1.5, actorId: 'officer-7' });
    expect(failure).toMatchObject({ level: 'error', context: 'Worker', message: 'bad' });
    expect(failure.stack).toContain('Error: bad');
  });

  it('writes a bigint field as its digits and an error field by its parts', () => {
    const { logger, records } = capture();
    logger.log({ message: 'checkpoint', id: 9007199254740993n, cause: new TypeError('odd') });
    expect(records()[0]).toMatchObject({
      id: '9007199254740993',
      cause: { name: 'TypeError', message: 'odd', stack: expect.stringContaining('TypeError: odd') },
    });
  });

  it('still writes a line when a field cannot be serialized', () => {
    const { logger, records } = capture();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    logger.log({ message: 'odd', cycle });
    expect(records()).toEqual([expect.objectContaining({ level: 'info', message: 'odd' })]);
  });

  it('writes only the levels it is given', () => {
    const { logger, records } = capture({ logLevels: ['error', 'warn'] });
    logger.debug('noise');
    logger.log('info');
    logger.warn('careful');
    logger.setLogLevels(['error']);
    logger.warn('hidden');
    logger.fatal('down');
    expect(records().map((r) => r.message)).toEqual(['careful']);
  });
});
