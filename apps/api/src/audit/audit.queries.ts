import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CheckpointDigest } from '@app/audit-integrity';

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

  async recordRead(reading: AuditReading): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_reads (actor_id, actor_role, method, path, request_id) VALUES ($1, $2, $3, $4, $5)`,
      [reading.actorId, reading.actorRole, reading.method, reading.path, reading.requestId],
    );
  }
}
