import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { routeAddressee } from '@app/persistence';
import type { Routing } from '@app/domain';

export interface OpenAlertRow {
  id: string;
  kind: 'alert' | 'escalation';
  project_id: string;
  project_name: string;
  project_region: string;
  deadline_id: string;
  rung: number;
  addressee: Record<string, unknown>;
  created_at: Date;
}

/**
 * The open alerts and escalations, each deadline's latest: what someone should be hearing about now.
 * A deadline is open while the project's state still lists its alert.
 */
const OPEN_LATEST = `
  SELECT o.id::text AS id, o.kind, o.project_id, p.name AS project_name, p.region AS project_region,
         o.deadline_id, o.rung, o.addressee, o.created_at
  FROM outbox o
  JOIN projects p ON p.project_id = o.project_id
  WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(p.state->'alerts') AS x WHERE x->>'deadlineId' = o.deadline_id)
    AND NOT EXISTS (SELECT 1 FROM outbox n
                    WHERE n.project_id = o.project_id AND n.deadline_id = o.deadline_id AND n.id > o.id)`;

@Injectable()
export class UnreachedQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Open alerts older than the row `before`, newest first. */
  openAlerts(before: string | undefined, limit: number): Promise<OpenAlertRow[]> {
    const params: unknown[] = [limit];
    let older = '';
    if (before) {
      params.push(before);
      older = 'AND o.id < $2::bigint';
    }
    return this.dataSource.query<OpenAlertRow[]>(
      `${OPEN_LATEST} ${older} ORDER BY o.id DESC LIMIT $1`,
      params,
    );
  }

  /** How an addressee is routed now, by the directory and the robots as they stand. */
  route(addressee: unknown, projectRegion: string | null): Promise<Routing & { region: string | null }> {
    return routeAddressee(this.dataSource.manager, addressee, projectRegion);
  }

  async names(personIds: readonly string[]): Promise<Map<string, string>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ person_id: string; name: string }[]>(
      `SELECT person_id, name FROM people WHERE person_id = ANY($1::text[])`,
      [[...new Set(personIds)]],
    );
    return new Map(rows.map((r) => [r.person_id, r.name]));
  }
}
