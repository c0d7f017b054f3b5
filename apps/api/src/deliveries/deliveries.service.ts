import { HttpStatus, Injectable } from '@nestjs/common';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { DeliveryQueries, type DeliveryKey, type DeliveryRow } from './delivery.queries';
import type { DeliveryPageView, DeliveryView, ListDeliveriesQuery } from './dto/delivery.dto';

/** The outbox as its dispatchers see it: what is waiting, delivered or given up on, per channel and person. */
@Injectable()
export class DeliveriesService {
  constructor(private readonly queries: DeliveryQueries) {}

  async list(query: ListDeliveriesQuery): Promise<DeliveryPageView> {
    const rows = await this.queries.list({
      status: query.status,
      channel: query.channel,
      personId: query.personId,
      before: query.cursor,
      limit: query.limit + 1,
    });
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
    const key = deliveryKey(id);
    if (!key) throw notFound(id);
    const updated = await this.queries.resend(key);
    if (updated) return toView(updated);
    const existing = await this.queries.find(key);
    if (!existing) throw notFound(id);
    throw new ProblemException({
      type: `${PROBLEM_BASE}delivery-already-delivered`,
      title: 'The delivery has already been delivered',
      status: HttpStatus.CONFLICT,
      detail: `delivery ${id} was accepted at ${existing.delivered_at?.toISOString() ?? '?'}`,
    });
  }
}

/** The delivery an id names: its row id, or its delivery id (for a webhook, the event id in X-Delivery-Id). */
function deliveryKey(id: string): DeliveryKey | undefined {
  if (/^\d{1,18}$/.test(id)) return { rowId: id };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return { deliveryId: id };
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
    deliveryId: r.delivery_id,
    eventId: r.event_id,
    channel: r.channel,
    personId: r.person_id,
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
