/** What one delivery attempt came to; the outbox retries only what is retryable. */
export type SendResult = { ok: true } | { ok: false; retryable: boolean; reason: string };

export const delivered: SendResult = { ok: true };

export function failed(retryable: boolean, reason: string): SendResult {
  return { ok: false, retryable, reason };
}
