import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { positionalParameters } from '@app/domain';
import type { DeliveryChannel, DeliveryStatus } from './dto/delivery.dto';

export interface DeliveryRow {
  id: string;
  delivery_id: string;
  event_id: string;
  channel: DeliveryChannel;
  person_id: string | null;
  kind: 'alert' | 'escalation' | 'digest';
  project_id: string;
  deadline_id: string;
  rung: number;
  addressee: Record<string, unknown>;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  last_error: string | null;
  delivered_to: string[];
  created_at: Date;
}

/** A delivery by its row id, or by its delivery id (an event id for the webhooks). */
export type DeliveryKey = { rowId: string } | { deliveryId: string };

const COMMON = `kind, project_id, deadline_id, rung, addressee, status, attempts, next_attempt_at, last_attempt_at,
  delivered_at, last_error, created_at`;

/** The webhooks' rows (one per event, every URL) and the per-person rows (one per event, person and channel). */
const WEBHOOK_ROWS = `SELECT id, event_id AS delivery_id, event_id, 'webhook'::text AS channel, NULL::text AS person_id,
  ${COMMON}, delivered_to FROM outbox`;
const CHANNEL_ROWS = `SELECT id, delivery_id, event_id, channel, person_id, ${COMMON}, '{}'::text[] AS delivered_to
  FROM channel_deliveries`;

const OUT = `id::text AS id, delivery_id, event_id, channel, person_id, ${COMMON}, delivered_to`;

const TABLES = [
  { table: 'outbox', rows: WEBHOOK_ROWS, deliveryId: 'event_id' },
  { table: 'channel_deliveries', rows: CHANNEL_ROWS, deliveryId: 'delivery_id' },
] as const;

function matching(key: DeliveryKey, deliveryIdColumn: string): { where: string; value: string } {
  return 'rowId' in key
    ? { where: 'id = $1::bigint', value: key.rowId }
    : { where: `${deliveryIdColumn} = $1::uuid`, value: key.deliveryId };
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  channel?: DeliveryChannel;
  personId?: string;
  before?: string;
  limit: number;
}

/**
 * The outbox as its dispatchers see it: what is waiting, delivered or given up on. Both tables
 * draw their row ids from one sequence, so one id names one delivery and pages over both.
 */
@Injectable()
export class DeliveryQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, at most `limit` rows, older than the row `before`. */
  list(filter: DeliveryFilter): Promise<DeliveryRow[]> {
    const params: unknown[] = [];
    const bind = positionalParameters(params);
    const where: string[] = [];
    if (filter.status) where.push(`status = ${bind(filter.status)}`);
    if (filter.before) where.push(`id < ${bind(filter.before)}::bigint`);
    const shared = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const parts: string[] = [];
    // The webhooks are not per person: a filter by person or by another channel leaves them out.
    if (!filter.personId && (!filter.channel || filter.channel === 'webhook')) {
      parts.push(`(${WEBHOOK_ROWS} ${shared} ORDER BY id DESC LIMIT ${bind(filter.limit)})`);
    }
    if (filter.channel !== 'webhook') {
      const own = [...where];
      if (filter.channel) own.push(`channel = ${bind(filter.channel)}`);
      if (filter.personId) own.push(`person_id = ${bind(filter.personId)}`);
      parts.push(
        `(${CHANNEL_ROWS} ${own.length ? `WHERE ${own.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${bind(filter.limit)})`,
      );
    }
    // A webhook's delivery is no one's: asked for one person's webhooks, there are none.
    if (parts.length === 0) return Promise.resolve([]);
    return this.dataSource.query<DeliveryRow[]>(
      `SELECT ${OUT} FROM (${parts.join(' UNION ALL ')}) d ORDER BY d.id DESC LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  /**
   * Makes a dead or pending delivery due now with a fresh allowance of attempts; undefined when it
   * is neither (delivered, or no such row). The row lock waits for a pass delivering it right now.
   */
  async resend(key: DeliveryKey): Promise<DeliveryRow | undefined> {
    for (const { table, deliveryId } of TABLES) {
      const match = matching(key, deliveryId);
      // For UPDATE … RETURNING the driver answers [rows, affected].
      const [[updated]] = await this.dataSource.query<[{ id: string }[], number]>(
        `UPDATE ${table} SET status = 'pending', attempts = 0, next_attempt_at = now()
         WHERE ${match.where} AND status IN ('pending', 'dead')
         RETURNING id::text AS id`,
        [match.value],
      );
      if (updated) return this.find({ rowId: updated.id });
    }
    return undefined;
  }

  async find(key: DeliveryKey): Promise<DeliveryRow | undefined> {
    for (const { rows, deliveryId } of TABLES) {
      const match = matching(key, deliveryId);
      const [row] = await this.dataSource.query<DeliveryRow[]>(
        `SELECT ${OUT} FROM (${rows} WHERE ${match.where}) d`,
        [match.value],
      );
      if (row) return row;
    }
    return undefined;
  }
}
