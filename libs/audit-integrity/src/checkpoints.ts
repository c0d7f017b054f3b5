import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '@app/persistence';
import { eventHash, GENESIS_HASH } from '@app/persistence';
import type { StoredEvent } from '@app/persistence';

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
  /** What the chain should hold there and what it holds (hashes, or versions for a gap), for auditors to compare. */
  expected?: string;
  found?: string;
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

  /**
   * Starts the walk at a checkpointed head instead of the genesis: the event at the head's version
   * must still carry the checkpointed hash, and its content must still give it. False (and `broken`
   * set) when it does not: the chain no longer extends the checkpoint.
   */
  anchor(e: WalkedEvent | undefined, head: ChainHead): boolean {
    if (!e || e.version !== head.version) {
      this.broken = this.link(
        head.version,
        'missing_events',
        `the checkpointed head, version ${head.version}, is no longer in the log`,
      );
      return false;
    }
    if (e.hash !== head.headHash || eventHash(e) !== head.headHash) {
      this.broken = this.link(
        head.version,
        'rewritten_before_checkpoint',
        `event ${head.version} no longer has the checkpointed hash ${head.headHash}`,
        { expected: head.headHash, found: e.hash === head.headHash ? eventHash(e) : e.hash },
      );
      return false;
    }
    this.version = head.version;
    this.recomputed = head.headHash;
    this.storedPrevious = head.headHash;
    return true;
  }

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
          { expected: String(this.version + 1), found: String(e.version) },
        );
      } else if (e.previousHash !== this.storedPrevious) {
        this.broken = this.link(
          e.version,
          'previous_hash_mismatch',
          `the event before it hashes to ${this.storedPrevious}`,
          { expected: this.storedPrevious, found: e.previousHash },
        );
      } else if (contentHash !== hash) {
        this.broken = this.link(e.version, 'hash_mismatch', `its content hashes to ${contentHash}`, {
          expected: hash,
          found: contentHash,
        });
      }
    }
    this.version = e.version;
    this.storedPrevious = hash;
    this.recomputed =
      e.previousHash === this.recomputed ? contentHash : eventHash({ ...e, previousHash: this.recomputed });
  }

  link(
    version: number,
    problem: BrokenLink['problem'],
    detail: string,
    hashes?: { expected: string; found: string },
  ): BrokenLink {
    return { projectId: this.projectId, version, problem, detail, ...hashes };
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
          expected: head.head_hash,
          found: walk.recomputed,
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

/** A chain a checkpoint would not extend, and why. */
export type BlockedChain = BrokenLink;

export interface CheckpointOutcome {
  digest: CheckpointDigest;
  /** Chains not signed this time: their previous head (if any) is carried over unchanged. */
  blocked: BlockedChain[];
  /** Events whose hash was recomputed for this checkpoint (those after each previous head). */
  eventsHashed: number;
  /** The checkpoint the walk started from, if any. */
  basedOn: number | null;
}

/** The newest stored checkpoint this deployment's key signed: the heads the next one must extend. */
async function previousCheckpoint(
  manager: EntityManager,
  publicKey: string,
  onForged: (id: number) => Promise<void>,
): Promise<CheckpointDigest | null> {
  const rows = await manager.query<{ id: string; digest: CheckpointDigest }[]>(
    `SELECT id, digest FROM audit_checkpoints ORDER BY id DESC LIMIT 10`,
  );
  for (const row of rows) {
    if (row.digest.publicKey === publicKey && signatureHolds(row.digest)) return row.digest;
    // A stored checkpoint that this key did not sign was put there by hand.
    await onForged(Number(row.id));
  }
  return null;
}

function signatureHolds(digest: CheckpointDigest): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.from(digest.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    return verify(null, unsigned(digest), key, Buffer.from(digest.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Raises an alert for auditors, once per chain, version and problem. */
async function raiseAuditAlert(
  manager: EntityManager,
  alert: { kind: string; projectId?: string; version?: number; problem: string; detail: string },
  checkpointId: number | null,
): Promise<void> {
  await manager.query(
    `INSERT INTO audit_alerts (kind, project_id, version, problem, detail, checkpoint_id)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, project_id, version, problem) DO NOTHING`,
    [alert.kind, alert.projectId ?? '', alert.version ?? 0, alert.problem, alert.detail, checkpointId],
  );
}

/**
 * Reads, for each chain, its events from `fromVersion` on, grouping chains into statements of about
 * `batch` events (a chain longer than that is read alone).
 */
async function readFrom(
  manager: EntityManager,
  chains: { projectId: string; fromVersion: number; expected: number }[],
  batch: number,
  onChain: (projectId: string, events: WalkedEvent[]) => void,
): Promise<void> {
  let group: typeof chains = [];
  let size = 0;
  const flush = async () => {
    if (group.length === 0) return;
    const rows = await manager.query<WalkedEvent[]>(
      `SELECT ${EVENT_COLUMNS}
       FROM events e JOIN unnest($1::text[], $2::int[]) AS c(chain_id, from_version)
         ON e.project_id = c.chain_id AND e.version >= c.from_version
       ORDER BY e.project_id, e.version`,
      [group.map((c) => c.projectId), group.map((c) => c.fromVersion)],
    );
    const byChain = new Map<string, WalkedEvent[]>();
    for (const row of rows) {
      const list = byChain.get(row.projectId);
      if (list) list.push(row);
      else byChain.set(row.projectId, [row]);
    }
    for (const c of group) onChain(c.projectId, byChain.get(c.projectId) ?? []);
    group = [];
    size = 0;
  };
  for (const chain of chains) {
    if (size > 0 && size + chain.expected > batch) await flush();
    group.push(chain);
    size += Math.max(1, chain.expected);
  }
  await flush();
}

/**
 * Checkpoints every chain head, incrementally: each chain must still extend the head the previous
 * checkpoint signed (the event at that version still has that hash), and only the events after it
 * are re-hashed; a chain new since then is walked from its genesis. A chain that fails is not signed
 * (its previous head, if any, is carried over), is named in the outcome, and raises an alert to
 * auditors; the others are signed. The hash of every event newly covered is kept beside the
 * checkpoint, so a rewrite found later can be named at its first changed event.
 */
export async function takeCheckpoint(
  dataSource: DataSource,
  signingKeyPem: string,
  now: Date = new Date(),
  options: { batchSize?: number } = {},
): Promise<CheckpointOutcome> {
  const publicKey = publicKeyOf(signingKeyPem);
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const [{ id }] = await manager.query<{ id: string }[]>(
      `SELECT nextval(pg_get_serial_sequence('audit_checkpoints', 'id')) AS id`,
    );
    const checkpointId = Number(id);
    const alerts: Parameters<typeof raiseAuditAlert>[1][] = [];
    const previous = await previousCheckpoint(manager, publicKey, async (forged) => {
      alerts.push({
        kind: 'checkpoint_forged',
        version: forged,
        problem: 'signature_invalid',
        detail: `stored checkpoint ${forged} is not signed by this deployment's key; it was not used`,
      });
    });
    const base = new Map((previous?.heads ?? []).map((h) => [h.projectId, h]));
    const streams = await manager.query<{ project_id: string; version: number; head_hash: string }[]>(
      `SELECT project_id, version, head_hash FROM event_streams ORDER BY project_id`,
    );
    const streamOf = new Map(streams.map((s) => [s.project_id, s]));
    const chains = [...new Set([...streamOf.keys(), ...base.keys()])].sort().map((projectId) => {
      const from = base.get(projectId)?.version ?? 1;
      return {
        projectId,
        fromVersion: from,
        expected: (streamOf.get(projectId)?.version ?? from) - from + 1,
      };
    });

    const heads: ChainHead[] = [];
    const blocked: BlockedChain[] = [];
    const covered: { projectId: string; after: number; upTo: number }[] = [];
    let eventsHashed = 0;
    await readFrom(manager, chains, options.batchSize ?? 20_000, (projectId, events) => {
      const walk = new ChainWalk(projectId);
      const previousHead = base.get(projectId);
      let rest = events;
      if (previousHead) {
        eventsHashed++;
        if (!walk.anchor(events[0], previousHead)) {
          blocked.push(walk.broken!);
          heads.push(previousHead);
          return;
        }
        rest = events.slice(1);
      }
      for (const e of rest) walk.step(e);
      eventsHashed += rest.length;
      const stream = streamOf.get(projectId);
      if (
        !walk.broken &&
        (!stream || stream.version !== walk.version || stream.head_hash !== walk.recomputed)
      ) {
        walk.broken = walk.link(
          stream?.version ?? walk.version,
          !stream || stream.version > walk.version ? 'missing_events' : 'head_mismatch',
          `the stream head says version ${stream?.version ?? 'none'} (${stream?.head_hash ?? 'none'}); the events reach version ${walk.version} (${walk.recomputed})`,
          stream ? { expected: stream.head_hash, found: walk.recomputed } : undefined,
        );
      }
      if (walk.broken) {
        blocked.push(walk.broken);
        if (previousHead) heads.push(previousHead);
        return;
      }
      heads.push({ projectId, version: walk.version, headHash: walk.recomputed });
      covered.push({ projectId, after: previousHead?.version ?? 0, upTo: walk.version });
    });
    for (const [i, b] of blocked.entries()) {
      if (b.problem === 'rewritten_before_checkpoint') {
        // Name the rewrite where it starts, not at the head it no longer reaches.
        const changed = await firstChangedEvent(manager, base.get(b.projectId)!);
        if (changed)
          blocked[i] = { ...b, version: changed.version, detail: `${changed.detail}; ${b.detail}` };
      }
    }
    for (const b of blocked) {
      alerts.push({
        kind: 'chain_blocked',
        projectId: b.projectId,
        version: b.version,
        problem: b.problem,
        detail: b.detail,
      });
    }

    const key: KeyObject = createPrivateKey(signingKeyPem);
    const sorted = heads.sort((a, b) => (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0));
    const body: Omit<CheckpointDigest, 'signature'> = {
      format: 'lifecycle-checkpoint/1',
      checkpointId,
      createdAt: now.toISOString(),
      projects: sorted.length,
      events: sorted.reduce((n, h) => n + h.version, 0),
      merkleRoot: merkleRoot(sorted),
      heads: sorted,
      publicKey,
    };
    const digest: CheckpointDigest = {
      ...body,
      signature: sign(null, unsigned(body), key).toString('base64'),
    };
    await manager.query(
      `INSERT INTO audit_checkpoints (id, created_at, projects, events, merkle_root, digest, blocked)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
      [
        id,
        body.createdAt,
        body.projects,
        body.events,
        body.merkleRoot,
        JSON.stringify(digest),
        JSON.stringify(blocked),
      ],
    );
    // The hashes just verified, copied in the same snapshot: what this checkpoint vouched for.
    for (let i = 0; i < covered.length; i += 10_000) {
      const part = covered.slice(i, i + 10_000);
      await manager.query(
        `INSERT INTO audit_chain_links (project_id, version, hash, checkpoint_id)
         SELECT e.project_id, e.version, e.hash, $1
         FROM events e JOIN unnest($2::text[], $3::int[], $4::int[]) AS c(chain_id, after_version, up_to)
           ON e.project_id = c.chain_id AND e.version > c.after_version AND e.version <= c.up_to
         ON CONFLICT (project_id, version) DO NOTHING`,
        [id, part.map((c) => c.projectId), part.map((c) => c.after), part.map((c) => c.upTo)],
      );
    }
    for (const alert of alerts) await raiseAuditAlert(manager, alert, checkpointId);
    return { digest, blocked, eventsHashed, basedOn: previous?.checkpointId ?? null };
  });
}

/** takeCheckpoint's signed digest alone (chains it blocked are in audit_checkpoints.blocked and the alerts). */
export async function createCheckpoint(
  dataSource: DataSource,
  signingKeyPem: string,
  now: Date = new Date(),
): Promise<CheckpointDigest> {
  return (await takeCheckpoint(dataSource, signingKeyPem, now)).digest;
}

/**
 * The first event of a chain, up to a checkpointed head, whose stored hash or content no longer
 * matches the hash kept when a checkpoint covered it; null when the kept hashes are incomplete or
 * do not reach the signed head (then they cannot be trusted to say where).
 */
export async function firstChangedEvent(
  manager: EntityManager,
  head: ChainHead,
): Promise<{ version: number; detail: string } | null> {
  const kept = await manager.query<{ version: number; hash: string }[]>(
    `SELECT version, hash FROM audit_chain_links WHERE project_id = $1 AND version <= $2 ORDER BY version`,
    [head.projectId, head.version],
  );
  if (kept.length !== head.version || kept[kept.length - 1].hash !== head.headHash) return null;
  const events = await manager.query<WalkedEvent[]>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE project_id = $1 AND version <= $2 ORDER BY version`,
    [head.projectId, head.version],
  );
  const byVersion = new Map(events.map((e) => [e.version, e]));
  let previous = GENESIS_HASH;
  for (const k of kept) {
    const e = byVersion.get(k.version);
    if (!e) return { version: k.version, detail: `event ${k.version} is gone` };
    if (e.hash !== k.hash) {
      return {
        version: k.version,
        detail: `event ${k.version} is stored with hash ${e.hash}; it was checkpointed as ${k.hash}`,
      };
    }
    if (eventHash({ ...e, previousHash: previous }) !== k.hash) {
      return {
        version: k.version,
        detail: `the content of event ${k.version} no longer gives its checkpointed hash ${k.hash}`,
      };
    }
    previous = k.hash;
  }
  return null;
}

/** The alerts raised to auditors, newest first. */
export async function listAuditAlerts(
  manager: EntityManager,
  limit = 200,
): Promise<
  {
    id: number;
    raisedAt: string;
    kind: string;
    projectId: string | null;
    version: number | null;
    problem: string;
    detail: string;
    checkpointId: number | null;
  }[]
> {
  const rows = await manager.query<Record<string, unknown>[]>(
    `SELECT id, raised_at, kind, project_id, version, problem, detail, checkpoint_id
     FROM audit_alerts ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    raisedAt: (r.raised_at as Date).toISOString(),
    kind: r.kind as string,
    projectId: (r.project_id as string) || null,
    version: (r.version as number) || null,
    problem: r.problem as string,
    detail: r.detail as string,
    checkpointId: r.checkpoint_id === null ? null : Number(r.checkpoint_id),
  }));
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
  const signatureValid = signatureHolds(digest);
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
        // Every link holds, so the hashes were recomputed: the kept ones say where it starts.
        const changed = await firstChangedEvent(manager, head);
        findings.push({
          projectId: head.projectId,
          version: changed?.version ?? head.version,
          problem: 'rewritten_before_checkpoint',
          detail: `${changed ? `${changed.detail}; ` : ''}events 1–${head.version} now hash to ${walk.recomputed}; the checkpoint says ${head.headHash}`,
          expected: head.headHash,
          found: walk.recomputed,
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
