import {
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { etagFor } from './preconditions';

/**
 * A handler's answer together with the response headers that belong to it (ETag, Location, …), and
 * its status when it is not the route's own (a 202 for work still under way), so that handlers stay
 * plain functions of their request and one interceptor writes them.
 */
export class WithHeaders<T = unknown> {
  constructor(
    readonly body: T,
    readonly headers: Readonly<Record<string, string>>,
    readonly status?: number,
  ) {}
}

/** The body with these headers; a header given as null or undefined is left out. */
export function withHeaders<T>(
  body: T,
  headers: Record<string, string | null | undefined>,
  status?: number,
): WithHeaders<T> {
  const present = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] != null);
  return new WithHeaders(body, Object.fromEntries(present), status);
}

const ETAG_FROM_REVISION = 'etag-from-revision';

/**
 * The answer's ETag is the `revision` it shows (a project's, as `projectEtag` names it), so a view
 * that carries its revision needs no wrapper.
 */
export const EtagFromRevision = (): MethodDecorator => SetMetadata(ETAG_FROM_REVISION, true);

function revisionOf(answer: unknown): number | undefined {
  const revision = (answer as { revision?: unknown } | null)?.revision;
  return typeof revision === 'number' ? revision : undefined;
}

/**
 * Writes the headers a handler's answer carries and sends its body. Registered globally, so it sits
 * outside every route's own interceptors: the idempotency interceptor sees the headers it must keep
 * for a replay, and answers a replay with them in the same form.
 */
@Injectable()
export class ResponseHeadersInterceptor implements NestInterceptor {
  constructor(private readonly reflector = new Reflector()) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const etagFromRevision = this.reflector.get<boolean>(ETAG_FROM_REVISION, context.getHandler()) === true;
    return next.handle().pipe(
      map((answer: unknown) => {
        const revision = etagFromRevision ? revisionOf(answer) : undefined;
        if (revision !== undefined) res.setHeader('ETag', etagFor(revision));
        if (!(answer instanceof WithHeaders)) return answer;
        if (answer.status !== undefined) res.status(answer.status);
        for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
        return answer.body;
      }),
    );
  }
}
