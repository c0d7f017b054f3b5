import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '../event-store/canonical-json';
import { eventHash, GENESIS_HASH } from '../event-store/hash';
import type { StoredEvent } from '../event-store/event-store';

/** Where a chain is broken, named as precisely as the evidence allows. */
export interface BrokenLink {
  projectId: string;
  version: number;
  problem:
    | 'version_gap'
    | 'previous_hash_mismatch'
    | 'hash_mismatch'
    | 'head_mismatch'
    | 'missing_events'
    | 'rewritten_before_checkpoint';
  detail: string;
}

export interface ChainHead {
  projectId: string;
  version: number;
  headHash: string;
}

export interface VerifyReport {
  ok: boolean;
  projects: number;
  events: number;
  broken: BrokenLink[];
}

/** A stored event as the walk reads it: its global position is not hashed, so not read. */
type WalkedEvent = Omit<StoredEvent, 'globalPosition'>;

const EVENT_COLUMNS = `event_id AS "eventId", project_id AS "projectId",
  version, type, schema_version AS "schemaVersion", data, business_time AS "businessTime",
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
  actor_id AS "actorId", actor_role AS "actorRole", command_id AS "commandId", workflow_id AS "workflowId",
  run_id AS "runId", previous_hash AS "previousHash", hash`;

/** Follows one project's chain event by event, recomputing every hash from the event's content. */
class ChainWalk {
  version = 0;
  /** The hash recomputed from content, whatever the stored hashes say. */
  recomputed = GENESIS_HASH;
  private storedPrevious = GENESIS_HASH;
  broken: BrokenLink | null = null;

  constructor(readonly projectId: string) {}

  step(e: WalkedEvent): void {
    const hash = e.hash;
    // The event's content hash, over its stored link. While the chain is intact that link is the
    // recomputed hash before it, so the same digest is the recomputed chain too: one hash per event.
    // (eventHash reads the hashed fields only: the row's hash and position are left out.)
    const contentHash = eventHash(e);
    if (!this.broken) {
      if (e.version !== this.version + 1) {
        this.broken = this.link(
          e.version,
          'version_gap',
          `expected version ${this.version + 1}, found ${e.version}`,
        );
      } else if (e.previousHash !== this.storedPrevious) {
        this.broken = this.link(
          e.version,
          'previous_hash_mismatch',
          `the event before it hashes to ${this.storedPrevious}`,
        );
      } else if (contentHash !== hash) {
        this.broken = this.link(e.version, 'hash_mismatch', `its content hashes to ${contentHash}`);
      }
    }
    this.version = e.version;
    this.storedPrevious = hash;
    this.recomputed =
      e.previousHash === this.recomputed ? contentHash : eventHash({ ...e, previousHash: this.recomputed });
  }

  private link(version: number, problem: BrokenLink['problem'], detail: string): BrokenLink {
    return { projectId: this.projectId, version, problem, detail };
  }
}

/**
 * Reads every event of the chosen projects (or all) in stream order, in batches, and walks each chain.
 * `onChain` sees every project's walk when its last event has been read.
 */
