import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  decideStep,
  mayRead,
  SUPERVISION_STATUS_LABELS,
  type Actor,
  type SupervisionRefusalCode,
  type SupervisionStatus,
} from '@app/domain';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import type { ListSupervisionQuery, SupervisionStepDto } from './review.dto';
import { SupervisionQueries, type SupervisionItemRow } from './supervision.queries';

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
function mayReadItem(actor: Actor, row: SupervisionItemRow): boolean {
  return mayRead(actor, { region: row.region, chiefServiceOfficerId: null });
}

/** 督办 items: listed within the caller's regions, and moved step by step by the roles that own each. */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: SupervisionQueries,
  ) {}

  async list(
    actor: Actor,
    query: ListSupervisionQuery,
  ): Promise<{ items: SupervisionItemView[]; nextCursor: string | null }> {
    const { quarter, status, cursor } = query;
    // One row more than the page tells whether there is a next page.
    const rows = await this.queries.list(actor, { quarter, status, cursor, limit: query.limit + 1 });
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
      const row = await this.queries.findForUpdate(itemId, manager);
      if (!row || !mayReadItem(actor, row)) throw this.notFound(itemId);
      const decision = decideStep(row, dto.to, actor);
      if (decision.outcome === 'refused') {
        const { code, message } = decision.refusal;
        throw problem(REFUSAL_STATUS[code], code, message.zh, message.en);
      }
      await this.queries.setStatus(itemId, dto.to, manager);
      await this.queries.insertStep(
        { itemId, from: row.status, to: dto.to, actor, note: dto.note ?? null },
        manager,
      );
      return this.view({ ...row, status: dto.to }, manager);
    });
  }

  private async find(actor: Actor, itemId: string): Promise<SupervisionItemRow> {
    const row = /^[0-9a-f-]{36}$/.test(itemId) ? await this.queries.find(itemId) : undefined;
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

  private async view(r: SupervisionItemRow, manager?: EntityManager): Promise<SupervisionItemView> {
    const steps = await this.queries.steps(r.item_id, manager);
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
        from: s.from_status,
        to: s.to_status,
        actorId: s.actor_id,
        actorRole: s.actor_role,
        note: s.note,
        at: s.at.toISOString(),
      })),
    };
  }
}
