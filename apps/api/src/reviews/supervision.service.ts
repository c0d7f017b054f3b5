import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  decideStep,
  mayRead,
  ROLE_LABELS,
  SUPERVISION_HISTORY_LABELS,
  SUPERVISION_STATUS_LABELS,
  supervisionStepsFor,
  type Actor,
  type Role,
  type SupervisionRefusalCode,
  type SupervisionHistoryEntry,
  type SupervisionStatus,
} from '@app/domain';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { PeopleQueries } from '../people/people.queries';
import type {
  ListSupervisionQuery,
  SupervisionItemPageView,
  SupervisionItemView,
  SupervisionStepDto,
} from './review.dto';
import { SupervisionQueries, type SupervisionItemRow, type SupervisionStepRow } from './supervision.queries';

/** The HTTP status of each refusal of a step: rights are 403, the item's state 409. */
const REFUSAL_STATUS: Record<SupervisionRefusalCode, number> = {
  ROLE_NOT_ALLOWED: HttpStatus.FORBIDDEN,
  SUPERVISION_STEP_OUT_OF_ORDER: HttpStatus.CONFLICT,
};

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
    private readonly people: PeopleQueries,
  ) {}

  async list(actor: Actor, query: ListSupervisionQuery): Promise<SupervisionItemPageView> {
    const { quarter, status, cursor } = query;
    // One row more than the page tells whether there is a next page.
    const rows = await this.queries.list(actor, { quarter, status, cursor, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const steps = await Promise.all(page.map((r) => this.queries.steps(r.item_id)));
    const names = await this.namesOf(page, steps.flat());
    return {
      items: page.map((r, i) => view(r, steps[i], actor, names)),
      nextCursor: rows.length > query.limit ? page[page.length - 1].item_id : null,
    };
  }

  async get(actor: Actor, itemId: string): Promise<SupervisionItemView> {
    const row = await this.find(actor, itemId);
    const steps = await this.queries.steps(row.item_id);
    return view(row, steps, actor, await this.namesOf([row], steps));
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
      const steps = await this.queries.steps(itemId, manager);
      return view({ ...row, status: dto.to }, steps, actor, await this.namesOf([row], steps));
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

  /** The names of the items' owners and of everyone who took a step, from the people directory. */
  private namesOf(items: SupervisionItemRow[], steps: SupervisionStepRow[]): Promise<Map<string, string>> {
    const ids = [...items.map((r) => r.owner_id), ...steps.map((s) => s.actor_id)];
    return this.people.names(ids.filter((id): id is string => id !== null));
  }
}

const roleLabel = (role: string): string => ROLE_LABELS[role as Role] ?? role;

/** An item as the caller sees it: names beside ids, and the steps they may take it to now. */
function view(
  r: SupervisionItemRow,
  steps: SupervisionStepRow[],
  actor: Actor,
  names: Map<string, string>,
): SupervisionItemView {
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
    ownerRoleLabel: roleLabel(r.owner_role),
    ownerId: r.owner_id,
    ownerName: r.owner_id ? (names.get(r.owner_id) ?? null) : null,
    rung: r.rung,
    dueDate: r.due_date,
    unrectified: r.unrectified,
    escalatedIn: r.escalated_in,
    resolvedIn: r.resolved_in,
    availableSteps: supervisionStepsFor(r, actor).map((to) => ({ to, label: SUPERVISION_STATUS_LABELS[to] })),
    steps: steps.map((s) => ({
      from: s.from_status as SupervisionStatus | null,
      to: s.to_status as SupervisionHistoryEntry,
      toLabel: SUPERVISION_HISTORY_LABELS[s.to_status as SupervisionHistoryEntry] ?? s.to_status,
      actorId: s.actor_id,
      actorName: names.get(s.actor_id) ?? null,
      actorRole: s.actor_role,
      actorRoleLabel: roleLabel(s.actor_role),
      note: s.note,
      at: s.at.toISOString(),
    })),
  };
}
