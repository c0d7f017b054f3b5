import type { DataSource, EntityManager } from 'typeorm';
import { STAGE_LABELS, STEP_LABELS, type Digest, type PersonChannel, type StageCode } from '@app/domain';
import {
  renderDigestDingTalk,
  renderDigestEmail,
  renderDigestWeCom,
  renderDingTalk,
  renderEmail,
  renderWeCom,
  type AlertNotice,
  type DingTalkSender,
  type EmailSender,
  type SendResult,
  type WeComSender,
} from '@app/notification-channels';
import { currentPolicy } from '@app/persistence';
import { backoffDelay, WEBHOOK_DEFAULTS, type DeliveryPass, type Dispatcher } from './outbox-delivery';

/**
 * Delivery of the per-person rows (one per alert or escalation, person and channel, and each morning digest) with
 * the channel senders, on the outbox's terms: rows claimed FOR UPDATE SKIP LOCKED and held until
 * the outcome is recorded, retried with backoff, dead after the last allowed attempt. A failure no
 * retry can mend (a robot's bad token, a refused address) is dead at once, for an admin to fix and
 * resend. A channel with no sender (no SMTP_URL) keeps its rows pending.
 */
export interface ChannelSenders {
  email?: Pick<EmailSender, 'send'>;
  dingtalk?: Pick<DingTalkSender, 'send'>;
  wecom?: Pick<WeComSender, 'send'>;
}

export interface ChannelDeliveryOptions {
  senders: ChannelSenders;
  /** The officers' console, for the link to the project's page. */
  consoleUrl: string;
  maxAttempts?: number;
  batchSize?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Only these projects' rows; for tests that share a database with others. */
  projectIds?: readonly string[];
  /** Only these people's rows (a digest has no project); for tests that share a database with others. */
  personIds?: readonly string[];
}

interface ClaimedDelivery {
  id: string;
  delivery_id: string;
  outbox_id: string | null;
  project_id: string;
  kind: 'alert' | 'escalation' | 'digest';
  deadline_id: string;
  rung: number;
  addressee: { label?: unknown; region?: unknown };
  person_id: string;
  channel: PersonChannel;
  robot_id: string | null;
  address: string | null;
  attempts: number;
  /** What a morning digest lists (kind `digest` only). */
  digest: Digest | null;
}

interface NoticeFacts {
  project_name: string | null;
  project_region: string | null;
  stage: string | null;
  person_name: string | null;
  rule: string | null;
  step: string | null;
  due_date: string | null;
  robot_token: string | null;
  robot_secret: string | null;
  robot_enabled: boolean | null;
}

export class ChannelDispatcher implements Dispatcher {
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly channels: PersonChannel[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ChannelDeliveryOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? WEBHOOK_DEFAULTS.maxAttempts;
    this.batchSize = options.batchSize ?? WEBHOOK_DEFAULTS.batchSize;
    this.baseDelayMs = options.baseDelayMs ?? WEBHOOK_DEFAULTS.baseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? WEBHOOK_DEFAULTS.maxDelayMs;
    this.channels = (['email', 'dingtalk', 'wecom'] as const).filter((c) => options.senders[c] !== undefined);
  }

  get claimLimit(): number {
    return this.batchSize;
  }

