import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A key's row: who holds it, and once answered, the response a repeat gets. */
export interface IdempotentResponseRow {
  request_hash: string;
  state: 'pending' | 'done' | 'released';
  status: number | null;
  headers: Record<string, string> | null;
  body: unknown;
}

/** The idempotent_responses table: one row per actor and Idempotency-Key. */
export class IdempotentResponseQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the key for this request: a new row, a released one, or the same request's claim left by
   * a crashed process (pending for longer than `staleSeconds`). One statement, so two requests can
   * never both hold it. Returns the claim's token, or null when someone else holds or has answered
   * the key.
   */
  async claim(
    actorId: string,
    key: string,
    requestHash: string,
    staleSeconds: number,
  ): Promise<string | null> {
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
      [actorId, key, requestHash, token, staleSeconds],
    );
    return rows[0]?.claim_token === token ? token : null;
  }

  async find(actorId: string, key: string): Promise<IdempotentResponseRow | undefined> {
    const [row] = await this.dataSource.query<IdempotentResponseRow[]>(
      `SELECT request_hash, state, status, headers, body FROM idempotent_responses
       WHERE actor_id = $1 AND key = $2`,
      [actorId, key],
    );
    return row;
  }

  /** Keeps the response under the claim, for every repeat of the request. */
  async complete(
    actorId: string,
    key: string,
    token: string,
    response: { status: number; headers: Record<string, string>; body: unknown },
  ): Promise<void> {
    await this.settle(
      `UPDATE idempotent_responses
       SET state = 'done', claim_token = NULL, status = $4, headers = $5::jsonb, body = $6::jsonb`,
      [actorId, key, token, response.status, JSON.stringify(response.headers), JSON.stringify(response.body)],
    );
  }

  /** Gives the key back after a failed write, so the same key may be used again. */
  async release(actorId: string, key: string, token: string): Promise<void> {
    await this.settle(`UPDATE idempotent_responses SET state = 'released', claim_token = NULL`, [
      actorId,
      key,
      token,
    ]);
  }

  /** Only the claim's holder settles it: a claim taken over once stale is no longer ours. */
  private settle(sql: string, params: unknown[]): Promise<unknown> {
    return this.dataSource.query(`${sql} WHERE actor_id = $1 AND key = $2 AND claim_token = $3`, params);
  }
}
