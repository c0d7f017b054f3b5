import type { Actor } from './actor';
import { daysBetween, isIsoDate, type IsoDate } from './dates';
import { readingScope, scopeCovers } from './region-scope';
import { refusal, type Refusal } from './refusals';
import { TEXT_LIMITS } from './text-limits';
import { checkText, isRecord } from './validation';

/**
 * Double-counted signings: the same project signed again at a later 集中签约 and counted twice.
 * The rule of what looks like a duplicate lives here, for the API's registration and signing, the
 * import's dry run and the duplicates list.
 */

export type DuplicateMatch = 'contract_number' | 'credit_code' | 'investor_name';
export const DUPLICATE_MATCHES: readonly DuplicateMatch[] = [
  'contract_number',
  'credit_code',
  'investor_name',
];

export const DUPLICATE_MATCH_LABELS: Record<DuplicateMatch, string> = {
  contract_number: '合同编号相同',
  credit_code: '统一社会信用代码相同',
  investor_name: '投资方相同且项目名称相近',
};

export interface DuplicateCandidate {
  projectId: string;
  name: string;
  region: string;
  investorName: string;
  creditCode: string | null;
  contractNumber: string | null;
  /** contract date, else lead date */
  date: IsoDate;
}

/** A person's confirmation that a flagged project is not the earlier one counted again. */
export interface DuplicateConfirmation {
  /** The earlier project's id. */
  of: string;
  match: DuplicateMatch;
  reason: string;
}

export const DEFAULT_DUPLICATE_WINDOW_DAYS = 365;

/** The name an earlier project is shown by to a person who may not read it. */
export const UNREADABLE_PROJECT_NAME = '其他地区的项目(无权查看详情)';

/**
 * What a person is told of an earlier project named as a likely duplicate. The check spans regions
 * (a signing counted by two counties is the case it exists for), the reading rules do not: outside
 * the person's regions they learn that such a project exists, where, when and why it matches, and
 * its id to confirm against, not its name.
 */
export function duplicateAsSeenBy<T extends { name: string; region: string }>(actor: Actor, earlier: T): T {
  return scopeCovers(readingScope(actor), earlier.region)
    ? earlier
    : { ...earlier, name: UNREADABLE_PROJECT_NAME };
}

/** Two project names at least this similar (Dice on character bigrams of the normalised names) are "similar". */
export const PROJECT_NAME_SIMILARITY_THRESHOLD = 0.6;

/**
 * Words every ledger adds to a name, which say nothing of which project it is; longest first so
 * that 有限责任公司 goes before 有限公司 and 公司.
 */
const GENERIC_WORDS = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '建设项目',
  '项目',
  '工程',
  '股份',
  '集团',
  '公司',
  '一期',
  '二期',
  '三期',
  '四期',
  '五期',
].sort((a, b) => b.length - a.length);

/** A name as compared: NFKC, lower case, without whitespace, punctuation and generic words. */
export function normaliseName(name: string): string {
  let s = name.normalize('NFKC').toLowerCase();
  s = s.replace(/[\s\p{P}\p{S}]/gu, '');
  for (const word of GENERIC_WORDS) s = s.split(word).join('');
  return s;
}

function bigrams(s: string): Map<string, number> {
  const chars = [...s];
  const out = new Map<string, number>();
  if (chars.length === 1) out.set(chars[0], 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i] + chars[i + 1];
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** How alike two project names are, 0..1: Dice's coefficient on the normalised names' character bigrams. */
export function projectNameSimilarity(a: string, b: string): number {
  const na = normaliseName(a);
  const nb = normaliseName(b);
  if (na === '' || nb === '') return 0;
  if (na === nb) return 1;
  const ga = bigrams(na);
  const gb = bigrams(nb);
  let common = 0;
  let total = 0;
  for (const [g, n] of ga) {
    common += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return total === 0 ? 0 : (2 * common) / total;
}

function normaliseCode(code: string | null): string | null {
  if (code === null) return null;
  const s = code.normalize('NFKC').replace(/\s/g, '').toUpperCase();
  return s === '' ? null : s;
}

/** Why `candidate` looks like `earlier` counted again, or null. */
export function likelyDuplicate(
  candidate: DuplicateCandidate,
  earlier: DuplicateCandidate,
  windowDays: number,
): DuplicateMatch | null {
  if (candidate.projectId === earlier.projectId) return null;
  const contract = normaliseCode(candidate.contractNumber);
  if (contract !== null && contract === normaliseCode(earlier.contractNumber)) return 'contract_number';
  if (candidate.region !== earlier.region) return null;
  if (!isIsoDate(candidate.date) || !isIsoDate(earlier.date)) return null;
  if (Math.abs(daysBetween(earlier.date, candidate.date)) > windowDays) return null;
  if (projectNameSimilarity(candidate.name, earlier.name) < PROJECT_NAME_SIMILARITY_THRESHOLD) return null;
  const code = normaliseCode(candidate.creditCode);
  if (code !== null && code === normaliseCode(earlier.creditCode)) return 'credit_code';
  const investor = normaliseName(candidate.investorName);
  if (investor !== '' && investor === normaliseName(earlier.investorName)) return 'investor_name';
  return null;
}

/** A confirmation as a command carries it: `of` another project, one of the matches, a reason. */
export function checkDuplicateConfirmation(
  value: unknown,
  field: string,
  projectId: string | null,
): Refusal | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) return refusal('INVALID_VALUE', field);
  const of = checkText(value.of, `${field}.of`);
  if (of) return of;
  if (projectId !== null && (value.of as string).trim() === projectId.trim())
    return refusal('DUPLICATE_OF_ITSELF', `${field}.of`);
  if (!DUPLICATE_MATCHES.includes(value.match as DuplicateMatch))
    return refusal('INVALID_VALUE', `${field}.match`);
  const reason = checkText(value.reason, `${field}.reason`);
  if (reason) return reason;
  return (value.reason as string).trim().length > TEXT_LIMITS.reason
    ? refusal('INVALID_VALUE', `${field}.reason`, {
        zh: `确认理由不能超过 ${TEXT_LIMITS.reason} 字`,
        en: `the reason cannot be longer than ${TEXT_LIMITS.reason} characters`,
      })
    : null;
}
