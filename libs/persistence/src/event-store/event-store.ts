import type { PoolClient } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { eventHash, GENESIS_HASH, type HashedEventFields } from './hash';

export interface EventToAppend {
  eventId: string;
  type: string;
  schemaVersion: number;
  businessTime: string;
  data: unknown;
}

export interface AppendRequest {
  projectId: string;
  /** The stream version these events follow (0 for a new project). */
  expectedVersion: number;
  events: EventToAppend[];
  actor: { id: string; role: string };
  commandId: string;
  workflowId: string;
  runId: string;
  recordedAt: Date;
}

export interface AppendResult {
  fromVersion: number;
  toVersion: number;
  headHash: string;
  /** True when these events were already in the log (a retried append): nothing was written. */
  duplicate: boolean;
}

export class StreamVersionConflict extends Error {
  constructor(
    readonly projectId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`project ${projectId}: expected stream version ${expected}, found ${actual}`);
    this.name = 'StreamVersionConflict';
  }
}

export interface StoredEvent {
  globalPosition: string;
  eventId: string;
  projectId: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  businessTime: string;
  recordedAt: string;
  actorId: string;
  actorRole: string;
  commandId: string;
  workflowId: string;
  runId: string;
  previousHash: string;
  hash: string;
}

const SELECT_COLUMNS = `global_position::text AS "globalPosition", event_id AS "eventId", project_id AS "projectId",
  version, type, schema_version AS "schemaVersion", data, business_time AS "businessTime",
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
  actor_id AS "actorId", actor_role AS "actorRole", command_id AS "commandId", workflow_id AS "workflowId",
  run_id AS "runId", previous_hash AS "previousHash", hash`;

/**
 * Appends a command's events to a project's stream, chaining each one's hash to the one before.
 * Must run inside a transaction: the stream head row is locked until commit, so appends to one
 * project are serialised and versions stay contiguous. A retry of an append that already committed
 * is recognised by its first event id and writes nothing.
 *
 * One statement when the head is known (a new stream, or the stream this process appended to last),
 * otherwise two (lock the head; insert the events and move it): each round trip to the server costs
 * more than the work it carries.
 */
export async function appendEvents(manager: EntityManager, request: AppendRequest): Promise<AppendResult> {
  if (request.events.length === 0) throw new Error('appendEvents: nothing to append');
  const known = request.expectedVersion === 0 ? GENESIS : knownHeads.get(request.projectId);
  if (known?.version === request.expectedVersion) {
    // The head is known before reading anything (a new stream's, or the one this process last wrote
    // for it): the events are hashed against it, and one statement moves the head (creating it for a
    // new stream) only if it is still exactly that one, and inserts the events. It writes nothing if
    // the head is another or the first event is already in the log; the general path then decides.
    const rows = chain(request, known.version, known.hash);
    const last = rows[rows.length - 1];
    const moveHead =
      known.version === 0
        ? `INSERT INTO event_streams (project_id, version, head_hash, updated_at)
           SELECT $17, $18, $19, now() WHERE NOT EXISTS (SELECT 1 FROM existing)
           ON CONFLICT (project_id) DO NOTHING RETURNING 1`
        : `UPDATE event_streams SET version = $18, head_hash = $19, updated_at = now()
           WHERE project_id = $17 AND version = $20 AND head_hash = $21 AND NOT EXISTS (SELECT 1 FROM existing)
           RETURNING 1`;
    const [written] = await prepared<{ written: boolean }>(
      manager,
      known.version === 0 ? 'append_events_new_stream_v1' : 'append_events_known_head_v1',
      `WITH existing AS (SELECT 1 FROM events WHERE event_id = $16::uuid),
       head AS (${moveHead}),
       inserted AS (${INSERT_EVENT_ROWS} WHERE EXISTS (SELECT 1 FROM head))
       SELECT EXISTS (SELECT 1 FROM head) AS written`,
      [
        ...eventRowParams(rows),
        rows[0].eventId,
        request.projectId,
        last.version,
        last.hash,
        ...(known.version === 0 ? [] : [known.version, known.hash]),
      ],
    );
    if (written.written) {
      remember(request.projectId, last.version, last.hash);
      return {
        fromVersion: known.version + 1,
        toVersion: last.version,
        headHash: last.hash,
        duplicate: false,
      };
    }
  }
  const head = await lockHead(manager, request.projectId, request.expectedVersion);
  if (head.version !== request.expectedVersion) {
    // A retried append finds the head moved on by its own first attempt: that is not a conflict.
    const [existing] = await manager.query<{ version: number }[]>(
      `SELECT version FROM events WHERE event_id = $1`,
      [request.events[0].eventId],
    );
    if (existing) return await duplicate(manager, request, existing.version, head.head_hash);
    throw new StreamVersionConflict(request.projectId, request.expectedVersion, head.version);
  }

  const rows = chain(request, head.version, head.head_hash);
  const last = rows[rows.length - 1];
  // One statement for the whole batch (arrays unnested into rows) and the head; it writes nothing
  // when the first event is already in the log, and then says where.
  const [written] = await prepared<{ existing: number | null }>(
    manager,
    'append_events_v1',
    `WITH existing AS (SELECT version FROM events WHERE event_id = $16::uuid),
     inserted AS (
       ${INSERT_EVENT_ROWS} WHERE NOT EXISTS (SELECT 1 FROM existing)
     ),
     moved AS (
       UPDATE event_streams SET version = $18, head_hash = $19, updated_at = now()
       WHERE project_id = $17 AND NOT EXISTS (SELECT 1 FROM existing)
     )
     SELECT (SELECT version FROM existing) AS existing`,
    [...eventRowParams(rows), rows[0].eventId, request.projectId, last.version, last.hash],
  );
  if (written.existing !== null) return await duplicate(manager, request, written.existing, head.head_hash);
  remember(request.projectId, last.version, last.hash);
  return { fromVersion: head.version + 1, toVersion: last.version, headHash: last.hash, duplicate: false };
}

