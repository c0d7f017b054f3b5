import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  decideStep,
  mayRead,
  positionalParameters,
  readingScope,
  scopeSql,
  SUPERVISION_STATUS_LABELS,
  type Actor,
  type SupervisionRefusalCode,
  type SupervisionStatus,
} from '@app/domain';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import type { ListSupervisionQuery, SupervisionStepDto } from './review.dto';

/** The HTTP status of each refusal of a step: rights are 403, the item's state 409. */
const REFUSAL_STATUS: Record<SupervisionRefusalCode, number> = {
  ROLE_NOT_ALLOWED: HttpStatus.FORBIDDEN,
  SUPERVISION_STEP_OUT_OF_ORDER: HttpStatus.CONFLICT,
};

export interface SupervisionItemView {
  itemId: string;
  projectId: string;
  projectName: string;
  region: string;
  rule: string;
  ruleLabel: string;
  openedIn: string;
  status: { code: SupervisionStatus; label: string };
  ownerRole: string;
  ownerId: string | null;
  rung: number;
  dueDate: string;
  unrectified: boolean;
  escalatedIn: string[];
  resolvedIn: string | null;
  steps: {
    from: string | null;
    to: string;
    actorId: string;
    actorRole: string;
    note: string | null;
    at: string;
  }[];
}

interface ItemRow {
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

const SELECT_ITEMS = `
  SELECT i.item_id, i.project_id, p.name AS project_name, i.region, i.rule, i.rule_label, i.opened_in, i.status,
         i.owner_role, i.owner_id, i.rung, to_char(i.due_date, 'YYYY-MM-DD') AS due_date, i.unrectified,
         i.escalated_in, i.resolved_in
  FROM supervision_items i JOIN projects p ON p.project_id = i.project_id`;

function problem(status: number, code: string, zh: string, en: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}supervision/${code.toLowerCase().replace(/_/g, '-')}`,
    title: en,
    status,
    detail: zh,
    code,
    message: { zh, en },
  });
}

/** An item is read as its region is: it does not carry the project's chief officer. */
function mayReadItem(actor: Actor, row: ItemRow): boolean {
  return mayRead(actor, { region: row.region, chiefServiceOfficerId: null });
}

/** 督办 items: listed within the caller's regions, and moved step by step by the roles that own each. */
@Injectable()
export class SupervisionService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    actor: Actor,
    query: ListSupervisionQuery,
  ): Promise<{ items: SupervisionItemView[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    const bind = positionalParameters(params);
    const where: string[] = [];
    if (query.quarter) where.push(`i.opened_in = ${bind(query.quarter)}`);
    if (query.status) where.push(`i.status = ${bind(query.status)}`);
    if (query.cursor) where.push(`i.item_id > ${bind(query.cursor)}::uuid`);
    const inScope = scopeSql(readingScope(actor), 'i.region', bind);
    if (inScope !== 'TRUE') where.push(inScope);
    const limit = bind(query.limit + 1);
    const rows = await this.dataSource.query<ItemRow[]>(
      `${SELECT_ITEMS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.item_id LIMIT ${limit}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    return {
      items: await Promise.all(page.map((r) => this.view(r))),
      nextCursor: rows.length > query.limit ? page[page.length - 1].item_id : null,
    };
  }

  async get(actor: Actor, itemId: string): Promise<SupervisionItemView> {
    return this.view(await this.find(actor, itemId));
  }

  /** Takes the item one step on, as the domain's 督办 course decides (libs/domain/src/supervision.ts). */
  async step(actor: Actor, itemId: string, dto: SupervisionStepDto): Promise<SupervisionItemView> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<ItemRow[]>(`${SELECT_ITEMS} WHERE i.item_id = $1 FOR UPDATE OF i`, [
        itemId,
      ]);
      if (!row || !mayReadItem(actor, row)) throw this.notFound(itemId);
      const decision = decideStep(row, dto.to, actor);
      if (decision.outcome === 'refused') {
        const { code, message } = decision.refusal;
        throw problem(REFUSAL_STATUS[code], code, message.zh, message.en);
      }
      await manager.query(`UPDATE supervision_items SET status = $2, updated_at = now() WHERE item_id = $1`, [
        itemId,
        dto.to,
      ]);
      await manager.query(
        `INSERT INTO supervision_item_steps (item_id, from_status, to_status, actor_id, actor_role, note)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [itemId, row.status, dto.to, actor.id, actor.role, dto.note ?? null],
      );
      return this.view({ ...row, status: dto.to }, manager);
    });
  }

  private async find(actor: Actor, itemId: string): Promise<ItemRow> {
    const [row] = /^[0-9a-f-]{36}$/.test(itemId)
      ? await this.dataSource.query<ItemRow[]>(`${SELECT_ITEMS} WHERE i.item_id = $1`, [itemId])
      : [];
    if (!row || !mayReadItem(actor, row)) throw this.notFound(itemId);
    return row;
  }

  private notFound(itemId: string): ProblemException {
    return new ProblemException({
      type: `${PROBLEM_BASE}not-found`,
      title: 'No such 督办 item',
      status: HttpStatus.NOT_FOUND,
      detail: `督办 item ${itemId} does not exist or is outside your regions`,
    });
  }

  private async view(r: ItemRow, manager = this.dataSource.manager): Promise<SupervisionItemView> {
    const steps = await manager.query<Record<string, unknown>[]>(
      `SELECT from_status, to_status, actor_id, actor_role, note, at FROM supervision_item_steps WHERE item_id = $1 ORDER BY id`,
      [r.item_id],
    );
    return {
      itemId: r.item_id,
      projectId: r.project_id,
      projectName: r.project_name,
      region: r.region,
      rule: r.rule,
      ruleLabel: r.rule_label,
      openedIn: r.opened_in,
      status: { code: r.status, label: SUPERVISION_STATUS_LABELS[r.status] },
      ownerRole: r.owner_role,
      ownerId: r.owner_id,
      rung: r.rung,
      dueDate: r.due_date,
      unrectified: r.unrectified,
      escalatedIn: r.escalated_in,
      resolvedIn: r.resolved_in,
      steps: steps.map((s) => ({
        from: s.from_status as string | null,
        to: s.to_status as string,
        actorId: s.actor_id as string,
        actorRole: s.actor_role as string,
        note: s.note as string | null,
        at: (s.at as Date).toISOString(),
      })),
    };
  }
}
