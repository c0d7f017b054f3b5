import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_BASE, ProblemException } from './problem-details';

/**
 * How deep a JSON body may nest objects and arrays. The deepest DTO (a transition's evidence) is a
 * few levels; past this a body is refused before class-transformer, the validators or the
 * idempotency hash walk it recursively and overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max`, found without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

/** Express middleware, after the JSON parser: a body nested too deep is a 400 problem. */
export function jsonDepthLimit(req: Request, _res: Response, next: NextFunction): void {
  if (!nestsDeeperThan(req.body, MAX_JSON_DEPTH)) return next();
  const message = `the body must not nest objects and arrays more than ${MAX_JSON_DEPTH} deep`;
  next(
    new ProblemException({
      type: `${PROBLEM_BASE}validation`,
      title: 'The request is not valid',
      status: 400,
      detail: message,
      errors: [{ field: 'body', rule: 'maxDepth', message }],
    }),
  );
}

// The statuses Node itself would answer with, by its error code.
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers-too-large', 'the request headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'chunk-extensions-too-large', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request-timeout', 'the request did not arrive in time'],
};

/**
 * Node answers requests it cannot parse (oversized headers, invalid header characters, a malformed
 * request line) itself, in plain text, before Express sees them. This answers them as
 * problem+json instead, then closes the connection as Node does.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) => {
    // Nothing to answer on a connection already gone, or one that has been answered on already.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
      socket.destroy();
      return;
    }
    const [status, type, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [
      400,
      'malformed-request',
      `the request could not be parsed as HTTP/1.1 (${error.code ?? 'parse error'})`,
    ];
    const body = JSON.stringify({
      type: `${PROBLEM_BASE}${type}`,
      title: STATUS_CODES[status],
      status,
      detail,
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
