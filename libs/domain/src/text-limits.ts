import { MAX_TEXT_LENGTH } from './validation';

/**
 * How long each text of a command may be, in UTF-16 code units as JavaScript counts them. The API's
 * DTOs take their limits from here; MAX_TEXT_LENGTH bounds any other text the decider accepts.
 */
export const TEXT_LIMITS = {
  projectName: 200,
  investorName: 200,
  companyName: 200,
  address: 200,
  industryChain: 50,
  source: 50,
  leadingOfficial: 50,
  statisticsCode: 50,
  park: 100,
  contractNumber: 100,
  signingBatchId: 100,
  parcelNumber: 100,
  leaseContractNumber: 100,
  permitNumber: 100,
  responsibleDepartment: 100,
  deadlineId: 100,
  /** A person's id in the directory (服务专员, 首席服务官, 包保领导). */
  personId: 64,
  personName: 50,
  reason: 500,
  note: 500,
  evidenceDescription: 500,
  blockerDescription: MAX_TEXT_LENGTH,
  resolution: MAX_TEXT_LENGTH,
  visitSummary: MAX_TEXT_LENGTH,
} as const satisfies Record<string, number>;

export type TextField = keyof typeof TEXT_LIMITS;
