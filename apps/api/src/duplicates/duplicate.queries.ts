import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DUPLICATE_DATE_SQL } from '@app/persistence';
import {
  positionalParameters,
  readableProjectsSql,
  regionsScope,
  scopeSql,
  type Actor,
  type DuplicateCandidate,
} from '@app/domain';

interface CandidateRow {
  project_id: string;
  name: string;
  region: string;
  investor_name: string;
  credit_code: string | null;
  contract_number: string | null;
  date: string;
}

export interface ConfirmationRow {
  event_id: string;
  position: string;
  project_id: string;
  project_name: string | null;
  project_region: string | null;
  of_project_id: string;
  of_name: string | null;
  of_region: string | null;
  match: string;
  reason: string;
  point: string;
  actor_id: string;
  actor_role: string;
  business_time: string;
  recorded_at: Date;
}

@Injectable()
export class DuplicateQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The project as the duplicate rule reads it, or null when there is none. */
  async project(projectId: string): Promise<DuplicateCandidate | null> {
    const [row] = await this.dataSource.query<CandidateRow[]>(
      `SELECT p.project_id, p.name, p.region, p.investor_name, p.credit_code, p.contract_number,
              ${DUPLICATE_DATE_SQL}::text AS date
       FROM projects p WHERE p.project_id = $1`,
      [projectId],
    );
    if (!row) return null;
    return {
      projectId: row.project_id,
      name: row.name,
      region: row.region,
      investorName: row.investor_name,
      creditCode: row.credit_code,
      contractNumber: row.contract_number,
      date: row.date,
    };
  }

  /**
   * Confirmed pairs, newest first, where the reader may read either project (a leader sees a
   * project of theirs confirmed against one elsewhere, and the other way round); `region` narrows
   * to pairs with a project there.
   */
  async confirmations(
    actor: Actor,
    filter: { region?: string; before?: string; limit: number },
  ): Promise<ConfirmationRow[]> {
    const params: unknown[] = [];
    const bind = positionalParameters(params);
    const where: string[] = [];
    const readable = (alias: string) =>
      readableProjectsSql(
        actor,
        { region: `${alias}.region`, chiefServiceOfficerId: `${alias}.chief_service_officer_id` },
        bind,
      );
    const readP = readable('p');
    if (readP !== 'TRUE') where.push(`(${readP} OR ${readable('o')})`);
    if (filter.region) {
      const scope = regionsScope([filter.region]);
      where.push(`(${scopeSql(scope, 'p.region', bind)} OR ${scopeSql(scope, 'o.region', bind)})`);
    }
    if (filter.before) where.push(`d.global_position < ${bind(filter.before)}::bigint`);
    return this.dataSource.query<ConfirmationRow[]>(
      `SELECT d.event_id, d.global_position::text AS position, d.project_id, p.name AS project_name,
              p.region AS project_region, d.of_project_id, o.name AS of_name, o.region AS of_region,
              d.match, d.reason, d.point, d.actor_id, d.actor_role, d.business_time, d.recorded_at
       FROM duplicate_confirmations d
       LEFT JOIN projects p ON p.project_id = d.project_id
       LEFT JOIN projects o ON o.project_id = d.of_project_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.global_position DESC
       LIMIT ${bind(filter.limit)}`,
      params,
    );
  }
}
