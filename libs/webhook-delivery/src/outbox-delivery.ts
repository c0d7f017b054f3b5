import { createHmac } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Delivery of the outbox (alerts and escalations) to the configured webhooks, at least once.
 *
 * A pass claims due rows with FOR UPDATE SKIP LOCKED and keeps them locked while it POSTs them, then
 * records each outcome in the same transaction. Several workers can therefore run passes side by side
 * without sending a row twice at the same time, and a crash mid-delivery rolls the claim back: the row
 * stays pending and is sent again. Receivers dedupe on X-Delivery-Id, which is the row's event id and
 * never changes across attempts.
 */
export interface WebhookDeliveryOptions {
  urls: readonly string[];
  /** HMAC-SHA256 key for X-Signature-256. */
  secret: string;
  /** Attempts before a row is set aside as dead. */
  maxAttempts?: number;
  /** How long one endpoint may take to answer. */
  timeoutMs?: number;
  /** Rows claimed per pass. */
  batchSize?: number;
  /** The wait after the first failure; it doubles with each further one, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Only these projects' rows; for tests that share a database with others. */
  projectIds?: readonly string[];
}

export const WEBHOOK_DEFAULTS = {
  maxAttempts: 8,
  timeoutMs: 5000,
  batchSize: 20,
  baseDelayMs: 2000,
  maxDelayMs: 3_600_000,
} as const;

/** What a pass did with the rows it claimed. */
export interface DeliveryPass {
  claimed: number;
  delivered: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  /** Failed for the last allowed time. */
  dead: number;
}

/** The JSON body POSTed for one outbox row; identical on every attempt. */
export interface WebhookBody {
  /** Equals X-Delivery-Id: the event id, the same on every attempt. */
  deliveryId: string;
  eventId: string;
  kind: 'alert' | 'escalation';
  projectId: string;
  deadlineId: string;
  rung: number;
  addressee: unknown;
  /** The AlertRaised or AlertEscalated event as recorded in the project's history. */
  event: unknown;
  createdAt: string;
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes, as sent in X-Signature-256. */
export function webhookSignature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface ClaimedRow {
  id: string;
  event_id: string;
  project_id: string;
  kind: 'alert' | 'escalation';
  deadline_id: string;
  rung: number;
  addressee: unknown;
  payload: unknown;
  created_at: Date;
  attempts: number;
  delivered_to: string[];
}

interface Outcome {
  deliveredTo: string[];
  errors: string[];
}

export class OutboxDispatcher implements Dispatcher {
  private readonly urls: readonly string[];
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: WebhookDeliveryOptions,
  ) {
    if (options.urls.length === 0) throw new Error('OutboxDispatcher: no webhook URLs to deliver to');
    this.urls = [...new Set(options.urls)];
    this.maxAttempts = options.maxAttempts ?? WEBHOOK_DEFAULTS.maxAttempts;
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs;
    this.batchSize = options.batchSize ?? WEBHOOK_DEFAULTS.batchSize;
    this.baseDelayMs = options.baseDelayMs ?? WEBHOOK_DEFAULTS.baseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? WEBHOOK_DEFAULTS.maxDelayMs;
  }

  get claimLimit(): number {
    return this.batchSize;
  }

