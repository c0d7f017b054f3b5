import { createHash } from 'node:crypto';
import {
  applyDecorators,
  HttpStatus,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, mergeMap, of, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/domain';
import { canonicalJson } from '@app/persistence';
import { PROBLEM_BASE, ProblemException } from './problem-details';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** Response headers a replay must repeat. */
const REPLAYED_HEADERS = ['etag', 'location'] as const;

function headerProblem(status: number, slug: string, title: string, detail: string, rule: string) {
  return new ProblemException({
    type: `${PROBLEM_BASE}${slug}`,
    title,
    status,
    detail,
    errors: [{ field: 'Idempotency-Key', rule, message: detail }],
  });
}

/** The caller's key, checked: every write must carry one. */
export function idempotencyKeyOf(req: Request): string {
  const key = req.headers[IDEMPOTENCY_KEY_HEADER];
  if (typeof key !== 'string' || key === '') {
    throw headerProblem(
      HttpStatus.BAD_REQUEST,
      'idempotency-key-required',
      'Idempotency-Key is required',
      'every write must carry an Idempotency-Key header, so that a retry cannot apply it twice',
      'required',
    );
  }
  if (!KEY_PATTERN.test(key)) {
    throw headerProblem(
      HttpStatus.BAD_REQUEST,
      'validation',
      'The request is not valid',
      'Idempotency-Key must be 1 to 200 visible ASCII characters',
      'format',
    );
  }
  return key;
}

/** A stable id for the command a key stands for, so the workflow also recognises a repeat. */
export function commandIdFor(actor: Actor, key: string): string {
  return createHash('sha256').update(`${actor.id}\u0000${key}`).digest('hex').slice(0, 32);
}

interface StoredResponse {
  request_hash: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Answers a repeated key with the first response, and remembers each successful response. A key
 * reused for a different request is refused. Only successes are kept: a refused or failed write may
 * be retried with the same key once its cause is put right.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly dataSource: DataSource) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { actor?: Actor }>();
    const res = http.getResponse<Response>();
    const key = idempotencyKeyOf(req);
    const actorId = req.actor?.id ?? '';
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.path}\n${canonicalJson(req.body ?? null)}`)
      .digest('hex');

    const [stored] = await this.dataSource.query<StoredResponse[]>(
      `SELECT request_hash, status, headers, body FROM idempotent_responses WHERE actor_id = $1 AND key = $2`,
      [actorId, key],
    );
    if (stored) {
      if (stored.request_hash !== requestHash) {
        throw headerProblem(
          HttpStatus.UNPROCESSABLE_ENTITY,
          'idempotency-key-reused',
          'Idempotency-Key was used for a different request',
          'this key already answered a different request; use a new key for a new write',
          'reused',
        );
      }
      for (const [name, value] of Object.entries(stored.headers)) res.setHeader(name, value);
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(stored.status);
      return of(stored.body);
    }

    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          (async () => {
            const headers = Object.fromEntries(
              REPLAYED_HEADERS.flatMap((h) => {
                const value = res.getHeader(h);
                return value === undefined ? [] : [[h, String(value)]];
              }),
            );
            await this.dataSource.query(
              `INSERT INTO idempotent_responses (actor_id, key, request_hash, status, headers, body)
               VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) ON CONFLICT (actor_id, key) DO NOTHING`,
              [
                actorId,
                key,
                requestHash,
                res.statusCode,
                JSON.stringify(headers),
                JSON.stringify(body ?? null),
              ],
            );
            return body;
          })(),
        ),
      ),
    );
  }
}

/** Marks a write route: Idempotency-Key required, repeats answered from the first response. */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description: 'a key unique to this write; sending it again returns the first response',
    }),
  );
}
