/** The workflow the `morning-digest` schedule starts each morning: each person's digest, on working days. */
export const DIGEST_WORKFLOW_TYPE = 'morningDigestWorkflow';
export const DIGEST_SCHEDULE_ID = 'morning-digest';

export interface DigestWorkflowInput {
  /** Only these people's digests (tests that share a database with others); everyone's otherwise. */
  personIds?: string[];
}

export interface DigestWorkflowResult {
  /** The Asia/Shanghai day the run was for. */
  day: string;
  /** False on a weekend or holiday: nothing was gathered or queued. */
  workingDay: boolean;
  /** People with something in their digest. */
  people: number;
  /** Deliveries queued by this run (none again for a day already queued). */
  queued: number;
}
