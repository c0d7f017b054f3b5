import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '@app/domain';

export const REQUEST_ID_HEADER = 'X-Request-Id';

// A caller's id is kept so logs join up across services; anything else could forge or flood log lines.
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The id of the request whose handling is running now, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `fn`, and everything it starts, as part of the request `requestId`. */
export function runInRequestContext<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

const accessLog = new Logger('http');

/**
 * Express middleware, mounted before any other: gives the request its id, echoes it back, runs the
 * rest of the chain inside its context, and writes one access line once the response is sent.
 */
export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const given = req.get(REQUEST_ID_HEADER);
  const requestId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, requestId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    // Set by the auth guard; absent on public routes and refused requests.
    const actor = (req as Request & { actor?: Actor }).actor;
    accessLog.log({
      message: 'request',
      method: req.method,
      path: req.originalUrl,
      status: res.statusCode,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      requestId,
      actorId: actor?.id,
      actorRole: actor?.role,
    });
  });
  runInRequestContext(requestId, next);
}
