import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  positionalParameters,
  readingScope,
  scopeSql,
  type Actor,
  type SupervisionStatus,
} from '@app/domain';

export interface SupervisionItemRow {
  item_id: string;
  project_id: string;
  project_name: string;
  region: string;
  rule: string;
  rule_label: string;
  opened_in: string;
  status: SupervisionStatus;
  owner_role: string;
  owner_id: string | null;
  rung: number;
  due_date: string;
  unrectified: boolean;
  escalated_in: string[];
  resolved_in: string | null;
}

export interface SupervisionStepRow {
  from_status: string | null;
  to_status: string;
  actor_id: string;
  actor_role: string;
  note: string | null;
  at: Date;
}

/** What the list of items may be narrowed to. */
export interface SupervisionFilter {
  quarter?: string;
  status?: SupervisionStatus;
  /** Items after this item id. */
  cursor?: string;
  /** How many rows to read at most. */
  limit: number;
}

/** A step as recorded: who took the item from one status to the next, and why. */
export interface SupervisionStepValues {
  itemId: string;
  from: SupervisionStatus;
  to: SupervisionStatus;
  actor: Actor;
  note: string | null;
}

const SELECT_ITEMS = `
  SELECT i.item_id, i.project_id, p.name AS project_name, i.region, i.rule, i.rule_label, i.opened_in, i.status,
         i.owner_role, i.owner_id, i.rung, to_char(i.due_date, 'YYYY-MM-DD') AS due_date, i.unrectified,
         i.escalated_in, i.resolved_in
  FROM supervision_items i JOIN projects p ON p.project_id = i.project_id`;

/** 督办 items with their projects' names, and the steps each took. */
@Injectable()
export class SupervisionQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Items in the actor's reading scope matching the filter, by item id: at most `limit` rows. */
  list(actor: Actor, filter: SupervisionFilter): Promise<SupervisionItemRow[]> {
    const params: unknown[] = [];
    const bind = positionalParameters(params);
    const where: string[] = [];
    if (filter.quarter) where.push(`i.opened_in = ${bind(filter.quarter)}`);
    if (filter.status) where.push(`i.status = ${bind(filter.status)}`);
    if (filter.cursor) where.push(`i.item_id > ${bind(filter.cursor)}::uuid`);
    const inScope = scopeSql(readingScope(actor), 'i.region', bind);
    if (inScope !== 'TRUE') where.push(inScope);
    const limit = bind(filter.limit);
    return this.dataSource.query<SupervisionItemRow[]>(
      `${SELECT_ITEMS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.item_id LIMIT ${limit}`,
      params,
    );
  }

  async find(itemId: string): Promise<SupervisionItemRow | undefined> {
    const [row] = await this.dataSource.query<SupervisionItemRow[]>(`${SELECT_ITEMS} WHERE i.item_id = $1`, [
      itemId,
    ]);
    return row;
  }

  /** The item, locked until the transaction ends so that two steps on it take turns. */
  async findForUpdate(itemId: string, manager: EntityManager): Promise<SupervisionItemRow | undefined> {
    const [row] = await manager.query<SupervisionItemRow[]>(
      `${SELECT_ITEMS} WHERE i.item_id = $1 FOR UPDATE OF i`,
      [itemId],
    );
    return row;
  }

  async setStatus(itemId: string, status: SupervisionStatus, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE supervision_items SET status = $2, updated_at = now() WHERE item_id = $1`, [
      itemId,
      status,
    ]);
  }

  async insertStep(step: SupervisionStepValues, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO supervision_item_steps (item_id, from_status, to_status, actor_id, actor_role, note)
         VALUES ($1, $2, $3, $4, $5, $6)`,
      [step.itemId, step.from, step.to, step.actor.id, step.actor.role, step.note],
    );
  }

  /** The item's steps in the order they were taken. */
  steps(itemId: string, manager: EntityManager = this.dataSource.manager): Promise<SupervisionStepRow[]> {
    return manager.query<SupervisionStepRow[]>(
      `SELECT from_status, to_status, actor_id, actor_role, note, at FROM supervision_item_steps WHERE item_id = $1 ORDER BY id`,
      [itemId],
    );
  }
}
