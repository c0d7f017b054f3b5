import type { Client } from '@temporalio/client';

/**
 * How long a read waits on a workflow (a query, a describe) before answering from what it has:
 * a busy worker or a failing workflow task must not hold an HTTP request open.
 */
export const WORKFLOW_READ_TIMEOUT_MS = 1500;

/** gRPC's DEADLINE_EXCEEDED, as the client raises it when its deadline passes mid-call. */
export function isDeadlineExceeded(e: unknown): boolean {
  const err = e as { code?: unknown; cause?: { code?: unknown } } | null;
  return err?.code === 4 || err?.cause?.code === 4;
}

/** Runs `call` with the client's deadline `timeoutMs` from now. */
export function withinDeadline<T>(client: Client, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  return client.withDeadline(Date.now() + timeoutMs, call);
}
