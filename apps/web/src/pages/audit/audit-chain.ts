import type { components } from '../../api/schema';

// The audit routes' answers as the API documents them (apps/api/src/audit/audit.views.ts), from the
// generated schema (not through the client, so that pure specs can import this file).
type Schemas = components['schemas'];

/** An event as GET /api/projects/{id}/history gives it. */
export type HistoryEvent = Schemas['HistoryEventView'];
/** The first broken link of a chain, as verification names it. */
export type BrokenLink = Schemas['BrokenLinkView'];
/** An evidence file whose stored content is gone, or no longer hashes to what its event recorded. */
export type FileFinding = Schemas['FileFindingView'];
export type VerifyReport = Schemas['VerifyReportView'];
export type CheckpointSummary = Schemas['CheckpointSummaryView'];
export type CheckpointVerdict = Schemas['CheckpointVerdictView'];

/** The hash before a chain's first event (libs/persistence's GENESIS_HASH). */
export const GENESIS_HASH = '0'.repeat(64);

/** Each event with the verdict on its link to the one before it. */
export interface ChainRow extends HistoryEvent {
  broken?: BrokenLink;
  unchecked: boolean;
}

/** Links each event to its predecessor's hash and places the first broken link verification named. */
export function chainRows(history: HistoryEvent[], report: VerifyReport | null): ChainRow[] {
  // One project's report names at most one link; a stream head beyond the events falls on the last.
  const named = report?.broken[0];
  let brokenAt = named ? Math.min(named.version, history.at(-1)?.version ?? named.version) : Infinity;
  return history.map((e, i) => {
    const previous = i === 0 ? GENESIS_HASH : history[i - 1].hash;
    // A link the page can see is wrong is broken whatever the report says.
    if (e.previousHash !== previous && e.version < brokenAt) brokenAt = e.version;
    const broken =
      e.version === brokenAt
        ? named && Math.min(named.version, history.at(-1)!.version) === e.version
          ? named
          : {
              projectId: '',
              version: e.version,
              problem: 'previous_hash_mismatch',
              detail: '',
              expected: previous,
              found: e.previousHash,
            }
        : undefined;
    return { ...e, broken, unchecked: !report || e.version > brokenAt };
  });
}
