import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { positionalParameters, type RobotKind } from '@app/domain';
import type { RobotRow } from './robot.dto';

/** Never the token or the secret: they leave the database only for the worker sending a message. */
const COLUMNS = `robot_id::text AS robot_id, kind, name, region, department, token <> '' AS has_token,
  secret IS NOT NULL AS has_secret, enabled, version, updated_at`;

export interface RobotValues {
  kind: RobotKind;
  name: string;
  region: string;
  department: string | null;
  token: string;
  secret: string | null;
  enabled: boolean;
}

/** The group robots table. */
@Injectable()
export class RobotQueries {
  constructor(private readonly dataSource: DataSource) {}

  async find(robotId: string): Promise<RobotRow | null> {
    const [row] = await this.dataSource.query<RobotRow[]>(
      `SELECT ${COLUMNS} FROM group_robots WHERE robot_id = $1::uuid`,
      [robotId],
    );
    return row ?? null;
  }

  list(filter: {
    kind?: RobotKind;
    region?: string;
    enabled?: boolean;
    after?: string;
    limit: number;
  }): Promise<RobotRow[]> {
    const params: unknown[] = [];
    const bind = positionalParameters(params);
    const where = ['TRUE'];
    if (filter.kind) where.push(`kind = ${bind(filter.kind)}`);
    if (filter.region) where.push(`region = ${bind(filter.region)}`);
    if (filter.enabled !== undefined) where.push(`enabled = ${bind(filter.enabled)}`);
    if (filter.after) where.push(`robot_id > ${bind(filter.after)}::uuid`);
    return this.dataSource.query<RobotRow[]>(
      `SELECT ${COLUMNS} FROM group_robots WHERE ${where.join(' AND ')} ORDER BY robot_id LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  async insert(robotId: string, values: RobotValues, by: string): Promise<RobotRow> {
    const [row] = await this.dataSource.query<RobotRow[]>(
      `INSERT INTO group_robots (robot_id, kind, name, region, department, token, secret, enabled, updated_by)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${COLUMNS}`,
      [
        robotId,
        values.kind,
        values.name,
        values.region,
        values.department,
        values.token,
        values.secret,
        values.enabled,
        by,
      ],
    );
    return row;
  }

  /** Sets the fields given; a secret of null turns signed mode off, an absent one keeps it. */
  async update(
    robotId: string,
    changes: Partial<Omit<RobotValues, 'kind'>>,
    by: string,
  ): Promise<RobotRow | null> {
    const params: unknown[] = [robotId, by];
    const bind = positionalParameters(params);
    const sets = ['updated_by = $2', 'updated_at = now()', 'version = version + 1'];
    for (const column of ['name', 'region', 'department', 'token', 'secret', 'enabled'] as const) {
      if (changes[column] !== undefined) sets.push(`${column} = ${bind(changes[column])}`);
    }
    const [rows] = await this.dataSource.query<[RobotRow[], number]>(
      `UPDATE group_robots SET ${sets.join(', ')} WHERE robot_id = $1::uuid RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0] ?? null;
  }
}
