import { MAX_TEXT_LENGTH } from './validation';

/**
 * How long each text of a command, or of a record kept beside the projects, may be, in UTF-16 code
 * units as JavaScript counts them. The API's DTOs take their limits from here; MAX_TEXT_LENGTH
 * bounds any other text the decider accepts.
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
  /** What a 督办 item's step says (签收, 办理, 反馈, 复核, 办结). */
  supervisionNote: MAX_TEXT_LENGTH,
  /** What a reader of an alert is doing about it. */
  alertNote: 500,
  /** Why the policy changes. */
  policyReason: 500,
} as const satisfies Record<string, number>;

export type TextField = keyof typeof TEXT_LIMITS;
