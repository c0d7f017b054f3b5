import { createHash, randomUUID } from 'node:crypto';
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
import { PROBLEM_BASE, ProblemException } from './problem-details';
import { ApiIdempotencyKey, ApiProblemResponses, BODY_PROBLEMS } from './openapi';

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

interface ClaimRow {
  request_hash: string;
  state: 'pending' | 'done' | 'released';
  status: number | null;
  headers: Record<string, string> | null;
  body: unknown;
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
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

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
      const token = await this.claim(actorId, key, requestHash);
      if (token) return this.run(next, res, actorId, key, token);
      const [row] = await this.dataSource.query<ClaimRow[]>(
        `SELECT request_hash, state, status, headers, body FROM idempotent_responses
         WHERE actor_id = $1 AND key = $2`,
        [actorId, key],
      );
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
        for (const [name, value] of Object.entries(row.headers ?? {})) res.setHeader(name, value);
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(row.status!);
        return of(row.body);
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

  /**
   * Takes the key for this request: a new row, a released one, or the same request's claim left by
   * a crashed process. One statement, so two requests can never both hold it. Returns the claim's
   * token, or null when someone else holds or has answered the key.
   */
  private async claim(actorId: string, key: string, requestHash: string): Promise<string | null> {
    const token = randomUUID();
    const rows = await this.dataSource.query<{ claim_token: string }[]>(
      `INSERT INTO idempotent_responses AS r (actor_id, key, request_hash, state, claim_token, claimed_at)
       VALUES ($1, $2, $3, 'pending', $4, now())
       ON CONFLICT (actor_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'pending', claim_token = EXCLUDED.claim_token,
             claimed_at = now(), status = NULL, headers = NULL, body = NULL, created_at = now()
         WHERE r.state = 'released'
            OR (r.state = 'pending' AND r.request_hash = EXCLUDED.request_hash
                AND r.claimed_at < now() - make_interval(secs => $5))
       RETURNING claim_token`,
      [actorId, key, requestHash, token, this.env.IDEMPOTENCY_STALE_CLAIM_SECONDS],
    );
    return rows[0]?.claim_token === token ? token : null;
  }

  /** Runs the write under the claim: its response is kept, its failure releases the key. */
  private run(
    next: CallHandler,
    res: Response,
    actorId: string,
    key: string,
    token: string,
  ): Observable<unknown> {
    const settle = (sql: string, params: unknown[]) =>
      this.dataSource.query(`${sql} WHERE actor_id = $1 AND key = $2 AND claim_token = $3`, [
        actorId,
        key,
        token,
        ...params,
      ]);
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
            await settle(
              `UPDATE idempotent_responses
               SET state = 'done', claim_token = NULL, status = $4, headers = $5::jsonb, body = $6::jsonb`,
              [res.statusCode, JSON.stringify(headers), JSON.stringify(body ?? null)],
            );
            return body;
          })(),
        ),
      ),
      catchError((error: unknown) =>
        from(
          settle(`UPDATE idempotent_responses SET state = 'released', claim_token = NULL`, [])
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

/** Marks a write route: Idempotency-Key required, repeats answered from the first response. */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiIdempotencyKey(),
    ApiProblemResponses(...BODY_PROBLEMS),
  );
}
