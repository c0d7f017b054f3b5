import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder, type WhereExpressionBuilder } from 'typeorm';
import {
  formatYuan,
  readableProjectsSql,
  regionsScope,
  scopeSql,
  stageDateColumns,
  stageOnSql,
  lightColumns,
  lightOnSql,
  YI_YUAN,
  type Actor,
  type BindParameter,
  type EvidenceFile,
  type ProjectState,
} from '@app/domain';
import { ProjectRecord } from '@app/persistence';
import type { ListProjectsQuery, ProjectSizeBand } from './dto/list-projects.query';

/** A list sorts by one of these keys, then by project id in the same direction. */
export interface SortKey {
  /** The ordering expression. */
  expression: string;
  /** The same value as text that casts back exactly (timestamps keep their microseconds). */
  asText: string;
  /** The SQL type the cursor's text casts back to. */
  type: 'timestamptz' | 'text' | 'date' | 'numeric';
  nullable: boolean;
}

const EFFECTIVE_INVESTMENT = 'COALESCE(p.contractInvestment, p.plannedInvestment)';

export type SortField = 'updatedAt' | 'name' | 'signedDate' | 'investment';

export const SORT_KEYS: Record<SortField, SortKey> = {
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

/** Lower bound (inclusive) or upper bound (exclusive) of effective investment, in 分. */
const SIZE_BANDS: Record<ProjectSizeBand, { atLeast: bigint } | { below: bigint }> = {
  below_100m: { below: YI_YUAN },
  '100m_plus': { atLeast: YI_YUAN },
  '500m_plus': { atLeast: 5n * YI_YUAN },
  '1b_plus': { atLeast: 10n * YI_YUAN },
  '5b_plus': { atLeast: 50n * YI_YUAN },
  '10b_plus': { atLeast: 100n * YI_YUAN },
};

/** Where a page starts: after this row of the sort (its key's value as text, and its project id). */
export interface ListPosition {
  value: string | null;
  projectId: string;
}

/** The 合计 of a whole filtered list: exact decimal strings in yuan, summed by PostgreSQL as numeric. */
export interface ProjectTotals {
  count: number;
  plannedInvestment: string;
  contractInvestment: string;
  fundsArrived: string;
}

/** One page of the list as read, with each row's sort value for the cursor. */
export interface ProjectRows {
  rows: Omit<ProjectRecord, 'state'>[];
  sortValues: (string | null)[];
}

/**
 * A binder for TypeORM's query builder: names each value :prefix0, :prefix1, … and collects them, so
 * a condition from the domain (`scopeSql`, `readableProjectsSql`) goes into `andWhere` with them.
 */
function namedParameters(prefix: string): { bind: BindParameter; parameters: Record<string, unknown> } {
  const parameters: Record<string, unknown> = {};
  let next = 0;
  return {
    parameters,
    bind: (value) => {
      const name = `${prefix}${next++}`;
      parameters[name] = value;
      return `:${name}`;
    },
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The projects read model: one project by id, and the keyset-paginated list. */
@Injectable()
export class ProjectQueries {
  constructor(private readonly dataSource: DataSource) {}

  findById(projectId: string): Promise<ProjectRecord | null> {
    return this.dataSource.getRepository(ProjectRecord).findOneBy({ projectId });
  }

  /** The evidence files the project's events recorded, in the order of its stream. */
  async recordedFiles(
    projectId: string,
  ): Promise<{ version: number; type: string; businessTime: string; file: EvidenceFile }[]> {
    const rows = await this.dataSource.query<
      { version: number; type: string; business_time: string; file: EvidenceFile }[]
    >(
      `SELECT e.version, e.type, e.business_time, f.file
         FROM events e
         CROSS JOIN LATERAL jsonb_array_elements(e.data->'files') WITH ORDINALITY AS f(file, ordinality)
        WHERE e.project_id = $1
        ORDER BY e.version, f.ordinality`,
      [projectId],
    );
    return rows.map((r) => ({
      version: r.version,
      type: r.type,
      businessTime: r.business_time,
      file: r.file,
    }));
  }

  /** The state documents of these projects by id; an id the read model does not hold is left out. */
  async statesById(projectIds: string[]): Promise<Map<string, ProjectState>> {
    const rows = await this.dataSource.query<{ project_id: string; state: ProjectState }[]>(
      `SELECT project_id, state FROM projects WHERE project_id = ANY($1::text[])`,
      [projectIds],
    );
    return new Map(rows.map((r) => [r.project_id, r.state]));
  }

  /** Up to `limit` rows the actor may read, matching the query's filters, in the key's order after `after`. */
  async list(
    actor: Actor,
    query: ListProjectsQuery,
    order: { key: SortKey; descending: boolean; after: ListPosition | null; limit: number },
  ): Promise<ProjectRows> {
    const { key, descending, after, limit } = order;
    const repository = this.dataSource.getRepository(ProjectRecord);
    // A list never needs the full state document, which grows with the project's history.
    const columns = repository.metadata.columns
      .filter((c) => c.propertyName !== 'state')
      .map((c) => `p.${c.propertyName}`);
    const qb = repository.createQueryBuilder('p').select(columns).addSelect(key.asText, 'sort_value');
    this.restrictToReadable(qb, actor);
    this.applyFilters(qb, query);
    if (after) this.startAfter(qb, key, descending, after);

    const direction = descending ? 'DESC' : 'ASC';
    // Spelled out only where nulls occur: on a NOT NULL key, NULLS LAST would stop a descending
    // sort from using an ascending index backwards.
    qb.orderBy(key.expression, direction, key.nullable ? 'NULLS LAST' : undefined)
      .addOrderBy('p.projectId', direction)
      .limit(limit);

    const { entities, raw } = await qb.getRawAndEntities<{ sort_value: string | null }>();
    return { rows: entities, sortValues: raw.map((r) => r.sort_value) };
  }

  /** The totals over every row the actor may read that matches the query's filters (not one page). */
  async totals(actor: Actor, query: ListProjectsQuery): Promise<ProjectTotals> {
    const qb = this.dataSource
      .getRepository(ProjectRecord)
      .createQueryBuilder('p')
      .select('COUNT(*)::int', 'count')
      // round(…, 2) keeps two decimals on an empty list too ('0.00', as every amount is written).
      .addSelect('round(COALESCE(SUM(p.plannedInvestment), 0), 2)::text', 'planned')
      .addSelect('round(COALESCE(SUM(p.contractInvestment), 0), 2)::text', 'contract')
      .addSelect('round(COALESCE(SUM(p.fundsArrivedTotal), 0), 2)::text', 'funds');
    this.restrictToReadable(qb, actor);
    this.applyFilters(qb, query);
    const row = await qb.getRawOne<{ count: number; planned: string; contract: string; funds: string }>();
    return {
      count: Number(row?.count ?? 0),
      plannedInvestment: row?.planned ?? '0.00',
      contractInvestment: row?.contract ?? '0.00',
      fundsArrived: row?.funds ?? '0.00',
    };
  }

  /** `mayRead` as SQL, from the domain: the actor's reading scope, and a chief officer's own projects. */
  private restrictToReadable(qb: SelectQueryBuilder<ProjectRecord>, actor: Actor): void {
    const { bind, parameters } = namedParameters('scope');
    const readable = readableProjectsSql(
      actor,
      { region: 'p.region', chiefServiceOfficerId: 'p.chiefServiceOfficerId' },
      bind,
    );
    if (readable !== 'TRUE') qb.andWhere(readable, parameters);
  }

  private applyFilters(qb: SelectQueryBuilder<ProjectRecord>, query: ListProjectsQuery): void {
    if (query.stageOn !== undefined) {
      // The stage each project was in on that day, from the days it reached each (the domain's rule).
      const stageThen = stageOnSql(stageDateColumns('p'), 'CAST(:stageOn AS date)');
      qb.andWhere(`${stageThen} IS NOT NULL`, { stageOn: query.stageOn });
      if (query.stage) qb.andWhere(`${stageThen} = ANY(:stages)`, { stages: query.stage });
    } else if (query.stage) qb.andWhere('p.stage = ANY(:stages)', { stages: query.stage });
    if (query.region) {
      // The region asked for and, for a city or a province, the divisions it covers.
      const { bind, parameters } = namedParameters('region');
      qb.andWhere(scopeSql(regionsScope([query.region]), 'p.region', bind), parameters);
    }
    if (query.industryChain) {
      qb.andWhere('p.industryChain = :industryChain', { industryChain: query.industryChain });
    }
    if (query.light) {
      // On a past day, the light each project had at its end, from its light history (the domain's rule).
      const light =
        query.stageOn !== undefined
          ? lightOnSql('project_lights', lightColumns('p'), 'CAST(:stageOn AS date)')
          : 'p.light';
      qb.andWhere(`${light} = ANY(:lights)`, { lights: query.light, stageOn: query.stageOn });
    }
    if (query.overdue !== undefined) qb.andWhere('p.overdue = :overdue', { overdue: query.overdue });
    if (query.signingYear !== undefined) {
      qb.andWhere('p.signingYear = :signingYear', { signingYear: query.signingYear });
    }
    // Date ranges of the milestones, both ends inclusive: what the dashboard's figures count.
    for (const [column, from, to] of [
      ['p.signedDate', query.signedFrom, query.signedTo],
      ['p.landedDate', query.landedFrom, query.landedTo],
      ['p.startedDate', query.startedFrom, query.startedTo],
      ['p.inStatsDate', query.inStatsFrom, query.inStatsTo],
    ] as const) {
      const name = column.slice(2);
      if (from !== undefined)
        qb.andWhere(`${column} >= CAST(:${name}From AS date)`, { [`${name}From`]: from });
      if (to !== undefined) qb.andWhere(`${column} <= CAST(:${name}To AS date)`, { [`${name}To`]: to });
    }
    if (query.fundsFrom !== undefined || query.fundsTo !== undefined) {
      const months = [
        ...(query.fundsFrom !== undefined ? ['f.month >= :fundsFrom'] : []),
        ...(query.fundsTo !== undefined ? ['f.month <= :fundsTo'] : []),
      ];
      qb.andWhere(
        `EXISTS (SELECT 1 FROM project_funds f WHERE f.project_id = p.projectId AND ${months.join(' AND ')})`,
        { fundsFrom: query.fundsFrom, fundsTo: query.fundsTo },
      );
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
    if (query.industrial !== undefined) {
      qb.andWhere('p.industrial = :industrial', { industrial: query.industrial });
    }
    if (query.investorType) {
      qb.andWhere('p.investorType = ANY(:investorTypes)', { investorTypes: query.investorType });
    }
    // Any of the flags asked for: 500强 of any list is one question officers ask.
    if (query.investorFlag) {
      qb.andWhere('p.investorFlags && CAST(:investorFlags AS text[])', { investorFlags: query.investorFlag });
    }
    if (query.park) qb.andWhere('p.park = :park', { park: query.park });
    if (query.serviceOfficerId) {
      qb.andWhere('p.serviceOfficerId = :serviceOfficerId', { serviceOfficerId: query.serviceOfficerId });
    }
    if (query.chiefServiceOfficerId) {
      qb.andWhere('p.chiefServiceOfficerId = :chiefServiceOfficerId', {
        chiefServiceOfficerId: query.chiefServiceOfficerId,
      });
    }
    if (query.q) {
      qb.andWhere(`(p.name ILIKE :q ESCAPE '\\' OR p.investorName ILIKE :q ESCAPE '\\')`, {
        q: `%${escapeLike(query.q)}%`,
      });
    }
  }

  /**
   * Rows after the position in ORDER BY key, project_id (both one direction, nulls last). A row value
   * comparison is false when the key is null, so null keys are added after every non-null one, and
   * once in the nulls only the project id moves on.
   */
  private startAfter(
    qb: WhereExpressionBuilder,
    key: SortKey,
    descending: boolean,
    after: ListPosition,
  ): void {
    const direction = descending ? '<' : '>';
    const params = { cursorValue: after.value, cursorId: after.projectId };
    if (after.value === null) {
      qb.andWhere(`(${key.expression} IS NULL AND p.projectId ${direction} :cursorId)`, params);
      return;
    }
    const past = `(${key.expression}, p.projectId) ${direction} (CAST(:cursorValue AS ${key.type}), :cursorId)`;
    qb.andWhere(key.nullable ? `(${past} OR ${key.expression} IS NULL)` : past, params);
  }
}
