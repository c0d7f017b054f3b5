import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeliveryStatus } from './dto/delivery.dto';

export interface DeliveryRow {
  id: string;
  event_id: string;
  kind: 'alert' | 'escalation';
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

/** A delivery by its outbox row id, or by its event id. */
export type DeliveryKey = { rowId: string } | { eventId: string };

const COLUMNS = `id::text AS id, event_id, kind, project_id, deadline_id, rung, addressee, status, attempts,
  next_attempt_at, last_attempt_at, delivered_at, last_error, delivered_to, created_at`;

function matching(key: DeliveryKey): { where: string; value: string } {
  return 'rowId' in key
    ? { where: 'id = $1::bigint', value: key.rowId }
    : { where: 'event_id = $1::uuid', value: key.eventId };
}

/** The outbox as the webhook dispatcher sees it: what is waiting, delivered or given up on. */
@Injectable()
export class DeliveryQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, at most `limit` rows, of one status or all, older than the row `before`. */
  list(filter: { status?: DeliveryStatus; before?: string; limit: number }): Promise<DeliveryRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.before) {
      params.push(filter.before);
      where.push(`id < $${params.length}::bigint`);
    }
    params.push(filter.limit);
    return this.dataSource.query<DeliveryRow[]>(
      `SELECT ${COLUMNS} FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /**
   * Makes a dead or pending delivery due now with a fresh allowance of attempts; undefined when it
   * is neither (delivered, or no such row). The row lock waits for a pass delivering it right now.
   */
  async resend(key: DeliveryKey): Promise<DeliveryRow | undefined> {
    const match = matching(key);
    // For UPDATE … RETURNING the driver answers [rows, affected].
    const [[updated]] = await this.dataSource.query<[DeliveryRow[], number]>(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now()
       WHERE ${match.where} AND status IN ('pending', 'dead')
       RETURNING ${COLUMNS}`,
      [match.value],
    );
    return updated;
  }

  async find(key: DeliveryKey): Promise<DeliveryRow | undefined> {
    const match = matching(key);
    const [row] = await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${COLUMNS} FROM outbox WHERE ${match.where}`,
      [match.value],
    );
    return row;
  }
}
