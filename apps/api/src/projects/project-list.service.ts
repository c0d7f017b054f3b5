import { Injectable } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { Brackets, DataSource, type SelectQueryBuilder, type WhereExpressionBuilder } from 'typeorm';
import { formatYuan, isRegionCode, YI_YUAN, type Actor } from '@app/domain';
import { ProjectRecord } from '@app/persistence';
import { ProblemException, validationProblem } from '../common/problem-details';
import {
  DEFAULT_PAGE_SIZE,
  DEFAULT_PROJECT_SORT,
  PROJECT_SORTS,
  type ListProjectsQuery,
  type ProjectSizeBand,
  type ProjectSort,
} from './dto/list-projects.query';

export interface ProjectListPage {
  /** Without `state`, which a list does not load. */
  items: Omit<ProjectRecord, 'state'>[];
  /** Pass back as `cursor` (with the same sort) for the next page; null on the last page. */
  nextCursor: string | null;
}

interface SortKey {
  /** The ordering expression. */
  expression: string;
  /** The same value as text that casts back exactly (timestamps keep their microseconds). */
  asText: string;
  /** The SQL type the cursor's text casts back to. */
  type: 'timestamptz' | 'text' | 'date' | 'numeric';
  nullable: boolean;
}

const EFFECTIVE_INVESTMENT = 'COALESCE(p.contractInvestment, p.plannedInvestment)';

type SortField = 'updatedAt' | 'name' | 'signedDate' | 'investment';

