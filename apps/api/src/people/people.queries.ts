import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  positionalParameters,
  regionsCovering,
  regionsScope,
  scopeSql,
  withoutChannelSql,
  type Role,
} from '@app/domain';
import type { PersonRow } from './people.dto';

const COLUMNS = `person_id, name, role, regions, phone, email, active, version, updated_at`;

export interface PeopleFilter {
  role?: Role;
  /** People whose regions cover this one or lie in it. */
  region?: string;
  q?: string;
  active: boolean;
  /** false: only the people with no channel of their own; true: only those with one. */
  reachable?: boolean;
  after?: string;
  limit: number;
}

/** What a write sets of a person. */
export type PersonValues = Pick<PersonRow, 'name' | 'role' | 'regions' | 'phone' | 'email' | 'active'>;

/** The people directory's table. */
@Injectable()
export class PeopleQueries {
  constructor(private readonly dataSource: DataSource) {}

  async find(personId: string, manager: EntityManager = this.dataSource.manager): Promise<PersonRow | null> {
    const [row] = await manager.query<PersonRow[]>(`SELECT ${COLUMNS} FROM people WHERE person_id = $1`, [
      personId,
    ]);
    return row ?? null;
  }

  /** Names by id, for showing people where only their ids are stored. */
  async names(personIds: readonly string[]): Promise<Map<string, string>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ person_id: string; name: string }[]>(
      `SELECT person_id, name FROM people WHERE person_id = ANY($1::text[])`,
      [[...new Set(personIds)]],
    );
    return new Map(rows.map((r) => [r.person_id, r.name]));
  }

  async list(filter: PeopleFilter): Promise<PersonRow[]> {
    const params: unknown[] = [filter.active];
    const bind = positionalParameters(params);
    const where = ['active = $1'];
    if (filter.role) where.push(`role = ${bind(filter.role)}`);
    if (filter.region) {
      // Someone whose regions cover the place (its county, city or province), or lie within it.
      const within = scopeSql(regionsScope([filter.region]), 'r', bind);
      where.push(
        `(regions && ${bind(regionsCovering(filter.region))}::text[] OR EXISTS (SELECT 1 FROM unnest(regions) AS r WHERE ${within}))`,
      );
    }
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(name ILIKE ${bind(pattern)} ESCAPE '\\' OR person_id ILIKE ${bind(pattern)} ESCAPE '\\')`);
    }
    if (filter.reachable !== undefined)
      where.push(filter.reachable ? `NOT ${withoutChannelSql()}` : withoutChannelSql());
    if (filter.after) where.push(`person_id > ${bind(filter.after)}`);
    return this.dataSource.query<PersonRow[]>(
      `SELECT ${COLUMNS} FROM people WHERE ${where.join(' AND ')} ORDER BY person_id LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  async insert(
    personId: string,
    values: PersonValues,
    by: string,
    manager: EntityManager,
  ): Promise<PersonRow | null> {
    const [row] = await manager.query<PersonRow[]>(
      `INSERT INTO people (person_id, name, role, regions, phone, email, active, updated_by)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8)
       ON CONFLICT (person_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [personId, values.name, values.role, values.regions, values.phone, values.email, values.active, by],
    );
    return row ?? null;
  }

  /** Replaces the entry if it is still at `expectedVersion`; null when it is not (or is gone). */
  async update(
    personId: string,
    values: PersonValues,
    expectedVersion: number,
    by: string,
    manager: EntityManager,
  ): Promise<PersonRow | null> {
    const [rows] = await manager.query<[PersonRow[], number]>(
      `UPDATE people SET name = $2, role = $3, regions = $4::text[], phone = $5, email = $6, active = $7,
              updated_by = $8, updated_at = now(), version = version + 1
       WHERE person_id = $1 AND version = $9
       RETURNING ${COLUMNS}`,
      [
        personId,
        values.name,
        values.role,
        values.regions,
        values.phone,
        values.email,
        values.active,
        by,
        expectedVersion,
      ],
    );
    return rows[0] ?? null;
  }
}
