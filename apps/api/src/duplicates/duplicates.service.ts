import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import {
  DUPLICATE_MATCH_LABELS,
  duplicateAsSeenBy,
  type Actor,
  type DuplicateCandidate,
  type DuplicateConfirmation,
  type DuplicateConfirmationPoint,
  type DuplicateMatch,
} from '@app/domain';
import { findLikelyDuplicates, type LikelyDuplicate } from '@app/persistence';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { PeopleQueries } from '../people/people.queries';
import { DuplicateQueries } from './duplicate.queries';
import type { DuplicatePageView, LikelyDuplicateView, ListDuplicatesQuery } from './dto/duplicates.dto';

/** An earlier project the candidate looks like, and why. */
export type FoundDuplicate = LikelyDuplicate;

/** A refusal of the confirmation itself: 422 naming its field, shaped as the domain's refusals are. */
function confirmationProblem(code: string, field: string, zh: string, en: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}refused/${code.toLowerCase().replace(/_/g, '-')}`,
    title: en,
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    detail: zh,
    code,
    field,
    message: { zh, en },
    errors: [{ field, rule: code, message: en }],
  });
}

/** 409 LIKELY_DUPLICATE: the earlier projects, and how to confirm that this one is another. */
export function likelyDuplicateProblem(found: FoundDuplicate[]): ProblemException {
  const [first] = found;
  const label = DUPLICATE_MATCH_LABELS[first.match];
  const more = found.length > 1 ? `等${found.length}个项目` : '';
  const zh = `疑似重复项目:与已有项目「${first.name}」${more}${label}。如确属不同项目,请说明理由并确认后再提交`;
  const en =
    `likely the same project as ${found.map((d) => `"${d.name}" (${d.match})`).join(', ')}, counted again; ` +
    'if it is another project, send duplicateConfirmation { of, match, reason } naming one of them';
  const duplicates: LikelyDuplicateView[] = found.map((d) => ({
    projectId: d.projectId,
    name: d.name,
    region: d.region,
    match: d.match,
    matchLabel: DUPLICATE_MATCH_LABELS[d.match],
    date: d.date,
  }));
  return new ProblemException({
    type: `${PROBLEM_BASE}refused/likely-duplicate`,
    title: en,
    status: HttpStatus.CONFLICT,
    detail: zh,
    code: 'LIKELY_DUPLICATE',
    field: 'duplicateConfirmation',
    message: { zh, en },
    errors: [{ field: 'duplicateConfirmation', rule: 'LIKELY_DUPLICATE', message: en }],
    duplicates,
  });
}

/**
 * Double-counted signings (重复签约): which earlier projects a project being registered, signed or
 * imported looks like, by the domain's rule over the projects the read model narrows to; the check
 * the registration and signing routes make; and the pairs people confirmed to be different projects.
 */
@Injectable()
export class DuplicatesService {
  constructor(
    private readonly queries: DuplicateQueries,
    private readonly people: PeopleQueries,
    private readonly env: Environment,
    private readonly dataSource: DataSource,
  ) {}

  /** The earlier projects `candidate` looks like, the most certain match first, then by date. */
  async find(candidate: DuplicateCandidate): Promise<FoundDuplicate[]> {
    const [found] = await this.findMany([candidate]);
    return found;
  }

  /** `find` for many candidates in one statement (an import's rows), one list per candidate. */
  findMany(candidates: readonly DuplicateCandidate[]): Promise<FoundDuplicate[][]> {
    return findLikelyDuplicates(this.dataSource.manager, candidates, this.env.DUPLICATE_WINDOW_DAYS);
  }

  /**
   * What a registration or signing must carry before it is sent. A likely duplicate that the
   * confirmation does not name: 409 LIKELY_DUPLICATE with the earlier projects. A confirmation
   * naming one of them: accepted, if it names the match found for it (else 422 on its `match`).
   * A confirmation naming a project that is not flagged is accepted too, when that project exists
   * (an officer may record the project they checked against), else 422 on its `of`. Earlier
   * projects outside the person's regions are named as the domain lets them be seen.
   */
  async check(
    candidate: DuplicateCandidate,
    confirmation: DuplicateConfirmation | null,
    actor: Actor,
  ): Promise<void> {
    const found = await this.find(candidate);
    const named = confirmation ? found.find((d) => d.projectId === confirmation.of) : undefined;
    if (found.length > 0 && !named)
      throw likelyDuplicateProblem(found.map((d) => duplicateAsSeenBy(actor, d)));
    if (!confirmation) return;
    if (named) {
      if (named.match !== confirmation.match)
        throw confirmationProblem(
          'DUPLICATE_MATCH_MISMATCH',
          'duplicateConfirmation.match',
          `与该项目的疑似重复原因是「${DUPLICATE_MATCH_LABELS[named.match]}」`,
          `the match found for that project is ${named.match}`,
        );
      return;
    }
    if (confirmation.of === candidate.projectId) return; // the domain refuses it, naming the field
    if (!(await this.queries.project(confirmation.of)))
      throw confirmationProblem(
        'DUPLICATE_OF_UNKNOWN',
        'duplicateConfirmation.of',
        '确认所指的项目不存在',
        'duplicateConfirmation.of names no project',
      );
  }

  /** Confirmed pairs the reader may read, newest first, paged by the nextCursor. */
  async list(query: ListDuplicatesQuery, actor: Actor): Promise<DuplicatePageView> {
    const rows = await this.queries.confirmations(actor, {
      region: query.region,
      before: query.cursor,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const names = await this.people.names(page.map((r) => r.actor_id));
    return {
      items: page.map((r) => {
        const match = r.match as DuplicateMatch;
        return {
          eventId: r.event_id,
          project: { projectId: r.project_id, name: r.project_name, region: r.project_region },
          of: { projectId: r.of_project_id, name: r.of_name, region: r.of_region },
          match,
          matchLabel: DUPLICATE_MATCH_LABELS[match] ?? r.match,
          reason: r.reason,
          point: r.point as DuplicateConfirmationPoint,
          confirmedBy: { id: r.actor_id, role: r.actor_role, name: names.get(r.actor_id) ?? null },
          confirmedAt: new Date(r.recorded_at).toISOString(),
          businessTime: r.business_time,
        };
      }),
      nextCursor: rows.length > query.limit ? page[page.length - 1].position : null,
    };
  }
}
