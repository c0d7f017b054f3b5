import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import type { DeliveryPageView, DeliveryStatus, DeliveryView, ListDeliveriesQuery } from './dto/delivery.dto';

interface DeliveryRow {
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

const COLUMNS = `id::text AS id, event_id, kind, project_id, deadline_id, rung, addressee, status, attempts,
  next_attempt_at, last_attempt_at, delivered_at, last_error, delivered_to, created_at`;

/** The outbox as the webhook dispatcher sees it: what is waiting, delivered or given up on. */
@Injectable()
export class DeliveriesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListDeliveriesQuery): Promise<DeliveryPageView> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (query.status) {
      params.push(query.status);
      where.push(`status = $${params.length}`);
    }
    if (query.cursor) {
      params.push(query.cursor);
      where.push(`id < $${params.length}::bigint`);
    }
    params.push(query.limit + 1);
    const rows = await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${COLUMNS} FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toView),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
    };
  }

  /**
   * Sends a dead or pending delivery again at once, with a fresh allowance of attempts. Waits for a
   * pass that is delivering it right now, and answers 409 if that pass delivered it.
   */
  async retry(id: string): Promise<DeliveryView> {
    const match = matchById(id);
    if (!match) throw notFound(id);
    // For UPDATE … RETURNING the driver answers [rows, affected].
    const [[updated]] = await this.dataSource.query<[DeliveryRow[], number]>(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now()
       WHERE ${match.where} AND status IN ('pending', 'dead')
       RETURNING ${COLUMNS}`,
      [match.value],
    );
    if (updated) return toView(updated);
    const [existing] = await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${COLUMNS} FROM outbox WHERE ${match.where}`,
      [match.value],
    );
    if (!existing) throw notFound(id);
    throw new ProblemException({
      type: `${PROBLEM_BASE}delivery-already-delivered`,
      title: 'The delivery has already been delivered',
      status: HttpStatus.CONFLICT,
      detail: `delivery ${id} was accepted by every endpoint at ${existing.delivered_at?.toISOString() ?? '?'}`,
    });
  }
}

/** A delivery is named by its outbox row id or by its delivery id (the event id in X-Delivery-Id). */
function matchById(id: string): { where: string; value: string } | undefined {
  if (/^\d{1,18}$/.test(id)) return { where: 'id = $1::bigint', value: id };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    return { where: 'event_id = $1::uuid', value: id };
  return undefined;
}

function notFound(id: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}not-found`,
    title: 'No such delivery',
    status: HttpStatus.NOT_FOUND,
    detail: `there is no delivery ${id}`,
  });
}

function toView(r: DeliveryRow): DeliveryView {
  return {
    id: r.id,
    deliveryId: r.event_id,
    kind: r.kind,
    projectId: r.project_id,
    deadlineId: r.deadline_id,
    rung: r.rung,
    addressee: r.addressee,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    lastError: r.last_error,
    deliveredTo: r.delivered_to,
    createdAt: r.created_at.toISOString(),
  };
}
