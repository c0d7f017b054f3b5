import { refusal, type Refusal } from './refusals';

/**
 * Evidence files: what proves a step (入统's filing and contract, 开工's photo or permit, 落地's land or
 * lease document). A command refers to files uploaded before it; the event records each file's
 * content hash and what was read from its content, so that the hash chain covers the evidence.
 */

/** The slot a file fills: which document it is. */
export type EvidenceSlot =
  | 'filing_document'
  | 'construction_contract'
  | 'site_photo'
  | 'business_licence'
  | 'start_photo'
  | 'construction_permit'
  | 'land_document'
  | 'lease_contract'
  | 'funds_receipt'
  | 'resolution_document'
  | 'visit_photo'
  | 'other';

export const EVIDENCE_SLOTS: readonly EvidenceSlot[] = [
  'filing_document',
  'construction_contract',
  'site_photo',
  'business_licence',
  'start_photo',
  'construction_permit',
  'land_document',
  'lease_contract',
  'funds_receipt',
  'resolution_document',
  'visit_photo',
  'other',
];

export const EVIDENCE_SLOT_LABELS: Record<EvidenceSlot, string> = {
  filing_document: '备案或核准文件',
  construction_contract: '施工合同',
  site_photo: '现场照片（带日期）',
  business_licence: '营业执照',
  start_photo: '开工现场照片（桩基施工）',
  construction_permit: '施工许可证',
  land_document: '土地出让合同或成交确认书',
  lease_contract: '厂房租赁合同',
  funds_receipt: '资金到位凭证',
  resolution_document: '堵点办结材料',
  visit_photo: '走访照片',
  other: '其他材料',
};

/** The media types a file may have, as sniffed from its content (never as the client names them). */
export const EVIDENCE_MEDIA_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/heic',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

/** Where a photo was taken, from its EXIF GPS tags. */
export interface CapturePlace {
  latitude: number;
  longitude: number;
}

/** What a command sends: an uploaded file and the slot it fills. */
export interface EvidenceReference {
  fileId: string;
  slot: EvidenceSlot;
}

/** What an event records of a file: its content hash and what was read from the content itself. */
export interface EvidenceFile {
  fileId: string;
  slot: EvidenceSlot;
  /** SHA-256 of the content, lower-case hex. */
  sha256: string;
  /** The name the uploader gave it. */
  name: string;
  mediaType: EvidenceMediaType;
  /** Bytes. */
  size: number;
  /** EXIF DateTimeOriginal of a photo, as an ISO date-time without zone (the camera's clock), or null. */
  capturedAt: string | null;
  capturePlace: CapturePlace | null;
}

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** At most this many files in one command. */
export const MAX_EVIDENCE_FILES = 20;

/** The steps the policy can ask evidence for. */
export type EvidenceStep = 'land' | 'start_construction' | 'enter_statistics' | 'start_production';
export const EVIDENCE_STEPS: readonly EvidenceStep[] = [
  'land',
  'start_construction',
  'enter_statistics',
  'start_production',
];

/**
 * What each step needs: a list of documents, each given as the slots any one of which provides it
 * (开工 is shown by a start photo or by the permit). A step not named needs nothing.
 */
export type EvidenceRequirements = Partial<Record<EvidenceStep, EvidenceSlot[][]>>;

/**
 * Local rules: 入统 needs the filing or approval, the construction contract, dated site photos and the
 * business licence ("先入库,后有数"); 开工 a photo of real construction or the permit; 落地 the land
 * or the lease document.
 */
export const DEFAULT_EVIDENCE_REQUIREMENTS: EvidenceRequirements = {
  land: [['land_document', 'lease_contract']],
  start_construction: [['start_photo', 'construction_permit']],
  enter_statistics: [['filing_document'], ['construction_contract'], ['site_photo'], ['business_licence']],
};

const STEP_OF_COMMAND: Record<string, EvidenceStep> = {
  Land: 'land',
  StartConstruction: 'start_construction',
  EnterStatistics: 'enter_statistics',
  StartProduction: 'start_production',
};

/** The step a command records that the policy may ask evidence for, or null. */
export function evidenceStepOf(commandType: string): EvidenceStep | null {
  return STEP_OF_COMMAND[commandType] ?? null;
}

/** The documents a step needs that these files do not provide (each as its alternative slots). */
export function missingEvidence(
  requirements: EvidenceRequirements,
  step: EvidenceStep,
  files: readonly { slot: EvidenceSlot }[],
): EvidenceSlot[][] {
  const given = new Set(files.map((f) => f.slot));
  return (requirements[step] ?? []).filter((anyOf) => !anyOf.some((slot) => given.has(slot)));
}

/** How a missing document reads: its slots' labels joined by 或. */
export function evidenceRequirementLabel(anyOf: readonly EvidenceSlot[]): string {
  return anyOf.map((slot) => EVIDENCE_SLOT_LABELS[slot]).join('或');
}

/** The refusal of a step that lacks documents its policy asks for, naming each one missing. */
export function evidenceMissingRefusal(missing: readonly (readonly EvidenceSlot[])[]): Refusal {
  return refusal('EVIDENCE_MISSING', 'data.files', {
    zh: `缺少证明材料：${missing.map(evidenceRequirementLabel).join('、')}`,
    en: `missing evidence: ${missing.map((anyOf) => anyOf.join(' or ')).join(', ')}`,
  });
}
