import type { ProjectState } from '@app/domain';
// A relative import, not '@app/domain': the migrations load this module, and they also run where the
// path aliases are not set up (the test suite's global setup).
import { normaliseName } from '../../../domain/src/duplicates';

/** A key for narrowing a duplicate lookup: the domain's normalised form, null when nothing is left of it. */
export function duplicateLookupKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const key = normaliseName(value);
  return key === '' ? null : key;
}

/**
 * What the duplicate check looks a project up by: the contract number and the landed company's
 * credit code as recorded, and keys for the lookups. The keys are the domain's normalised names,
 * coarser than the codes' own comparison, so the SQL finds every project the rule may flag and
 * `likelyDuplicate` decides.
 */
export function duplicateLookupColumns(state: ProjectState): {
  credit_code: string | null;
  contract_number: string | null;
  investor_key: string | null;
  contract_key: string | null;
} {
  return {
    credit_code: state.creditCode ?? null,
    contract_number: state.contractNumber ?? null,
    investor_key: duplicateLookupKey(state.investor?.name),
    contract_key: duplicateLookupKey(state.contractNumber),
  };
}

/** The credit code as the read model holds it (upper case, nothing but its characters), for a lookup. */
export function creditCodeLookupKey(code: string | null | undefined): string | null {
  return duplicateLookupKey(code)?.toUpperCase() ?? null;
}

/**
 * The duplicate_confirmations rows of the DuplicateConfirmed events that `where` selects from the
 * event log: the worker's projection (in the append's transaction), the rebuild and the migration
 * all write them with this one statement, so they give the same rows.
 */
export function duplicateConfirmationsInsertSql(table: string, where: string): string {
  return `INSERT INTO ${table} (event_id, global_position, project_id, of_project_id, match, reason, point,
            actor_id, actor_role, business_time, recorded_at)
          SELECT event_id, global_position, project_id, COALESCE(data->>'of', ''), COALESCE(data->>'match', ''),
                 COALESCE(data->>'reason', ''), COALESCE(data->>'at', ''), actor_id, actor_role, business_time,
                 recorded_at
          FROM events WHERE type = 'DuplicateConfirmed' AND ${where}
          ON CONFLICT (event_id) DO NOTHING`;
}