const GENESIS = { version: 0, hash: GENESIS_HASH };

/**
 * The head this process last wrote per stream, most recent last: a guess that lets the next append
 * skip reading the head. Never trusted: the append statement moves the head only if it is still
 * exactly this one (so a guess left by a transaction that rolled back, or another writer, only
 * costs the general path).
 */
const knownHeads = new Map<string, { version: number; hash: string }>();
const KNOWN_HEADS = 10_000;

function remember(projectId: string, version: number, hash: string): void {
  knownHeads.delete(projectId);
  knownHeads.set(projectId, { version, hash });
  if (knownHeads.size > KNOWN_HEADS) knownHeads.delete(knownHeads.keys().next().value!);
}

/** An events row as written: the hashed fields and the hash. */
export type EventRow = HashedEventFields & { hash: string };

/** The request's events as rows after the given head, each hash chained to the one before. */
function chain(request: AppendRequest, headVersion: number, headHash: string): EventRow[] {
  const recordedAt = request.recordedAt.toISOString();
  let previousHash = headHash;
  return request.events.map((event, i) => {
    const fields: HashedEventFields = {
      eventId: event.eventId,
      projectId: request.projectId,
      version: headVersion + i + 1,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      businessTime: event.businessTime,
      recordedAt,
      actorId: request.actor.id,
      actorRole: request.actor.role,
      commandId: request.commandId,
      workflowId: request.workflowId,
      runId: request.runId,
      previousHash,
    };
    const hash = eventHash(fields);
    previousHash = hash;
    return { ...fields, hash };
  });
}

/** Inserts rows given as parameters $1 to $15 (one array per column, see eventRowParams), unnested. */
export const INSERT_EVENT_ROWS = `INSERT INTO events (event_id, project_id, version, type, schema_version, data, business_time,
                         recorded_at, actor_id, actor_role, command_id, workflow_id, run_id, previous_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::text[],
                            $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                            $14::char(64)[], $15::char(64)[])`;

export function eventRowParams(rows: EventRow[]): unknown[] {
  return [
    rows.map((r) => r.eventId),
    rows.map((r) => r.projectId),
    rows.map((r) => r.version),
    rows.map((r) => r.type),
    rows.map((r) => r.schemaVersion),
    rows.map((r) => JSON.stringify(r.data)),
    rows.map((r) => r.businessTime),
    rows.map((r) => r.recordedAt),
    rows.map((r) => r.actorId),
    rows.map((r) => r.actorRole),
    rows.map((r) => r.commandId),
    rows.map((r) => r.workflowId),
    rows.map((r) => r.runId),
    rows.map((r) => r.previousHash),
    rows.map((r) => r.hash),
  ];
}

