import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CheckpointDigest } from '@app/audit-integrity';
import type { StoredEvent } from '@app/persistence';
import type { LinkedPredecessor } from './chain-links';

/** A stored checkpoint as listed: when, how much it covers, and its Merkle root. */
export interface CheckpointSummary {
  id: number;
  createdAt: string;
  projects: number;
  events: number;
  merkleRoot: string;
}

/** Who read which part of the audit trail, and in which request. */
export interface AuditReading {
  actorId: string;
  actorRole: string;
  method: string;
  path: string;
  requestId: string | null;
}

/** An event of a history page, beside the event its link points back to (null before the first). */
export interface PagedEvent {
  event: StoredEvent;
  before: LinkedPredecessor | null;
}

// The columns readStream (libs/persistence) reads, of the page's event `e`.
const EVENT_COLUMNS = `e.global_position::text AS "globalPosition", e.event_id AS "eventId",
  e.project_id AS "projectId", e.version, e.type, e.schema_version AS "schemaVersion", e.data,
  e.business_time AS "businessTime",
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
  e.actor_id AS "actorId", e.actor_role AS "actorRole", e.command_id AS "commandId",
  e.workflow_id AS "workflowId", e.run_id AS "runId", e.previous_hash AS "previousHash", e.hash`;

/** The audit tables the API reads and writes itself: checkpoints, and the log of audit reads. */
@Injectable()
export class AuditQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest 200 checkpoints, newest first. */
  async checkpoints(): Promise<CheckpointSummary[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT id, created_at, projects, events, merkle_root FROM audit_checkpoints ORDER BY id DESC LIMIT 200`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      createdAt: (r.created_at as Date).toISOString(),
      projects: r.projects as number,
      events: Number(r.events),
      merkleRoot: r.merkle_root as string,
    }));
  }

  /** A checkpoint's signed digest; undefined when there is no such checkpoint. */
  async digest(id: number): Promise<CheckpointDigest | undefined> {
    const [row] = await this.dataSource.query<{ digest: CheckpointDigest }[]>(
      `SELECT digest FROM audit_checkpoints WHERE id = $1`,
      [id],
    );
    return row?.digest;
  }

  /**
   * Up to `limit` events of a project after `afterVersion`, in version order (of one type when given),
   * each with the version and hash of the event just below it: one index probe per event, so a page's
   * first link is checked without reading the stream before it.
   */
  async historyPage(
    projectId: string,
    page: { afterVersion: number; limit: number; type: string | null },
  ): Promise<PagedEvent[]> {
    const rows = await this.dataSource.query<
      (StoredEvent & { beforeVersion: number | null; beforeHash: string | null })[]
    >(
      `SELECT ${EVENT_COLUMNS}, b.version AS "beforeVersion", b.hash AS "beforeHash"
       FROM events e
       LEFT JOIN LATERAL (
         SELECT version, hash FROM events
         WHERE project_id = e.project_id AND version < e.version
         ORDER BY version DESC LIMIT 1
       ) b ON true
       WHERE e.project_id = $1 AND e.version > $2 AND ($3::text IS NULL OR e.type = $3)
       ORDER BY e.version LIMIT $4`,
      [projectId, page.afterVersion, page.type, page.limit],
    );
    return rows.map(({ beforeVersion, beforeHash, ...event }) => ({
      event,
      before: beforeVersion === null ? null : { version: beforeVersion, hash: beforeHash! },
    }));
  }

  /** How many events a project's history holds (of one type when given). */
  async historySize(projectId: string, type: string | null): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM events WHERE project_id = $1 AND ($2::text IS NULL OR type = $2)`,
      [projectId, type],
    );
    return row.n;
  }

  async recordRead(reading: AuditReading): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_reads (actor_id, actor_role, method, path, request_id) VALUES ($1, $2, $3, $4, $5)`,
      [reading.actorId, reading.actorRole, reading.method, reading.path, reading.requestId],
    );
  }
}
