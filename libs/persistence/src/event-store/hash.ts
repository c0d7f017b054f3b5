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
const FIELD_PREFIXES = FIELD_NAMES.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);

/**
 * canonicalJson of exactly the hashed fields, without sorting their names for every event: when the
 * object holds those fields and no others, all defined, the string is the same; otherwise it is
 * canonicalJson itself.
 */
function canonicalFields(fields: HashedEventFields): string {
  if (Object.keys(fields).length !== FIELD_NAMES.length) return canonicalJson(fields);
  let out = '';
  for (let i = 0; i < FIELD_NAMES.length; i++) {
    const value = fields[FIELD_NAMES[i]];
    if (value === undefined) return canonicalJson(fields);
    out += FIELD_PREFIXES[i] + canonicalJson(value);
  }
  return `${out}}`;
}

/** SHA-256 over the canonical serialisation of the event, chained through `previousHash`. */
export function eventHash(fields: HashedEventFields): string {
  return createHash('sha256').update(canonicalFields(fields)).digest('hex');
}
