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
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, of, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import type { Actor } from '@app/domain';
import { canonicalJson } from '@app/persistence';
import { IdempotentResponseQueries } from './idempotent-responses.queries';
import { PROBLEM_BASE, ProblemException } from './problem-details';
import { ApiIdempotencyKey, ApiProblemResponses, BODY_PROBLEMS } from './openapi';
import { WithHeaders, withHeaders } from './response-headers.interceptor';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Exactly one request per key runs its write. The key is claimed first, atomically (one row per
 * actor and key, inserted 'pending'); the claim becomes the kept response on success and is released
 * on failure, so a refused or failed write may be retried with the same key once its cause is put
 * right. A repeat of the same request while the first still runs waits briefly for its response
 * (409 with Retry-After past that); a key used for a different request is refused with 422. A
 * pending claim older than IDEMPOTENCY_STALE_CLAIM_SECONDS was left by a crashed process: the same
 * request takes it over (a project command is safe to run again: the workflow knows its command id).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly responses: IdempotentResponseQueries;

  constructor(
    dataSource: DataSource,
    private readonly env: Environment,
  ) {
    // Built here rather than injected: every module whose routes are idempotent has DataSource.
    this.responses = new IdempotentResponseQueries(dataSource);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { actor?: Actor }>();
    const res = http.getResponse<Response>();
    const key = idempotencyKeyOf(req);
    const actorId = req.actor?.id ?? '';
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.path}\n${canonicalJson(req.body ?? null)}`)
      .digest('hex');

    const waitUntil = Date.now() + this.env.IDEMPOTENCY_WAIT_MS;
    for (let pause = 20; ; pause = Math.min(pause * 2, 200)) {
      const token = await this.responses.claim(
        actorId,
        key,
        requestHash,
        this.env.IDEMPOTENCY_STALE_CLAIM_SECONDS,
      );
      if (token) return this.run(next, res, actorId, key, token);
      const row = await this.responses.find(actorId, key);
      // Released (or taken over and released) since our claim failed: claim again at once.
      if (!row || row.state === 'released') continue;
      if (row.request_hash !== requestHash) {
        throw headerProblem(
          HttpStatus.UNPROCESSABLE_ENTITY,
          'idempotency-key-reused',
          'Idempotency-Key was used for a different request',
          'this key already answered a different request; use a new key for a new write',
          'reused',
        );
      }
      if (row.state === 'done') {
        res.status(row.status!);
        // The response headers interceptor writes them, as it does for the first answer.
        return of(withHeaders(row.body, { ...row.headers, 'Idempotent-Replayed': 'true' }));
      }
      if (Date.now() >= waitUntil) {
        res.setHeader('Retry-After', '1');
        throw headerProblem(
          HttpStatus.CONFLICT,
          'idempotency-key-in-progress',
          'A request with this Idempotency-Key is still in progress',
          'the first request with this key has not answered yet; send this one again shortly for its response',
          'in_progress',
        );
      }
      await sleep(pause);
    }
  }

  /** Runs the write under the claim: its response is kept, its failure releases the key. */
  private run(
    next: CallHandler,
    res: Response,
    actorId: string,
    key: string,
    token: string,
  ): Observable<unknown> {
    return next.handle().pipe(
      mergeMap((answer: unknown) =>
        from(
          (async () => {
            await this.responses.complete(actorId, key, token, {
              // The status the answer carries is written outside this interceptor, after it.
              status: answer instanceof WithHeaders ? (answer.status ?? res.statusCode) : res.statusCode,
              headers: replayedHeaders(res, answer),
              body: (answer instanceof WithHeaders ? answer.body : answer) ?? null,
            });
            return answer;
          })(),
        ),
      ),
      catchError((error: unknown) =>
        from(
          this.responses
            .release(actorId, key, token)
            // The write's own failure is what the caller must hear; a claim that could not be
            // released is taken over once stale.
            .catch(() => undefined)
            .then(() => {
              throw error;
            }),
        ),
      ),
    );
  }
}

/**
 * The headers a replay repeats: those the answer carries for the response headers interceptor to
 * write, and any a handler set on the response itself.
 */
function replayedHeaders(res: Response, answer: unknown): Record<string, string> {
  const carried = new Map(
    answer instanceof WithHeaders
      ? Object.entries(answer.headers).map(([name, value]) => [name.toLowerCase(), value])
      : [],
  );
  return Object.fromEntries(
    REPLAYED_HEADERS.flatMap((h) => {
      const value = carried.get(h) ?? res.getHeader(h);
      return value === undefined ? [] : [[h, String(value)]];
    }),
  );
}

/** Marks a write route: Idempotency-Key required, repeats answered from the first response. */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiIdempotencyKey(),
    ApiProblemResponses(...BODY_PROBLEMS),
  );
}
