import type { EntityManager } from 'typeorm';
import {
  DUPLICATE_MATCHES,
  isIsoDate,
  likelyDuplicate,
  type DuplicateCandidate,
  type DuplicateMatch,
} from '@app/domain';
import { creditCodeLookupKey, duplicateLookupKey } from './duplicate-lookup';

/** An earlier project a candidate looks like, and why. */
export type LikelyDuplicate = DuplicateCandidate & { match: DuplicateMatch };

interface PairRow {
  n: number;
  project_id: string;
  name: string;
  region: string;
  investor_name: string;
  credit_code: string | null;
  contract_number: string | null;
  date: string;
}

/** A project's date as the duplicate rule reads it (its contract date, else its lead date), of `projects p`. */
export const DUPLICATE_DATE_SQL = 'COALESCE(p.signed_date, p.lead_date)';

/**
 * The recorded projects each candidate looks like, counted again (the same contract number anywhere;
 * in its region, the same investor or credit code with a similar name within `windowDays`), the
 * most certain match first, then by date; one list per candidate, in order. One statement for all
 * of them (the registration's one, an import's thousands): the read model's lookup keys narrow to
 * a superset, and the domain's `likelyDuplicate` decides.
 */
export async function findLikelyDuplicates(
  manager: EntityManager,
  candidates: readonly DuplicateCandidate[],
  windowDays: number,
): Promise<LikelyDuplicate[][]> {
  const found: LikelyDuplicate[][] = candidates.map(() => []);
  if (candidates.length === 0) return found;
  const dated = (c: DuplicateCandidate) => (isIsoDate(c.date) ? c.date : null);
  const rows = await manager.query<PairRow[]>(
    // One branch per index (contract_key; region and investor_key; region and credit_code), so
    // each is an index lookup per candidate.
    `WITH c AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[])
         WITH ORDINALITY AS c(project_id, region, investor_key, credit_code, contract_key, date, n)),
     m AS (
       SELECT c.n, p.project_id FROM c JOIN projects p ON p.contract_key = c.contract_key
       UNION
       SELECT c.n, p.project_id FROM c JOIN projects p
         ON p.region = c.region AND p.investor_key = c.investor_key
        AND ${DUPLICATE_DATE_SQL} BETWEEN c.date - $7::integer AND c.date + $7::integer
       UNION
       SELECT c.n, p.project_id FROM c JOIN projects p
         ON p.region = c.region AND p.credit_code = c.credit_code
        AND ${DUPLICATE_DATE_SQL} BETWEEN c.date - $7::integer AND c.date + $7::integer)
     SELECT m.n::int AS n, p.project_id, p.name, p.region, p.investor_name, p.credit_code, p.contract_number,
            ${DUPLICATE_DATE_SQL}::text AS date
     FROM m JOIN c ON c.n = m.n JOIN projects p ON p.project_id = m.project_id
     WHERE p.project_id <> c.project_id`,
    [
      candidates.map((c) => c.projectId),
      candidates.map((c) => c.region),
      candidates.map((c) => duplicateLookupKey(c.investorName)),
      candidates.map((c) => creditCodeLookupKey(c.creditCode)),
      candidates.map((c) => duplicateLookupKey(c.contractNumber)),
      candidates.map(dated),
      windowDays,
    ],
  );
  for (const row of rows) {
    const candidate = candidates[row.n - 1];
    const earlier: DuplicateCandidate = {
      projectId: row.project_id,
      name: row.name,
      region: row.region,
      investorName: row.investor_name,
      creditCode: row.credit_code,
      contractNumber: row.contract_number,
      date: row.date,
    };
    const match = likelyDuplicate(candidate, earlier, windowDays);
    if (match !== null) found[row.n - 1].push({ ...earlier, match });
  }
  const rank = (m: DuplicateMatch) => DUPLICATE_MATCHES.indexOf(m);
  for (const list of found)
    list.sort(
      (a, b) =>
        rank(a.match) - rank(b.match) ||
        a.date.localeCompare(b.date) ||
        a.projectId.localeCompare(b.projectId),
    );
  return found;
}
