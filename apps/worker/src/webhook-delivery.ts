import type { DataSource } from 'typeorm';
import type { Environment } from '@app/config';
import {
  startOutboxDelivery,
  type OutboxDeliveryLoop,
  type WebhookDeliveryOptions,
} from '@app/webhook-delivery';

/**
 * The worker's webhook delivery, configured from the environment; undefined when WEBHOOK_URLS is
 * empty (the outbox then keeps its rows pending until delivery is configured).
 */
export function startWebhookDelivery(
  dataSource: DataSource,
  env: Environment,
  overrides: Partial<WebhookDeliveryOptions> & { pollIntervalMs?: number } = {},
  log: (line: Record<string, unknown>) => void = (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
): OutboxDeliveryLoop | undefined {
  if (env.WEBHOOK_URLS.length === 0) return undefined;
  const loop = startOutboxDelivery(dataSource, {
    urls: env.WEBHOOK_URLS,
    secret: env.WEBHOOK_SECRET,
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    ...overrides,
    onPass: (pass) => log({ level: pass.dead > 0 ? 'warn' : 'info', msg: 'webhook deliveries', ...pass }),
    onError: (e) =>
      log({
        level: 'error',
        msg: 'webhook delivery pass failed',
        err: e instanceof Error ? e.message : String(e),
      }),
  });
  log({ level: 'info', msg: 'webhook delivery started', endpoints: env.WEBHOOK_URLS.length });
  return loop;
}