/**
 * Locks the project's stream head, creating it at version 0 if there is none. For an expected new
 * stream the insert is tried first, which returns the locked row in one statement.
 */
async function lockHead(
  manager: EntityManager,
  projectId: string,
  expectedVersion: number,
): Promise<{ version: number; head_hash: string }> {
  const create = () =>
    prepared<{ version: number; head_hash: string }>(
      manager,
      'append_events_create_head_v1',
      `INSERT INTO event_streams (project_id, version, head_hash, updated_at) VALUES ($1, 0, $2, now())
       ON CONFLICT (project_id) DO NOTHING RETURNING version, head_hash`,
      [projectId, GENESIS_HASH],
    );
  const lock = () =>
    prepared<{ version: number; head_hash: string }>(
      manager,
      'append_events_lock_head_v1',
      `SELECT version, head_hash FROM event_streams WHERE project_id = $1 FOR UPDATE`,
      [projectId],
    );
  if (expectedVersion === 0) {
    const [created] = await create();
    if (created) return created;
    return (await lock())[0];
  }
  const [head] = await lock();
  if (head) return head;
  await create();
  return (await lock())[0];
}

/**
 * Runs a statement prepared by name on the transaction's connection: the server parses and plans it
 * once per connection instead of on every append (about half the append statement's time). Outside
 * a transaction, or on another driver, it is an ordinary query.
 */
async function prepared<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive || manager.connection.options.type !== 'postgres')
    return manager.query<T[]>(text, values);
  const client = (await runner.connect()) as PoolClient;
  try {
    return (await client.query<T & object>({ name, text, values })).rows;
  } catch (e) {
    // The same error type TypeORM's own query would throw.
    throw new QueryFailedError(text, values, e as Error);
  }
}

/** What a retried append answers: where its events already are; nothing is written. */
async function duplicate(
  manager: EntityManager,
  request: AppendRequest,
  fromVersion: number,
  headHash: string,
): Promise<AppendResult> {
  const toVersion = fromVersion + request.events.length - 1;
  const [last] = await manager.query<{ hash: string }[]>(
    `SELECT hash FROM events WHERE project_id = $1 AND version = $2`,
    [request.projectId, toVersion],
  );
  return { fromVersion, toVersion, headHash: last?.hash ?? headHash, duplicate: true };
}

/** A project's events in version order. */
export async function readStream(manager: EntityManager, projectId: string): Promise<StoredEvent[]> {
  return await manager.query<StoredEvent[]>(
    `SELECT ${SELECT_COLUMNS} FROM events WHERE project_id = $1 ORDER BY version`,
    [projectId],
  );
}

/** Where a reader of the global log stands: the last (transaction id, position) it has read. */
export interface LogCheckpoint {
  transactionId: string;
  position: string;
}

export const LOG_START: LogCheckpoint = { transactionId: '0', position: '0' };

/**
 * The global log after `after`, read in (transaction id, position) order and only below the oldest
 * transaction still in flight. Every transaction below that horizon has ended, so an event that
 * commits late is never skipped: it is still above the horizon when later ones are read, and comes
 * after the checkpoint once it is below. (A position alone is not enough: a transaction may take its
 * id before another and its positions after.)
 */
export async function readAll(
  manager: EntityManager,
  after: LogCheckpoint,
  limit: number,
): Promise<{ events: (StoredEvent & { transactionId: string })[]; checkpoint: LogCheckpoint }> {
  const events = await manager.query<(StoredEvent & { transactionId: string })[]>(
    `SELECT transaction_id::text AS "transactionId", ${SELECT_COLUMNS} FROM events
     WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id, global_position LIMIT $3`,
    [after.transactionId, after.position, limit],
  );
  const last = events[events.length - 1];
  return {
    events,
    checkpoint: last ? { transactionId: last.transactionId, position: last.globalPosition } : after,
  };
}