async function walkChains(
  manager: EntityManager,
  options: { projectIds?: string[]; upTo?: Map<string, number>; batchSize?: number },
  onChain: (walk: ChainWalk) => void,
): Promise<number> {
  const batch = options.batchSize ?? 20_000;
  let after: [string, number] = ['', 0];
  let walk = null as ChainWalk | null;
  let events = 0;
  const fetch = (from: [string, number]) =>
    manager.query<WalkedEvent[]>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE (project_id, version) > ($1, $2) AND ($3::text[] IS NULL OR project_id = ANY($3::text[]))
       ORDER BY project_id, version LIMIT $4`,
      [from[0], from[1], options.projectIds ?? null, batch],
    );
  let pending = fetch(after);
  try {
    for (;;) {
      const rows = await pending;
      // The next batch is read while this one is hashed (one statement in flight at a time).
      if (rows.length === batch) {
        const last = rows[rows.length - 1];
        after = [last.projectId, last.version];
        pending = fetch(after);
        // Awaited at the top of the loop; a failure meanwhile must not surface as unhandled.
        pending.catch(() => undefined);
      }
      for (const e of rows) {
        const limit = options.upTo?.get(e.projectId);
        if (options.upTo && (limit === undefined || e.version > limit)) continue;
        if (walk?.projectId !== e.projectId) {
          if (walk) onChain(walk);
          walk = new ChainWalk(e.projectId);
        }
        walk.step(e);
        events++;
      }
      if (rows.length < batch) break;
    }
  } catch (e) {
    // A statement still running must end before the caller's transaction can roll back.
    await pending.catch(() => undefined);
    throw e;
  }
  if (walk) onChain(walk);
  return events;
}

/**
 * Recomputes every chain (or one project's) from the events' content and names the first broken link
 * of each: a gap in the versions, a link that does not point at the event before it, an event whose
 * content no longer gives its hash, or a stream head that the events do not reach.
 */
export async function verifyChains(
  manager: EntityManager,
  options: { projectId?: string } = {},
): Promise<VerifyReport & { heads: ChainHead[] }> {
  const streams = await manager.query<{ project_id: string; version: number; head_hash: string }[]>(
    `SELECT project_id, version, head_hash FROM event_streams WHERE ($1::text IS NULL OR project_id = $1)`,
    [options.projectId ?? null],
  );
  const heads = new Map(streams.map((s) => [s.project_id, s]));
  const broken: BrokenLink[] = [];
  const walked: ChainHead[] = [];
  const seen = new Set<string>();
  const events = await walkChains(
    manager,
    { projectIds: options.projectId ? [options.projectId] : undefined },
    (walk) => {
      seen.add(walk.projectId);
      if (walk.broken) broken.push(walk.broken);
      const head = heads.get(walk.projectId);
      if (!walk.broken && head && (head.version !== walk.version || head.head_hash !== walk.recomputed)) {
        broken.push({
          projectId: walk.projectId,
          version: head.version,
          problem: head.version > walk.version ? 'missing_events' : 'head_mismatch',
          detail: `the stream head says version ${head.version} (${head.head_hash}); the events reach version ${walk.version} (${walk.recomputed})`,
        });
      }
      walked.push({ projectId: walk.projectId, version: walk.version, headHash: walk.recomputed });
    },
  );
  for (const head of streams) {
    if (!seen.has(head.project_id)) {
      broken.push({
        projectId: head.project_id,
        version: 1,
        problem: 'missing_events',
        detail: `the stream head says version ${head.version}; no events remain`,
      });
    }
  }
  return { ok: broken.length === 0, projects: seen.size, events, broken, heads: walked };
}

/** Merkle root over chain heads, sorted by project id; leaves and nodes are domain-separated. */
export function merkleRoot(heads: ChainHead[]): string {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  let level = [...heads]
    .sort((a, b) => (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0))
    .map((h) => sha(`leaf:${canonicalJson(h)}`));
  if (level.length === 0) return sha('empty');
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? sha(`node:${level[i]}${level[i + 1]}`) : level[i]);
    }
    level = next;
  }
  return level[0];
}

/** The file an auditor keeps outside the database. */
export interface CheckpointDigest {
  format: 'lifecycle-checkpoint/1';
  checkpointId: number;
  createdAt: string;
  projects: number;
  events: number;
  merkleRoot: string;
  heads: ChainHead[];
  /** Ed25519 public key (SPKI, base64) that verifies `signature`. */
  publicKey: string;
  /** Ed25519 signature (base64) over the canonical JSON of every other field. */
  signature: string;
}

export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem))
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
}

function unsigned(digest: Omit<CheckpointDigest, 'signature'> & { signature?: string }): Buffer {
  const { signature: _signature, ...fields } = digest;
  return Buffer.from(canonicalJson(fields));
}

/**
 * Checkpoints every chain head: verifies all chains first (a checkpoint never vouches for a broken
 * one), then stores and returns the signed digest.
 */
export async function createCheckpoint(
  dataSource: DataSource,
  signingKeyPem: string,
  now: Date = new Date(),
): Promise<CheckpointDigest> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const report = await verifyChains(manager);
    if (!report.ok) {
      const first = report.broken[0];
      throw new Error(
        `chains are broken (first: ${first.projectId} v${first.version} ${first.problem}); no checkpoint taken`,
      );
    }
    const [{ id }] = await manager.query<{ id: string }[]>(
      `SELECT nextval(pg_get_serial_sequence('audit_checkpoints', 'id')) AS id`,
    );
    const key: KeyObject = createPrivateKey(signingKeyPem);
    const body: Omit<CheckpointDigest, 'signature'> = {
      format: 'lifecycle-checkpoint/1',
      checkpointId: Number(id),
      createdAt: now.toISOString(),
      projects: report.projects,
      events: report.events,
      merkleRoot: merkleRoot(report.heads),
      heads: [...report.heads].sort((a, b) => (a.projectId < b.projectId ? -1 : 1)),
      publicKey: publicKeyOf(signingKeyPem),
    };
    const digest: CheckpointDigest = {
      ...body,
      signature: sign(null, unsigned(body), key).toString('base64'),
    };
    await manager.query(
      `INSERT INTO audit_checkpoints (id, created_at, projects, events, merkle_root, digest) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [id, body.createdAt, body.projects, body.events, body.merkleRoot, JSON.stringify(digest)],
    );
    return digest;
  });
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

