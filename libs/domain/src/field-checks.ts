import type { DecisionContext } from './actor';
import {
  INVESTOR_FLAGS,
  INVESTOR_TYPES,
  isRegionCode,
  type ConstructionEvidence,
  type Investor,
  type InvestorFlag,
  type Site,
} from './attributes';
import { creditCodeProblem } from './credit-code';
import {
  EVIDENCE_MEDIA_TYPES,
  EVIDENCE_SLOTS,
  MAX_EVIDENCE_FILES,
  SHA256_PATTERN,
  type EvidenceFile,
  type EvidenceSlot,
} from './evidence';
import { tryParseYuan } from './money';
import { actingScope, scopeCovers } from './region-scope';
import { refusal, type Refusal } from './refusals';
import type { ProjectState } from './state';
import { STATISTICS_THRESHOLD } from './thresholds';
import { checkOneOf, checkText, isRecord, optionalText } from './validation';

/** Checks of structured command fields, shared by decide and corrections. */

/** The first refusal among checks, evaluated lazily in order. */
export function firstOf(...checks: (() => Refusal | null)[]): Refusal | null {
  for (const check of checks) {
    const r = check();
    if (r) return r;
  }
  return null;
}

/**
 * Whether a region a command names lies where the actor acts: the domain's acting scope
 * (region-scope.ts), the system everywhere. Admins send no project command, so the role gate has
 * refused them before any region is asked of.
 */
export function inScope(context: DecisionContext, region: string): boolean {
  return scopeCovers(actingScope(context.actor), region);
}

export function checkInvestor(value: unknown, field: string): Refusal | null {
  if (!isRecord(value)) return refusal('REQUIRED', field);
  return firstOf(
    () => checkText(value.name, `${field}.name`),
    () => checkOneOf(value.type, INVESTOR_TYPES, `${field}.type`),
    () =>
      Array.isArray(value.flags) && value.flags.every((f) => INVESTOR_FLAGS.includes(f as InvestorFlag))
        ? null
        : refusal('INVALID_VALUE', `${field}.flags`),
    () =>
      value.origin === undefined || value.origin === null || isRegionCode(value.origin)
        ? null
        : refusal('INVALID_VALUE', `${field}.origin`),
  );
}

export function normaliseInvestor(value: Investor): Investor {
  const flags = INVESTOR_FLAGS.filter((f) => value.flags.includes(f));
  return {
    name: value.name.trim(),
    type: value.type,
    flags,
    ...(value.origin ? { origin: value.origin } : {}),
  };
}

export function checkSite(value: unknown, field: string): Refusal | null {
  if (!isRecord(value)) return refusal('REQUIRED', field);
  if (value.kind === 'land_parcel') return checkText(value.parcelNumber, `${field}.parcelNumber`);
  if (value.kind === 'lease') return checkText(value.leaseContractNumber, `${field}.leaseContractNumber`);
  return refusal('INVALID_VALUE', `${field}.kind`);
}

export function normaliseSite(value: Site): Site {
  const area = optionalText(value.areaSquareMetres);
  if (value.kind === 'land_parcel') {
    return {
      kind: 'land_parcel',
      parcelNumber: value.parcelNumber.trim(),
      ...(area ? { areaSquareMetres: area } : {}),
    };
  }
  const address = optionalText(value.address);
  return {
    kind: 'lease',
    leaseContractNumber: value.leaseContractNumber.trim(),
    ...(address ? { address } : {}),
    ...(area ? { areaSquareMetres: area } : {}),
  };
}

export function checkEvidence(value: unknown, field: string): Refusal | null {
  if (!isRecord(value)) return refusal('REQUIRED', field);
  if (value.kind === 'construction_permit') return checkText(value.permitNumber, `${field}.permitNumber`);
  if (value.kind === 'other') return checkText(value.description, `${field}.description`);
  return refusal('INVALID_VALUE', `${field}.kind`);
}

export function normaliseEvidence(value: ConstructionEvidence): ConstructionEvidence {
  return value.kind === 'construction_permit'
    ? { kind: 'construction_permit', permitNumber: value.permitNumber.trim() }
    : { kind: 'other', description: value.description.trim() };
}

/** GB 32100-2015: length, alphabet and division code first, then the check character. */
export function checkCreditCode(value: unknown, field: string): Refusal | null {
  if (typeof value !== 'string') return refusal('REQUIRED', field);
  const problem = creditCodeProblem(value.trim().toUpperCase());
  if (problem === null) return null;
  return refusal(problem === 'check_character' ? 'CREDIT_CODE_CHECK_FAILED' : 'INVALID_CREDIT_CODE', field);
}

/** Planned investment at or above the 500万元 threshold of the fixed-asset investment statistics. */
export function qualifiesForStatistics(state: Pick<ProjectState, 'plannedInvestment'>): boolean {
  const planned = tryParseYuan(state.plannedInvestment);
  return planned !== null && planned >= STATISTICS_THRESHOLD;
}

function isEvidenceFile(value: unknown): value is EvidenceFile {
  if (!isRecord(value)) return false;
  const place = value.capturePlace;
  return (
    typeof value.fileId === 'string' &&
    value.fileId !== '' &&
    EVIDENCE_SLOTS.includes(value.slot as EvidenceSlot) &&
    typeof value.sha256 === 'string' &&
    SHA256_PATTERN.test(value.sha256) &&
    typeof value.name === 'string' &&
    value.name !== '' &&
    (EVIDENCE_MEDIA_TYPES as readonly unknown[]).includes(value.mediaType) &&
    Number.isSafeInteger(value.size) &&
    (value.size as number) > 0 &&
    (value.capturedAt === null || typeof value.capturedAt === 'string') &&
    (place === null ||
      (isRecord(place) && Number.isFinite(place.latitude) && Number.isFinite(place.longitude)))
  );
}

/** The files a command carries, as the API resolved them from uploads: well formed, each once. */
export function checkEvidenceFiles(value: unknown, field: string): Refusal | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length > MAX_EVIDENCE_FILES) return refusal('EVIDENCE_INVALID', field);
  const seen = new Set<string>();
  for (const [i, file] of value.entries()) {
    if (!isEvidenceFile(file)) return refusal('EVIDENCE_INVALID', `${field}[${i}]`);
    if (seen.has(file.fileId)) return refusal('EVIDENCE_DUPLICATE', `${field}[${i}].fileId`);
    seen.add(file.fileId);
  }
  return null;
}

/** The files an event records: only when some were given, so events without files keep their shape. */
export function evidenceOf(files: readonly EvidenceFile[] | undefined): { files?: EvidenceFile[] } {
  return files && files.length > 0 ? { files: files.map((f) => ({ ...f })) } : {};
}