  /** Claims the due rows, POSTs each to every endpoint still owed it, and records the outcomes. */
  dispatchOnce(): Promise<DeliveryPass> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.claim(manager);
      const pass: DeliveryPass = { claimed: rows.length, delivered: 0, retrying: 0, dead: 0 };
      const outcomes = await Promise.all(rows.map((row) => this.deliver(row)));
      for (const [i, row] of rows.entries()) {
        const result = await this.record(manager, row, outcomes[i]);
        pass[result]++;
      }
      return pass;
    });
  }

  private claim(manager: EntityManager): Promise<ClaimedRow[]> {
    const params: unknown[] = [this.batchSize];
    let onlyProjects = '';
    if (this.options.projectIds) {
      params.push(this.options.projectIds);
      onlyProjects = 'AND project_id = ANY($2::text[])';
    }
    return manager.query<ClaimedRow[]>(
      `SELECT id::text AS id, event_id, project_id, kind, deadline_id, rung, addressee, payload, created_at,
              attempts, delivered_to
       FROM outbox
       WHERE status = 'pending' AND next_attempt_at <= now() ${onlyProjects}
       ORDER BY next_attempt_at, id
       LIMIT $1
       FOR UPDATE SKIP LOCKED`,
      params,
    );
  }

  private async deliver(row: ClaimedRow): Promise<Outcome> {
    const owed = this.urls.filter((url) => !row.delivered_to.includes(url));
    const message: WebhookBody = {
      deliveryId: row.event_id,
      eventId: row.event_id,
      kind: row.kind,
      projectId: row.project_id,
      deadlineId: row.deadline_id,
      rung: row.rung,
      addressee: row.addressee,
      event: row.payload,
      createdAt: row.created_at.toISOString(),
    };
    const body = JSON.stringify(message);
    const headers = {
      'Content-Type': 'application/json',
      'X-Delivery-Id': row.event_id,
      'X-Delivery-Attempt': String(row.attempts + 1),
      'X-Signature-256': webhookSignature(this.options.secret, body),
    };
    const results = await Promise.all(owed.map((url) => this.post(url, headers, body)));
    return {
      deliveredTo: [...row.delivered_to, ...owed.filter((_, i) => results[i] === null)],
      errors: results.filter((r): r is string => r !== null),
    };
  }

  /** Null when the endpoint answered 2xx, otherwise what went wrong. */
  private async post(url: string, headers: Record<string, string>, body: string): Promise<string | null> {
    const where = endpointName(url);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        // A redirect is not an acceptance: the receiver must answer 2xx at the configured address.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel();
        return null;
      }
      const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
      return `${where}: HTTP ${res.status}${text ? ` ${text}` : ''}`;
    } catch (e) {
      if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
        return `${where}: no answer within ${this.timeoutMs} ms`;
      }
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      return `${where}: ${e instanceof Error ? e.message : String(e)}${cause}`;
    }
  }

  private async record(
    manager: EntityManager,
    row: ClaimedRow,
    outcome: Outcome,
  ): Promise<'delivered' | 'retrying' | 'dead'> {
    const attempts = row.attempts + 1;
    if (outcome.errors.length === 0) {
      await manager.query(
        `UPDATE outbox SET status = 'delivered', attempts = $2, delivered_to = $3::text[], last_error = NULL,
                           last_attempt_at = clock_timestamp(), delivered_at = clock_timestamp()
         WHERE id = $1::bigint`,
        [row.id, attempts, outcome.deliveredTo],
      );
      return 'delivered';
    }
    const dead = attempts >= this.maxAttempts;
    await manager.query(
      `UPDATE outbox SET status = $2, attempts = $3, delivered_to = $4::text[], last_error = $5,
                         last_attempt_at = clock_timestamp(),
                         next_attempt_at = clock_timestamp() + $6 * interval '1 millisecond'
       WHERE id = $1::bigint`,
      [
        row.id,
        dead ? 'dead' : 'pending',
        attempts,
        outcome.deliveredTo,
        outcome.errors.join('; ').slice(0, 2000),
        dead ? 0 : this.backoff(attempts),
      ],
    );
    return dead ? 'dead' : 'retrying';
  }

  private backoff(attempts: number): number {
    return backoffDelay(attempts, this.baseDelayMs, this.maxDelayMs);
  }
}

/** Exponential, capped, with jitter so that rows failed together do not all come back together. */
export function backoffDelay(attempts: number, baseDelayMs: number, maxDelayMs: number): number {
  const ceiling = Math.min(baseDelayMs * 2 ** (attempts - 1), maxDelayMs);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** The endpoint without its query string or credentials, which may hold tokens. */
function endpointName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'webhook';
  }
}

/** How a delivery loop paces its passes and reports them. */
export interface DeliveryLoopOptions {
  /** The wait between passes when nothing more is due. */
  pollIntervalMs?: number;
  onPass?: (pass: DeliveryPass) => void;
  onError?: (error: unknown) => void;
}

export interface OutboxDeliveryLoopOptions extends WebhookDeliveryOptions, DeliveryLoopOptions {}

export interface OutboxDeliveryLoop {
  /** Runs the next pass now instead of after the poll interval. */
  wake(): void;
  /** Lets the pass under way finish, then stops. */
  stop(): Promise<void>;
}

/** Runs delivery passes until stopped: straight on while batches come back full, else every poll interval. */
export function startOutboxDelivery(
  dataSource: DataSource,
  options: OutboxDeliveryLoopOptions,
): OutboxDeliveryLoop {
  return startDeliveryLoop(new OutboxDispatcher(dataSource, options), options);
}

/** What a delivery loop runs: passes that claim at most claimLimit rows each. */
export interface Dispatcher {
  readonly claimLimit: number;
  dispatchOnce(): Promise<DeliveryPass>;
}

/** Runs a dispatcher's passes until stopped: straight on while batches come back full, else every poll interval. */
export function startDeliveryLoop(dispatcher: Dispatcher, options: DeliveryLoopOptions): OutboxDeliveryLoop {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let stopping = false;
  let interrupt: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      }
      interrupt = done;
    });
  const running = (async () => {
    while (!stopping) {
      let more = false;
      try {
        const pass = await dispatcher.dispatchOnce();
        if (pass.claimed > 0) options.onPass?.(pass);
        more = pass.claimed === dispatcher.claimLimit;
      } catch (e) {
        // The claim rolled back; the rows are still pending and the next pass tries them again.
        options.onError?.(e);
      }
      if (!stopping && !more) await pause(pollIntervalMs);
    }
  })();
  return {
    wake: () => interrupt?.(),
    async stop() {
      stopping = true;
      interrupt?.();
      await running;
    },
  };
}