/**
 * Verifies the history against a digest kept outside the database: the signature (and that it is
 * the key the auditor trusts), the Merkle root, then each checkpointed chain recomputed from the
 * events' content up to its checkpointed version. A history rewritten before the checkpoint, even
 * with every hash recomputed and the trigger disabled, no longer reaches the checkpointed head.
 */
export async function verifyAgainstCheckpoint(
  manager: EntityManager,
  digest: CheckpointDigest,
  trustedPublicKey: string,
): Promise<CheckpointVerdict> {
  let signatureValid = false;
  try {
    const key = createPublicKey({
      key: Buffer.from(digest.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    signatureValid = verify(null, unsigned(digest), key, Buffer.from(digest.signature, 'base64'));
  } catch {
    signatureValid = false;
  }
  const trustedKey = digest.publicKey === trustedPublicKey;
  const heads = Array.isArray(digest.heads) ? digest.heads : [];
  const merkleRootValid = merkleRoot(heads) === digest.merkleRoot;
  const findings: BrokenLink[] = [];
  if (signatureValid && trustedKey && merkleRootValid) {
    const upTo = new Map(heads.map((h) => [h.projectId, h.version]));
    const reached = new Map<string, ChainWalk>();
    await walkChains(manager, { projectIds: [...upTo.keys()], upTo }, (walk) =>
      reached.set(walk.projectId, walk),
    );
    for (const head of heads) {
      const walk = reached.get(head.projectId);
      if (!walk || walk.version < head.version) {
        findings.push({
          projectId: head.projectId,
          version: (walk?.version ?? 0) + 1,
          problem: 'missing_events',
          detail: `the checkpoint holds version ${head.version}; the events reach only version ${walk?.version ?? 0}`,
        });
      } else if (walk.broken) {
        findings.push(walk.broken);
      } else if (walk.recomputed !== head.headHash) {
        findings.push({
          projectId: head.projectId,
          version: head.version,
          problem: 'rewritten_before_checkpoint',
          detail: `events 1–${head.version} now hash to ${walk.recomputed}; the checkpoint says ${head.headHash}`,
        });
      }
    }
  }
  return {
    ok: signatureValid && trustedKey && merkleRootValid && findings.length === 0,
    signatureValid,
    trustedKey,
    merkleRootValid,
    checkpointId: typeof digest.checkpointId === 'number' ? digest.checkpointId : null,
    projectsChecked: signatureValid && trustedKey && merkleRootValid ? heads.length : 0,
    findings,
  };
}
