import type { BrokenLink } from '@app/audit-integrity';
import { eventHash, GENESIS_HASH, type StoredEvent } from '@app/persistence';

/** The event a link points back to: the one with the highest version below it, if any. */
export interface LinkedPredecessor {
  version: number;
  hash: string;
}

/**
 * Whether one event's link holds, judged against the event before it alone (not the whole stream), in
 * the order a chain walk judges it (libs/audit-integrity): a gap in the versions, a link that does not
 * name the hash before it, then content that no longer gives the event's hash. Null when it holds.
 */
export function brokenLinkOf(e: StoredEvent, before: LinkedPredecessor | null): BrokenLink | null {
  const expectedVersion = (before?.version ?? 0) + 1;
  const link = (problem: BrokenLink['problem'], detail: string, expected: string, found: string) => ({
    projectId: e.projectId,
    version: e.version,
    problem,
    detail,
    expected,
    found,
  });
  if (e.version !== expectedVersion) {
    return link(
      'version_gap',
      `expected version ${expectedVersion}, found ${e.version}`,
      String(expectedVersion),
      String(e.version),
    );
  }
  const previous = before?.hash ?? GENESIS_HASH;
  if (e.previousHash !== previous) {
    return link(
      'previous_hash_mismatch',
      `the event before it hashes to ${previous}`,
      previous,
      e.previousHash,
    );
  }
  const contentHash = eventHash(e);
  if (contentHash !== e.hash) {
    return link('hash_mismatch', `its content hashes to ${contentHash}`, e.hash, contentHash);
  }
  return null;
}
