import type { EntityManager } from 'typeorm';
import { eventHash, GENESIS_HASH } from './hash';

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
 */
export async function appendEvents(manager: EntityManager, request: AppendRequest): Promise<AppendResult> {
  if (request.events.length === 0) throw new Error('appendEvents: nothing to append');
  await manager.query(
    `INSERT INTO event_streams (project_id, version, head_hash, updated_at) VALUES ($1, 0, $2, now())
     ON CONFLICT (project_id) DO NOTHING`,
    [request.projectId, GENESIS_HASH],
  );
  const [head] = await manager.query<{ version: number; head_hash: string }[]>(
    `SELECT version, head_hash FROM event_streams WHERE project_id = $1 FOR UPDATE`,
    [request.projectId],
  );

  const [existing] = await manager.query<{ version: number }[]>(
    `SELECT version FROM events WHERE event_id = $1`,
    [request.events[0].eventId],
  );
  if (existing) {
    const toVersion = existing.version + request.events.length - 1;
    const [last] = await manager.query<{ hash: string }[]>(
      `SELECT hash FROM events WHERE project_id = $1 AND version = $2`,
      [request.projectId, toVersion],
    );
    return {
      fromVersion: existing.version,
      toVersion,
      headHash: last?.hash ?? head.head_hash,
      duplicate: true,
    };
  }
  if (head.version !== request.expectedVersion) {
    throw new StreamVersionConflict(request.projectId, request.expectedVersion, head.version);
  }

  const recordedAt = request.recordedAt.toISOString();
  let previousHash = head.head_hash;
  const rows = request.events.map((event, i) => {
    const fields = {
      eventId: event.eventId,
      projectId: request.projectId,
      version: head.version + i + 1,
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

  // One statement for the whole batch: arrays unnested into rows.
  await manager.query(
    `INSERT INTO events (event_id, project_id, version, type, schema_version, data, business_time, recorded_at,
                         actor_id, actor_role, command_id, workflow_id, run_id, previous_hash, hash)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::text[],
                          $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                          $14::char(64)[], $15::char(64)[])`,
    [
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
    ],
  );
  const toVersion = head.version + rows.length;
  await manager.query(
    `UPDATE event_streams SET version = $2, head_hash = $3, updated_at = now() WHERE project_id = $1`,
    [request.projectId, toVersion, previousHash],
  );
  return { fromVersion: head.version + 1, toVersion, headHash: previousHash, duplicate: false };
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
