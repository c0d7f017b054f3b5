// The audit routes document no response bodies: these are the shapes apps/api/src/audit answers.

/** An event as GET /api/projects/{id}/history gives it. */
export interface HistoryEvent {
  version: number;
  type: string;
  businessTime: string;
  recordedAt: string;
  actorId: string;
  actorRole: string;
  commandId: string;
  hash: string;
  previousHash: string;
  data: Record<string, unknown>;
}

/** The first broken link of a chain, as verification names it. */
export interface BrokenLink {
  projectId: string;
  version: number;
  problem: string;
  detail: string;
  expected?: string;
  found?: string;
}

/** An evidence file whose stored content is gone, or no longer hashes to what its event recorded. */
export interface FileFinding {
  projectId: string;
  version: number;
  fileId: string;
  name: string;
  problem: 'file_missing' | 'file_altered';
  detail: string;
  expected: string;
  found?: string;
}

export interface VerifyReport {
  ok: boolean;
  projects: number;
  events: number;
  broken: BrokenLink[];
  /** The evidence files the events recorded, re-hashed. */
  files?: { checked: number; broken: FileFinding[] };
}

export interface CheckpointSummary {
  id: number;
  createdAt: string;
  projects: number;
  events: number;
  merkleRoot: string;
}

export interface CheckpointVerdict {
  ok: boolean;
  signatureValid: boolean;
  trustedKey: boolean;
  merkleRootValid: boolean;
  checkpointId: number | null;
  projectsChecked: number;
  findings: BrokenLink[];
}

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