const SORT_KEYS: Record<SortField, SortKey> = {
  updatedAt: {
    expression: 'p.updatedAt',
    asText: `to_char(p.updatedAt AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    type: 'timestamptz',
    nullable: false,
  },
  name: { expression: 'p.name', asText: 'p.name', type: 'text', nullable: false },
  signedDate: {
    expression: 'p.signedDate',
    asText: `to_char(p.signedDate, 'YYYY-MM-DD')`,
    type: 'date',
    nullable: true,
  },
  investment: {
    expression: EFFECTIVE_INVESTMENT,
    asText: `${EFFECTIVE_INVESTMENT}::text`,
    type: 'numeric',
    nullable: false,
  },
};

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

/** Lower bound (inclusive) or upper bound (exclusive) of effective investment, in 分. */
const SIZE_BANDS: Record<ProjectSizeBand, { atLeast: bigint } | { below: bigint }> = {
  below_100m: { below: YI_YUAN },
  '100m_plus': { atLeast: YI_YUAN },
  '500m_plus': { atLeast: 5n * YI_YUAN },
  '1b_plus': { atLeast: 10n * YI_YUAN },
  '5b_plus': { atLeast: 50n * YI_YUAN },
  '10b_plus': { atLeast: 100n * YI_YUAN },
};

interface Cursor {
  sort: ProjectSort;
  value: string | null;
  projectId: string;
}

/**
 * The LIKE pattern for the counties a city ('xxxx00') or province ('xx0000') code covers, as
 * `regionCovers` in the domain decides; null for a county, which covers only itself.
 */
function coveredRegionsPattern(code: string): string | null {
  if (!isRegionCode(code)) return null;
  if (code.endsWith('0000')) return `${code.slice(0, 2)}%`;
  if (code.endsWith('00')) return `${code.slice(0, 4)}%`;
  return null;
}

function isProjectSort(value: unknown): value is ProjectSort {
  return (PROJECT_SORTS as readonly unknown[]).includes(value);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function cursorProblem(rule: string, message: string): ProblemException {
  const error = Object.assign(new ValidationError(), {
    property: 'cursor',
    constraints: { [rule]: message },
    children: [],
  });
  return validationProblem([error]);
}

/** The project list: one keyset-paginated query over the read model, within what the actor may read. */
@Injectable()
export class ProjectListService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListProjectsQuery, actor: Actor): Promise<ProjectListPage> {
    const sort = query.sort ?? DEFAULT_PROJECT_SORT;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const descending = sort.startsWith('-');
    const key = SORT_KEYS[(descending ? sort.slice(1) : sort) as SortField];
    const cursor = query.cursor === undefined ? null : this.decodeCursor(query.cursor, sort, key);

    const repository = this.dataSource.getRepository(ProjectRecord);
    // A list never needs the full state document, which grows with the project's history.
    const columns = repository.metadata.columns
      .filter((c) => c.propertyName !== 'state')
      .map((c) => `p.${c.propertyName}`);
    const qb = repository.createQueryBuilder('p').select(columns).addSelect(key.asText, 'sort_value');
    this.restrictToReadable(qb, actor);
    this.applyFilters(qb, query);
    if (cursor) this.startAfter(qb, key, descending, cursor);

    const direction = descending ? 'DESC' : 'ASC';
    // Spelled out only where nulls occur: on a NOT NULL key, NULLS LAST would stop a descending
    // sort from using an ascending index backwards.
    qb.orderBy(key.expression, direction, key.nullable ? 'NULLS LAST' : undefined)
      .addOrderBy('p.projectId', direction)
      .limit(limit + 1);

    const { entities, raw } = await qb.getRawAndEntities<{ sort_value: string | null }>();
    if (entities.length <= limit) return { items: entities, nextCursor: null };
    const items = entities.slice(0, limit);
    const last = items[limit - 1];
    return {
      items,
      nextCursor: this.encodeCursor({ sort, value: raw[limit - 1].sort_value, projectId: last.projectId }),
    };
  }

  /** The SQL form of `mayRead`: auditors, admins and the system everywhere, others where they act. */
  private restrictToReadable(qb: SelectQueryBuilder<ProjectRecord>, actor: Actor): void {
    if (actor.role === 'auditor' || actor.role === 'admin' || actor.role === 'system') return;
    const regions = actor.regions.filter((r) => typeof r === 'string');
    const patterns = regions.map(coveredRegionsPattern).filter((p): p is string => p !== null);
    qb.andWhere(
      new Brackets((scope) => {
        scope
          .where('p.region = ANY(:scopeRegions)', { scopeRegions: regions })
          .orWhere('p.region LIKE ANY(:scopePatterns)', { scopePatterns: patterns });
        if (actor.role === 'chief_officer') {
          scope.orWhere('p.chiefServiceOfficerId = :actorId', { actorId: actor.id });
        }
      }),
    );
  }

  private applyFilters(qb: SelectQueryBuilder<ProjectRecord>, query: ListProjectsQuery): void {
    if (query.stage) qb.andWhere('p.stage = ANY(:stages)', { stages: query.stage });
    if (query.region) {
      const pattern = coveredRegionsPattern(query.region);
      if (pattern) qb.andWhere('p.region LIKE :regionPattern', { regionPattern: pattern });
      else qb.andWhere('p.region = :region', { region: query.region });
    }
    if (query.industryChain) {
      qb.andWhere('p.industryChain = :industryChain', { industryChain: query.industryChain });
    }
    if (query.light) qb.andWhere('p.light = ANY(:lights)', { lights: query.light });
    if (query.overdue !== undefined) qb.andWhere('p.overdue = :overdue', { overdue: query.overdue });
    if (query.signingYear !== undefined) {
      qb.andWhere('p.signingYear = :signingYear', { signingYear: query.signingYear });
    }
    if (query.sizeBand) {
      const band = SIZE_BANDS[query.sizeBand];
      if ('below' in band) {
        qb.andWhere(`${EFFECTIVE_INVESTMENT} < CAST(:below AS numeric)`, { below: formatYuan(band.below) });
      } else {
        qb.andWhere(`${EFFECTIVE_INVESTMENT} >= CAST(:atLeast AS numeric)`, {
          atLeast: formatYuan(band.atLeast),
        });
      }
    }
    if (query.q) {
      qb.andWhere(`(p.name ILIKE :q ESCAPE '\\' OR p.investorName ILIKE :q ESCAPE '\\')`, {
        q: `%${escapeLike(query.q)}%`,
      });
    }
  }

  /**
   * Rows after the cursor in ORDER BY key, project_id (both one direction, nulls last). A row value
   * comparison is false when the key is null, so null keys are added after every non-null one, and
   * once in the nulls only the project id moves on.
   */
  private startAfter(qb: WhereExpressionBuilder, key: SortKey, descending: boolean, cursor: Cursor): void {
    const after = descending ? '<' : '>';
    const params = { cursorValue: cursor.value, cursorId: cursor.projectId };
    if (cursor.value === null) {
      qb.andWhere(`(${key.expression} IS NULL AND p.projectId ${after} :cursorId)`, params);
      return;
    }
    const past = `(${key.expression}, p.projectId) ${after} (CAST(:cursorValue AS ${key.type}), :cursorId)`;
    qb.andWhere(key.nullable ? `(${past} OR ${key.expression} IS NULL)` : past, params);
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
