import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor, ProjectState } from '@app/domain';
import { DEFAULT_PROJECT_SORT, type ListProjectsQuery } from '../projects/dto/list-projects.query';
import { ProjectQueries, SORT_KEYS, type ListPosition, type SortField } from '../projects/project.queries';
import { PeopleQueries } from '../people/people.queries';

/** Rows read per round trip: a batch's states are let go before the next is read. */
export const EXPORT_BATCH_SIZE = 500;

export interface ExportBatch {
  states: ProjectState[];
  /** The directory's names of the batch's officers, by person id. */
  names: Map<string, string>;
}

/**
 * Every project of a list's filters the actor may read, in the list's order, a batch at a time: the
 * list's own query (its filters, its region scope) paged by its keyset, each page's states read by id.
 */
@Injectable()
export class LedgerExportService {
  private readonly queries: ProjectQueries;

  constructor(
    dataSource: DataSource,
    private readonly people: PeopleQueries,
  ) {
    this.queries = new ProjectQueries(dataSource);
  }

  async *batches(query: ListProjectsQuery, actor: Actor): AsyncGenerator<ExportBatch> {
    const sort = query.sort ?? DEFAULT_PROJECT_SORT;
    const descending = sort.startsWith('-');
    const key = SORT_KEYS[(descending ? sort.slice(1) : sort) as SortField];
    let after: ListPosition | null = null;
    for (;;) {
      const { rows, sortValues } = await this.queries.list(actor, query, {
        key,
        descending,
        after,
        limit: EXPORT_BATCH_SIZE,
      });
      if (rows.length === 0) return;
      const ids = rows.map((r) => r.projectId);
      const byId = await this.queries.statesById(ids);
      // A project changed between the two reads keeps the list's place with its newer state.
      const states = ids.map((id) => byId.get(id)).filter((s): s is ProjectState => s !== undefined);
      const names = await this.people.names(
        states.flatMap((s) => [s.serviceOfficerId, s.chiefServiceOfficerId]).filter((id) => id !== null),
      );
      yield { states, names };
      if (rows.length < EXPORT_BATCH_SIZE) return;
      after = { value: sortValues[rows.length - 1], projectId: ids[ids.length - 1] };
    }
  }
}
