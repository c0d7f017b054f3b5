import { eventHash, GENESIS_HASH } from './hash';
import type { StoredEvent } from './event-store';

export type ChainVerdict =
  | { ok: true; events: number; headHash: string }
  | {
      ok: false;
      projectId: string;
      version: number;
      problem: 'version_gap' | 'previous_hash_mismatch' | 'hash_mismatch';
      detail: string;
    };

/** Recomputes a project's chain from its stored events (in version order) and names the first broken link. */
export function verifyChain(events: StoredEvent[]): ChainVerdict {
  let previous = GENESIS_HASH;
  let expectedVersion = 1;
  for (const e of events) {
    if (e.version !== expectedVersion) {
      return {
        ok: false,
        projectId: e.projectId,
        version: e.version,
        problem: 'version_gap',
        detail: `expected version ${expectedVersion}`,
      };
    }
    if (e.previousHash !== previous) {
      return {
        ok: false,
        projectId: e.projectId,
        version: e.version,
        problem: 'previous_hash_mismatch',
        detail: `expected ${previous}`,
      };
    }
    const hash = e.hash;
    const recomputed = eventHash(e);
    if (recomputed !== hash) {
      return {
        ok: false,
        projectId: e.projectId,
        version: e.version,
        problem: 'hash_mismatch',
        detail: `recomputed ${recomputed}`,
      };
    }
    previous = hash;
    expectedVersion++;
  }
  return { ok: true, events: events.length, headHash: previous };
}