  dispatchOnce(): Promise<DeliveryPass> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.claim(manager);
      const pass: DeliveryPass = { claimed: rows.length, delivered: 0, retrying: 0, dead: 0 };
      if (rows.length === 0) return pass;
      const rules = new Map((await currentPolicy(manager)).policy.rules.map((r) => [r.id, r.label]));
      // One connection holds the claim: its queries go one after another, the sends side by side.
      const facts: NoticeFacts[] = [];
      for (const row of rows) facts.push(await this.facts(manager, row));
      const results = await Promise.all(rows.map((row, i) => this.deliver(row, facts[i], rules)));
      for (const [i, row] of rows.entries()) pass[await this.record(manager, row, results[i])]++;
      return pass;
    });
  }

  private claim(manager: EntityManager): Promise<ClaimedDelivery[]> {
    if (this.channels.length === 0) return Promise.resolve([]);
    const params: unknown[] = [this.batchSize, this.channels];
    let only = '';
    if (this.options.projectIds) {
      params.push(this.options.projectIds);
      only += ` AND project_id = ANY($${params.length}::text[])`;
    }
    if (this.options.personIds) {
      params.push(this.options.personIds);
      only += ` AND person_id = ANY($${params.length}::text[])`;
    }
    return manager.query<ClaimedDelivery[]>(
      `SELECT id::text AS id, delivery_id, outbox_id::text AS outbox_id, project_id, kind, deadline_id, rung,
              addressee, person_id, channel, robot_id::text AS robot_id, address, attempts, digest
       FROM channel_deliveries
       WHERE status = 'pending' AND next_attempt_at <= now() AND channel = ANY($2::text[])${only}
       ORDER BY next_attempt_at, id
       LIMIT $1
       FOR UPDATE SKIP LOCKED`,
      params,
    );
  }

  /** What the message says, read at sending time: a robot's new token or a renamed project applies to retries. */
  private async facts(manager: EntityManager, row: ClaimedDelivery): Promise<NoticeFacts> {
    const [facts] = await manager.query<NoticeFacts[]>(
      `SELECT p.name AS project_name, p.region AS project_region, p.stage, pe.name AS person_name,
              raised.data->>'rule' AS rule, raised.data->>'step' AS step, raised.data->>'dueDate' AS due_date,
              r.token AS robot_token, r.secret AS robot_secret, r.enabled AS robot_enabled
       FROM (SELECT 1) one
       LEFT JOIN projects p ON p.project_id = $1
       LEFT JOIN people pe ON pe.person_id = $2
       LEFT JOIN group_robots r ON r.robot_id = $3::uuid
       LEFT JOIN LATERAL (
         SELECT o.payload->'data' AS data FROM outbox o
         WHERE o.project_id = $1 AND o.deadline_id = $4 AND o.kind = 'alert' AND o.id <= $5::bigint
         ORDER BY o.id DESC LIMIT 1
       ) raised ON true`,
      [row.project_id, row.person_id, row.robot_id, row.deadline_id, row.outbox_id],
    );
    return facts;
  }

  private async deliver(
    row: ClaimedDelivery,
    facts: NoticeFacts,
    rules: Map<string, string>,
  ): Promise<SendResult> {
    if (row.digest) return this.deliverDigest(row, row.digest, facts);
    const notice: AlertNotice = {
      projectId: row.project_id,
      projectName: facts.project_name ?? row.project_id,
      region:
        (typeof row.addressee.region === 'string' ? row.addressee.region : null) ??
        facts.project_region ??
        '',
      stageLabel: STAGE_LABELS[facts.stage as StageCode] ?? facts.stage ?? '',
      ruleLabel:
        (facts.rule ? rules.get(facts.rule) : undefined) ??
        STEP_LABELS[facts.step as keyof typeof STEP_LABELS] ??
        facts.rule ??
        row.deadline_id,
      dueDate: facts.due_date ?? '',
      rung: row.rung,
      addresseeLabel:
        facts.person_name ?? (typeof row.addressee.label === 'string' ? row.addressee.label : ''),
      consoleUrl: this.options.consoleUrl,
    };
    const mentions = row.address ? [row.address] : [];
    try {
      switch (row.channel) {
        case 'email':
          return await this.options.senders.email!.send(
            { to: row.address ? [row.address] : [] },
            renderEmail(notice),
          );
        case 'dingtalk':
          if (!facts.robot_token || !facts.robot_enabled) return robotGone(row);
          return await this.options.senders.dingtalk!.send(
            { accessToken: facts.robot_token, secret: facts.robot_secret ?? undefined },
            renderDingTalk(notice, mentions),
          );
        case 'wecom':
          if (!facts.robot_token || !facts.robot_enabled) return robotGone(row);
          return await this.options.senders.wecom!.send(
            { key: facts.robot_token },
            renderWeCom(notice, mentions),
          );
      }
    } catch (e) {
      // The senders answer failures as results; anything thrown is unexpected and worth another try.
      return { ok: false, retryable: true, reason: e instanceof Error ? e.message.slice(0, 200) : String(e) };
    }
  }

  /** A digest is sent as it was gathered; only the robot's token and secret are read at sending time. */
  private async deliverDigest(row: ClaimedDelivery, digest: Digest, facts: NoticeFacts): Promise<SendResult> {
    const consoleUrl = this.options.consoleUrl;
    try {
      switch (row.channel) {
        case 'email':
          return await this.options.senders.email!.send(
            { to: row.address ? [row.address] : [] },
            renderDigestEmail(digest, consoleUrl),
          );
        case 'dingtalk':
          if (!facts.robot_token || !facts.robot_enabled) return robotGone(row);
          return await this.options.senders.dingtalk!.send(
            { accessToken: facts.robot_token, secret: facts.robot_secret ?? undefined },
            renderDigestDingTalk(digest, consoleUrl, row.address),
          );
        case 'wecom':
          if (!facts.robot_token || !facts.robot_enabled) return robotGone(row);
          return await this.options.senders.wecom!.send(
            { key: facts.robot_token },
            renderDigestWeCom(digest, consoleUrl),
          );
      }
    } catch (e) {
      return { ok: false, retryable: true, reason: e instanceof Error ? e.message.slice(0, 200) : String(e) };
    }
  }

  private async record(
    manager: EntityManager,
    row: ClaimedDelivery,
    result: SendResult,
  ): Promise<'delivered' | 'retrying' | 'dead'> {
    const attempts = row.attempts + 1;
    if (result.ok) {
      await manager.query(
        `UPDATE channel_deliveries SET status = 'delivered', attempts = $2, last_error = NULL,
                last_attempt_at = clock_timestamp(), delivered_at = clock_timestamp()
         WHERE id = $1::bigint`,
        [row.id, attempts],
      );
      return 'delivered';
    }
    const dead = !result.retryable || attempts >= this.maxAttempts;
    await manager.query(
      `UPDATE channel_deliveries SET status = $2, attempts = $3, last_error = $4, last_attempt_at = clock_timestamp(),
              next_attempt_at = clock_timestamp() + $5 * interval '1 millisecond'
       WHERE id = $1::bigint`,
      [
        row.id,
        dead ? 'dead' : 'pending',
        attempts,
        `${result.retryable ? '' : 'not retryable: '}${result.reason}`.slice(0, 2000),
        dead ? 0 : backoffDelay(attempts, this.baseDelayMs, this.maxDelayMs),
      ],
    );
    return dead ? 'dead' : 'retrying';
  }
}

function robotGone(row: ClaimedDelivery): SendResult {
  return { ok: false, retryable: false, reason: `robot ${row.robot_id ?? '?'} is disabled or has no token` };
}
