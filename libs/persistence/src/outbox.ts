import type { EntityManager } from 'typeorm';
import type { ProjectEvent } from '@app/domain';
import { fanOutToPeople } from './channel-routing';

/**
 * What of one append is news to its addressees: per deadline, its alert and its last escalation,
 * and neither if the same append resolves it. An imported or backdated history records years of
 * alerts in one append, each on the day it fell due; the officer hears of the alerts still open and
 * the rung each stands on is told to whoever holds it, not every rung a project climbed in 2020.
 */
function newsOf(events: { eventId: string; event: ProjectEvent }[]): typeof events {
  const raised = new Map<string, number>();
  const escalated = new Map<string, number>();
  events.forEach(({ event }, i) => {
    if (event.type === 'AlertRaised') raised.set(event.data.deadlineId, i);
    if (event.type === 'AlertEscalated') escalated.set(event.data.deadlineId, i);
    if (event.type === 'AlertResolved') {
      raised.delete(event.data.deadlineId);
      escalated.delete(event.data.deadlineId);
    }
  });
  const news = new Set([...raised.values(), ...escalated.values()]);
  return events.filter((_, i) => news.has(i));
}

/**
 * Alerts and escalations, queued for delivery in the transaction that records them: once for the
 * generic webhooks, and once per person and channel they are routed to.
 */
export async function enqueueAlerts(
  manager: EntityManager,
  projectId: string,
  events: { eventId: string; event: ProjectEvent }[],
  createdAt: string,
): Promise<number> {
  type Row = [
    eventId: string,
    kind: 'alert' | 'escalation',
    deadlineId: string,
    rung: number,
    addressee: unknown,
    event: ProjectEvent,
  ];
  const rows = newsOf(events).flatMap(({ eventId, event }): Row[] => {
    if (event.type === 'AlertRaised') {
      return [[eventId, 'alert', event.data.deadlineId, event.data.rung, event.data.addressee, event]];
    }
    if (event.type === 'AlertEscalated') {
      return [[eventId, 'escalation', event.data.deadlineId, event.data.rung, event.data.addressee, event]];
    }
    return [];
  });
  if (rows.length === 0) return 0;
  await manager.query(
    `INSERT INTO outbox (event_id, project_id, kind, deadline_id, rung, addressee, payload, created_at, next_attempt_at)
     SELECT e, $1, k, d, r, a, p, $2::timestamptz, $2::timestamptz
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[]) AS t(e, k, d, r, a, p)
     ON CONFLICT (event_id) DO NOTHING`,
    [
      projectId,
      createdAt,
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
      rows.map((r) => r[2]),
      rows.map((r) => r[3]),
      rows.map((r) => JSON.stringify(r[4])),
      rows.map((r) => JSON.stringify({ projectId, ...r[5] })),
    ],
  );
  // The same transaction fans each out to its people's channels, so no alert is queued without them.
  await fanOutToPeople(
    manager,
    rows.map((r) => r[0]),
  );
  return rows.length;
}
