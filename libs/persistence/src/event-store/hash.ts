import { hash } from 'node:crypto';
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

/** The fields' names in canonical (sorted) order, each with what precedes its value. */
const FIELD_NAMES: (keyof HashedEventFields)[] = [
  'actorId',
  'actorRole',
  'businessTime',
  'commandId',
  'data',
  'eventId',
  'previousHash',
  'projectId',
  'recordedAt',
  'runId',
  'schemaVersion',
  'type',
  'version',
  'workflowId',
];
const FIELD_KEYS = FIELD_NAMES.map((name) => `${JSON.stringify(name)}:`);

/**
 * canonicalJson of exactly the hashed fields, whatever else the object carries (a stored row's hash
 * and position are not hashed), without sorting their names for every event. Verification runs
 * this over every event of the log.
 */
function canonicalFields(fields: HashedEventFields): string {
  let out = '{';
  for (let i = 0; i < FIELD_NAMES.length; i++) {
    const value = fields[FIELD_NAMES[i]];
    if (value === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${FIELD_KEYS[i]}${canonicalJson(value)}`;
  }
  return `${out}}`;
}

/** SHA-256 over the canonical serialisation of the event, chained through `previousHash`. */
export function eventHash(fields: HashedEventFields): string {
  return hash('sha256', canonicalFields(fields), 'hex');
}
