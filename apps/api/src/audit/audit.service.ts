import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import { stateAt, type ProjectEvent, type ProjectState } from '@app/domain';
import {
  createCheckpoint,
  listAuditAlerts,
  publicKeyOf,
  verifyAgainstCheckpoint,
  verifyChains,
  type BrokenLink,
  type CheckpointDigest,
  type CheckpointVerdict,
  type VerifyReport,
} from '@app/audit-integrity';
import type { FileStore } from '@app/file-store';
import { readStream, type StoredEvent } from '@app/persistence';
import { FILE_STORE } from '../files/files.service';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { AuditQueries, type CheckpointSummary } from './audit.queries';
import { brokenLinkOf } from './chain-links';
import { verifyEvidenceFiles, type FilesVerdict } from './evidence-verification';

/** An event as the history shows it: as stored, with the verdict on its link to the event before it. */
export type HistoryEvent = StoredEvent & { brokenLink: BrokenLink | null };

/** One page of a history, and what the next one needs. */
export interface HistoryPage {
  events: HistoryEvent[];
  /** Every event of the history (of the type asked), on all pages. */
  total: number;
  /** The afterVersion of the next page; null on the last. */
  nextAfterVersion: number | null;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly queries: AuditQueries,
    @Inject(FILE_STORE) private readonly files: FileStore,
  ) {}

  /** A page of the history, each event's link checked against the event just before it. */
  async history(
    projectId: string,
    query: { afterVersion?: number; limit: number; type?: string },
  ): Promise<HistoryPage> {
    const type = query.type ?? null;
    // One more than the page: whether a next page exists, without counting what follows.
    const rows = await this.queries.historyPage(projectId, {
      afterVersion: query.afterVersion ?? 0,
      limit: query.limit + 1,
      type,
    });
    const page = rows.slice(0, query.limit);
    const total = await this.queries.historySize(projectId, type);
    return {
      events: page.map(({ event, before }) => ({ ...event, brokenLink: brokenLinkOf(event, before) })),
      total,
      nextAfterVersion: rows.length > query.limit ? page[page.length - 1].event.version : null,
    };
  }

  /** The state folded from the events alone (never the live read model), for the question asked. */
  async stateAt(
    projectId: string,
    question: { asOf?: string; knownAt?: string },
  ): Promise<{
    projectId: string;
    asOf: string | null;
    knownAt: string | null;
    eventsApplied: number;
    state: ProjectState;
  }> {
    const events = await readStream(this.dataSource.manager, projectId);
    const logged = events.map((e) => ({
      version: e.version,
      recordedAt: e.recordedAt,
      event: {
        type: e.type,
        schemaVersion: e.schemaVersion,
        businessTime: e.businessTime,
        data: e.data,
      } as ProjectEvent,
    }));
    const state = stateAt(logged, question);
    return {
      projectId,
      asOf: question.asOf ?? null,
      knownAt: question.knownAt ?? null,
      eventsApplied: state.version,
      state,
    };
  }

  /** The chains recomputed, and the stored evidence files re-hashed against what their events hold. */
  async verify(projectId?: string): Promise<VerifyReport & { files: FilesVerdict }> {
    const { heads: _heads, ...report } = await verifyChains(this.dataSource.manager, { projectId });
    const files = await verifyEvidenceFiles(this.dataSource.manager, this.files, { projectId });
    return { ...report, ok: report.ok && files.broken.length === 0, files };
  }

  checkpoint(): Promise<CheckpointDigest> {
    return createCheckpoint(this.dataSource, this.env.AUDIT_SIGNING_KEY);
  }

  checkpoints(): Promise<CheckpointSummary[]> {
    return this.queries.checkpoints();
  }

  alerts(): ReturnType<typeof listAuditAlerts> {
    return listAuditAlerts(this.dataSource.manager);
  }

  async digest(id: number): Promise<CheckpointDigest> {
    const digest = await this.queries.digest(id);
    if (!digest) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}not-found`,
        title: 'No such checkpoint',
        status: HttpStatus.NOT_FOUND,
        detail: `checkpoint ${id} does not exist`,
      });
    }
    return digest;
  }

  /** Checks the history against a digest, trusting only this deployment's own key. */
  verifyCheckpoint(digest: CheckpointDigest): Promise<CheckpointVerdict> {
    return verifyAgainstCheckpoint(this.dataSource.manager, digest, this.publicKey());
  }

  publicKey(): string {
    return publicKeyOf(this.env.AUDIT_SIGNING_KEY);
  }
}
