import { Injectable } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/domain';
import type { ProjectRecord } from '@app/persistence';
import { ProblemException, validationProblem } from '../common/problem-details';
import {
  DEFAULT_PAGE_SIZE,
  DEFAULT_PROJECT_SORT,
  PROJECT_SORTS,
  type ListProjectsQuery,
  type ProjectSort,
} from './dto/list-projects.query';
import {
  ProjectQueries,
  SORT_KEYS,
  type ProjectTotals,
  type SortField,
  type SortKey,
} from './project.queries';

export interface ProjectListPage {
  /** Without `state`, which a list does not load. */
  items: Omit<ProjectRecord, 'state'>[];
  /** Pass back as `cursor` (with the same sort) for the next page; null on the last page. */
  nextCursor: string | null;
  /** The 合计 of the whole filtered list, every page of it. */
  totals: ProjectTotals;
}

/** Whether a cursor's value casts to the key's type, so a forged cursor is a 400 and not a failed cast. */
const CURSOR_VALUE_CHECKS: Record<SortKey['type'], (value: string) => boolean> = {
  timestamptz: (v) =>
    /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v) && isInstant(`${v.slice(0, 23)}Z`),
  date: (v) => /^[1-9]\d{3}-\d{2}-\d{2}$/.test(v) && isInstant(`${v}T00:00:00.000Z`),
  numeric: (v) => /^-?\d{1,18}(\.\d{1,2})?$/.test(v),
  text: (v) => !v.includes('\u0000'),
};

/** An ISO instant with milliseconds that names a real moment (no 30 February, no 25 o'clock). */
function isInstant(iso: string): boolean {
  const date = new Date(iso);
  return !Number.isNaN(date.getTime()) && date.toISOString() === iso;
}

interface Cursor {
  sort: ProjectSort;
  value: string | null;
  projectId: string;
}

function isProjectSort(value: unknown): value is ProjectSort {
  return (PROJECT_SORTS as readonly unknown[]).includes(value);
}

function cursorProblem(rule: string, message: string): ProblemException {
  const error = Object.assign(new ValidationError(), {
    property: 'cursor',
    constraints: { [rule]: message },
    children: [],
  });
  return validationProblem([error]);
}

/** The project list: sorting and paging by cursor over the read model's list, within what the actor may read. */
@Injectable()
export class ProjectListService {
  private readonly queries: ProjectQueries;

  // Made from the DataSource alone, so that the list can also be built outside the Nest module.
  constructor(dataSource: DataSource) {
    this.queries = new ProjectQueries(dataSource);
  }

  async list(query: ListProjectsQuery, actor: Actor): Promise<ProjectListPage> {
    const sort = query.sort ?? DEFAULT_PROJECT_SORT;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const descending = sort.startsWith('-');
    const key = SORT_KEYS[(descending ? sort.slice(1) : sort) as SortField];
    const cursor = query.cursor === undefined ? null : this.decodeCursor(query.cursor, sort, key);

    // One row more than the page, to know whether another follows.
    const [{ rows, sortValues }, totals] = await Promise.all([
      this.queries.list(actor, query, { key, descending, after: cursor, limit: limit + 1 }),
      this.queries.totals(actor, query),
    ]);
    if (rows.length <= limit) return { items: rows, nextCursor: null, totals };
    const items = rows.slice(0, limit);
    const last = items[limit - 1];
    return {
      items,
      nextCursor: this.encodeCursor({ sort, value: sortValues[limit - 1], projectId: last.projectId }),
      totals,
    };
  }

  private encodeCursor(cursor: Cursor): string {
    return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.projectId])).toString('base64url');
  }

  private decodeCursor(text: string, sort: ProjectSort, key: SortKey): Cursor {
    const notOurs = () => cursorProblem('isCursor', 'cursor must be a nextCursor returned by this list');
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      throw notOurs();
    }
    if (!Array.isArray(decoded) || decoded.length !== 3) throw notOurs();
    const [cursorSort, value, projectId] = decoded as unknown[];
    if (!isProjectSort(cursorSort) || typeof projectId !== 'string' || projectId === '') throw notOurs();
    if (cursorSort !== sort) {
      throw cursorProblem(
        'sameSort',
        `cursor belongs to sort=${cursorSort}, not sort=${sort}; repeat that sort or start again without a cursor`,
      );
    }
    if (!CURSOR_VALUE_CHECKS.text(projectId)) throw notOurs();
    if (value === null) {
      if (!key.nullable) throw notOurs();
      return { sort, value, projectId };
    }
    if (typeof value !== 'string' || !CURSOR_VALUE_CHECKS[key.type](value)) throw notOurs();
    return { sort, value, projectId };
  }
}
