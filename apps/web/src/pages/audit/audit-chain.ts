import type { components } from '../../api/schema';

// The audit routes' answers as the API documents them (apps/api/src/audit/audit.views.ts), from the
// generated schema (not through the client, so that pure specs can import this file).
type Schemas = components['schemas'];

/**
 * An event as GET /api/projects/{id}/history gives it, with the API's verdict on its link to the event
 * before it (brokenLink: null when it holds). Without that verdict the page checks what it can see.
 */
export type HistoryEvent = Omit<Schemas['HistoryEventView'], 'brokenLink'> &
  Partial<Pick<Schemas['HistoryEventView'], 'brokenLink'>>;
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

/**
 * Each event of a page of the history with the verdict on its link, and the first broken link
 * verification named (over the whole chain) placed on it. `last`: the page ends the history.
 */
export function chainRows(
  history: HistoryEvent[],
  report: VerifyReport | null,
  page: { last: boolean } = { last: true },
): ChainRow[] {
  // One project's report names at most one link; a stream head beyond the events falls on the last
  // event, which only the last page holds.
  const named = report?.broken[0];
  const lastVersion = history.at(-1)?.version;
  const namedAt = !named
    ? Infinity
    : page.last && lastVersion !== undefined
      ? Math.min(named.version, lastVersion)
      : named.version;
  let brokenAt = namedAt;
  return history.map((e, i) => {
    const seen = e.brokenLink !== undefined ? e.brokenLink : linkOnPage(history, i);
    // A link the API (or the page) finds wrong is broken whatever the report says.
    if (seen && e.version < brokenAt) brokenAt = e.version;
    const broken =
      e.version === brokenAt ? (named && namedAt === e.version ? named : (seen ?? undefined)) : undefined;
    return { ...e, broken, unchecked: !report || e.version > brokenAt };
  });
}

/** An event's link checked against the one before it on the page (the first against the genesis). */
function linkOnPage(history: HistoryEvent[], i: number): BrokenLink | null {
  const e = history[i];
  if (i === 0 && e.version !== 1) return null;
  const previous = i === 0 ? GENESIS_HASH : history[i - 1].hash;
  if (e.previousHash === previous) return null;
  return {
    projectId: e.projectId,
    version: e.version,
    problem: 'previous_hash_mismatch',
    detail: '',
    expected: previous,
    found: e.previousHash,
  };
}
