import type { EntityManager } from 'typeorm';
import { formatYuan, parseYuan, revisionOf, type ProjectState } from '@app/domain';
import { duplicateConfirmationsInsertSql, duplicateLookupColumns } from './duplicate-lookup';

/** The read-model row for a project, derived from its state alone (so a rebuild gives the same row). */
export function projectRowFromState(state: ProjectState, updatedAt: string): Record<string, unknown> {
  if (!state.exists || !state.projectId || !state.stage)
    throw new Error('projectRowFromState: the project does not exist');
  return {
    project_id: state.projectId,
    name: state.name,
    stage: state.stage,
    region: state.region,
    park: state.park,
    industry_chain: state.industryChain,
    industrial: state.industrial,
    investor_name: state.investor?.name,
    investor_type: state.investor?.type,
    investor_flags: state.investor?.flags ?? [],
    investor_origin: state.investor?.origin ?? null,
    source: state.source,
    planned_investment: state.plannedInvestment,
    contract_investment: state.contractInvestment,
    funds_arrived_total: state.fundsArrivedTotal,
    lead_date: state.leadDate,
    talks_date: state.talksDate,
    signed_date: state.signedDate,
    landed_date: state.landedDate,
    started_date: state.startedDate,
    in_stats_date: state.inStatsDate,
    production_date: state.productionDate,
    dropped_date: state.droppedDate,
    signing_year: state.signedDate ? Number(state.signedDate.slice(0, 4)) : null,
    service_officer_id: state.serviceOfficerId,
    chief_service_officer_id: state.chiefServiceOfficerId,
    light: state.light,
    overdue: state.alerts.length > 0,
    overdue_steps: [...new Set(state.alerts.map((a) => a.step))].sort(),
    open_anomalies: state.anomalies.map((a) => a.code).sort(),
    ...duplicateLookupColumns(state),
    version: state.version,
    revision: revisionOf(state),
    state: JSON.stringify(state),
    updated_at: updatedAt,
  };
}

/** Inserts or replaces a project's row, unless the stored row is already at this version or later. */
export async function upsertProjectRow(
  manager: EntityManager,
  row: Record<string, unknown>,
  table = 'projects',
): Promise<void> {
  const columns = Object.keys(row);
  const placeholders = columns.map((_, i) => `$${i + 1}`);
  const updates = columns.filter((c) => c !== 'project_id').map((c) => `${c} = EXCLUDED.${c}`);
  await manager.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')})
     ON CONFLICT (project_id) DO UPDATE SET ${updates.join(', ')} WHERE ${table}.version < EXCLUDED.version`,
    columns.map((c) => row[c]),
  );
}

/** A project's funds-by-month rows, adjustments netted per month (so a rebuild gives the same rows). */
export function fundsRowsFromState(state: ProjectState): { month: string; amount: string }[] {
  const byMonth = new Map<string, bigint>();
  for (const entry of state.fundsArrived) {
    byMonth.set(entry.month, (byMonth.get(entry.month) ?? 0n) + parseYuan(entry.amount));
  }
  return [...byMonth].map(([month, fen]) => ({ month, amount: formatYuan(fen) }));
}

/** Replaces a project's funds-by-month rows from its state. */
export async function replaceProjectFunds(
  manager: EntityManager,
  state: ProjectState,
  table = 'project_funds',
): Promise<void> {
  const rows = fundsRowsFromState(state);
  await manager.query(`DELETE FROM ${table} WHERE project_id = $1`, [state.projectId]);
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO ${table} (project_id, month, amount)
     SELECT $1, m, a FROM unnest($2::text[], $3::numeric[]) AS t(m, a)`,
    [state.projectId, rows.map((r) => r.month), rows.map((r) => r.amount)],
  );
}

/** Whether these events change what the funds table holds. */
export function touchesFunds(types: string[]): boolean {
  return types.some((t) => t === 'FundsArrivedRecorded' || t === 'EventCorrected');
}

/** Projects the DuplicateConfirmed events among the versions just appended to a project's stream. */
export async function recordDuplicateConfirmations(
  manager: EntityManager,
  projectId: string,
  fromVersion: number,
  toVersion: number,
): Promise<void> {
  await manager.query(
    duplicateConfirmationsInsertSql(
      'duplicate_confirmations',
      'project_id = $1 AND version BETWEEN $2 AND $3',
    ),
    [projectId, fromVersion, toVersion],
  );
}

/** Whether these events change what the duplicate_confirmations table holds. */
export function touchesDuplicateConfirmations(types: string[]): boolean {
  return types.includes('DuplicateConfirmed');
}
