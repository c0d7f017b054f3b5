import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The hash that stands before a project's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything an event row records, except its global position and transaction id. */
export interface HashedEventFields {
  eventId: string;
  projectId: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  businessTime: string;
  recordedAt: string; // ISO-8601 with milliseconds, UTC
  actorId: string;
  actorRole: string;
  commandId: string;
  workflowId: string;
  runId: string;
  previousHash: string;
}

/** SHA-256 over the canonical serialisation of the event, chained through `previousHash`. */
export function eventHash(fields: HashedEventFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}
