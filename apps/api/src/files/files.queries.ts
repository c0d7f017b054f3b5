import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CapturePlace, EvidenceMediaType, ProjectScope } from '@app/domain';
import { markFilesReferenced } from '@app/file-store';

export interface UploadedFileRow {
  fileId: string;
  sha256: string;
  name: string;
  mediaType: EvidenceMediaType;
  size: number;
  capturedAt: string | null;
  capturePlace: CapturePlace | null;
  uploadedBy: string;
  uploadedAt: string;
  referencedAt: string | null;
}

interface RawRow {
  file_id: string;
  sha256: string;
  name: string;
  media_type: EvidenceMediaType;
  size: string;
  captured_at: string | null;
  capture_place: CapturePlace | null;
  uploaded_by: string;
  uploaded_at: Date;
  referenced_at: Date | null;
}

const COLUMNS = `file_id, sha256, name, media_type, size, captured_at, capture_place, uploaded_by,
                 uploaded_at, referenced_at`;

function toRow(raw: RawRow): UploadedFileRow {
  return {
    fileId: raw.file_id,
    sha256: raw.sha256,
    name: raw.name,
    mediaType: raw.media_type,
    size: Number(raw.size),
    capturedAt: raw.captured_at,
    capturePlace: raw.capture_place,
    uploadedBy: raw.uploaded_by,
    uploadedAt: raw.uploaded_at.toISOString(),
    referencedAt: raw.referenced_at?.toISOString() ?? null,
  };
}

/** The uploads table and which projects cite each file. */
@Injectable()
export class FileQueries {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: Omit<UploadedFileRow, 'uploadedAt' | 'referencedAt'>): Promise<UploadedFileRow> {
    const [raw] = await this.dataSource.query<RawRow[]>(
      `INSERT INTO uploaded_files (file_id, sha256, name, media_type, size, captured_at, capture_place, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        row.fileId,
        row.sha256,
        row.name,
        row.mediaType,
        row.size,
        row.capturedAt,
        row.capturePlace === null ? null : JSON.stringify(row.capturePlace),
        row.uploadedBy,
      ],
    );
    return toRow(raw);
  }

  async find(fileIds: readonly string[]): Promise<Map<string, UploadedFileRow>> {
    if (fileIds.length === 0) return new Map();
    const raws = await this.dataSource.query<RawRow[]>(
      `SELECT ${COLUMNS} FROM uploaded_files WHERE file_id = ANY($1::uuid[])`,
      [fileIds],
    );
    return new Map(raws.map((raw) => [raw.file_id, toRow(raw)]));
  }

  /**
   * The files any project cites, each with what the read rule needs of its projects (region, chief
   * officer); a project the read model does not hold yet is left out, the file still counted cited.
   */
  async projectsCiting(fileIds: readonly string[]): Promise<Map<string, ProjectScope[]>> {
    const byFile = new Map<string, ProjectScope[]>();
    if (fileIds.length === 0) return byFile;
    const raws = await this.dataSource.query<
      {
        file_id: string;
        project_id: string | null;
        region: string | null;
        chief_service_officer_id: string | null;
      }[]
    >(
      `SELECT r.file_id, p.project_id, p.region, p.chief_service_officer_id
       FROM file_references r LEFT JOIN projects p ON p.project_id = r.project_id::text
       WHERE r.file_id = ANY($1::uuid[])`,
      [fileIds],
    );
    for (const raw of raws) {
      const scopes = byFile.get(raw.file_id) ?? [];
      if (raw.project_id !== null) {
        scopes.push({ region: raw.region, chiefServiceOfficerId: raw.chief_service_officer_id });
      }
      byFile.set(raw.file_id, scopes);
    }
    return byFile;
  }

  markReferenced(fileIds: readonly string[], projectId: string): Promise<void> {
    return this.dataSource.transaction((m) => markFilesReferenced(m, fileIds, projectId));
  }
}
