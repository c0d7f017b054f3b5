import { Injectable } from '@nestjs/common';
import { UNREACHED_REASON_LABELS, type Routing } from '@app/domain';
import { UnreachedQueries } from './unreached.queries';
import type { ListUnreachedQuery, UnreachedAlertPageView, UnreachedAlertView } from './unreached.dto';

/** How many open alerts one request looks through at most, so that a page answers in bounded time. */
const SCAN_LIMIT = 2000;
const BATCH = 200;

/**
 * Open alerts and escalations no one is reached on, judged now by the routing rule over the
 * directory and the robots as they stand: what an admin fixes before the next alert is lost.
 */
@Injectable()
export class UnreachedService {
  constructor(private readonly queries: UnreachedQueries) {}

  async list(query: ListUnreachedQuery): Promise<UnreachedAlertPageView> {
    const items: UnreachedAlertView[] = [];
    const routed = new Map<string, Promise<Routing & { region: string | null }>>();
    let cursor = query.cursor;
    let scanned = 0;
    for (;;) {
      const rows = await this.queries.openAlerts(cursor, BATCH);
      for (const row of rows) {
        scanned++;
        cursor = row.id;
        const key = JSON.stringify([row.addressee, row.project_region]);
        if (!routed.has(key)) routed.set(key, this.queries.route(row.addressee, row.project_region));
        const routing = await routed.get(key)!;
        if (!routing.unreached) continue;
        items.push({
          id: row.id,
          kind: row.kind,
          projectId: row.project_id,
          projectName: row.project_name,
          region: routing.region,
          deadlineId: row.deadline_id,
          rung: row.rung,
          addressee: row.addressee,
          raisedAt: row.created_at.toISOString(),
          causes: routing.causes.map((c) => ({
            reason: c.reason,
            reasonLabel: UNREACHED_REASON_LABELS[c.reason],
            personId: c.personId ?? null,
            personName: null,
          })),
        });
        if (items.length === query.limit) return this.named(items, row.id);
      }
      if (rows.length < BATCH) return this.named(items, null);
      if (scanned >= SCAN_LIMIT) return this.named(items, cursor ?? null);
    }
  }

  private async named(
    items: UnreachedAlertView[],
    nextCursor: string | null,
  ): Promise<UnreachedAlertPageView> {
    const names = await this.queries.names(
      items.flatMap((i) => i.causes.flatMap((c) => (c.personId ? [c.personId] : []))),
    );
    for (const item of items)
      for (const cause of item.causes)
        cause.personName = cause.personId ? (names.get(cause.personId) ?? null) : null;
    return { items, nextCursor };
  }
}
