import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import sharp from 'sharp';
import { Environment } from '@app/config';
import {
  EVIDENCE_MEDIA_TYPES,
  mayRead,
  type Actor,
  type EvidenceFile,
  type EvidenceReference,
  type Role,
} from '@app/domain';
import { isPhoto, photoCapture, type FileStore } from '@app/file-store';
import { AuditQueries } from '../audit/audit.queries';
import { PROBLEM_BASE, ProblemException, roleNotAllowed, type FieldProblem } from '../common/problem-details';
import { UUID_PATTERN } from '../common/validators';
import { currentRequestId } from '../observability/request-context';
import type { FileView } from './files.dto';
import { FileQueries, type UploadedFileRow } from './files.queries';
import { receiveUpload, UploadRefused, type UploadRefusal } from './receive-upload';

/** The FileStore evidence is kept in (PostgreSQL by default), for whoever needs to read or re-hash it. */
export const FILE_STORE = Symbol('FILE_STORE');

/** Who may upload: whoever records steps or decides on them; auditors only read. */
export const UPLOADER_ROLES: readonly Role[] = ['officer', 'chief_officer', 'leader', 'admin'];

/** Thumbnails are made of images up to this size (read whole to be decoded). */
export const THUMBNAIL_MAX_SOURCE_BYTES = 32 * 1024 * 1024;
export const THUMBNAIL_PIXELS = 320;

function problem(status: number, slug: string, title: string, errors: FieldProblem[]): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}${slug}`,
    title,
    status,
    detail: errors.map((e) => e.message).join('; '),
    errors,
  });
}

function refusalProblem(refusal: UploadRefusal): ProblemException {
  switch (refusal.kind) {
    case 'missing':
      return problem(HttpStatus.BAD_REQUEST, 'validation', 'The request is not valid', [
        { field: 'file', rule: 'required', message: 'a multipart/form-data part named file is required' },
      ]);
    case 'not_form':
      return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type', 'The body must be a form', [
        {
          field: 'file',
          rule: 'multipart',
          message: 'the body must be multipart/form-data with a part named file',
        },
      ]);
    case 'too_large':
      return problem(HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large', 'The file is too large', [
        { field: 'file', rule: 'maxSize', message: `file must be at most ${refusal.maxBytes} bytes` },
      ]);
    case 'media_type':
      return problem(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'unsupported-media-type',
        'The file type is not allowed',
        [
          {
            field: 'file',
            rule: 'mediaType',
            message: `file must be one of ${EVIDENCE_MEDIA_TYPES.join(', ')} (told from its content)`,
          },
        ],
      );
    case 'malformed':
      return problem(HttpStatus.BAD_REQUEST, 'validation', 'The request is not valid', [
        { field: 'file', rule: 'multipart', message: refusal.message },
      ]);
  }
}

function notFound(fileId: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}not-found`,
    title: 'No such file',
    status: HttpStatus.NOT_FOUND,
    detail: `file ${fileId} does not exist`,
    code: 'FILE_NOT_FOUND',
  });
}

function view(row: UploadedFileRow): FileView {
  return {
    fileId: row.fileId,
    sha256: row.sha256,
    name: row.name,
    mediaType: row.mediaType,
    size: row.size,
    capturedAt: row.capturedAt,
    capturePlace: row.capturePlace,
    uploadedAt: row.uploadedAt,
    referenced: row.referencedAt !== null,
  };
}

/** A header's filename="…": printable ASCII only, quotes and backslashes replaced. */
function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/** RFC 5987 percent-encoding (encodeURIComponent leaves ' ( ) * as they are). */
function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Content-Disposition for a download: an ASCII name for old clients, the UTF-8 one for the rest. */
export function attachmentDisposition(name: string): string {
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${rfc5987(name)}`;
}

export interface FileDownload {
  file: FileView;
  body: Readable;
}

/**
 * Evidence files: upload (streamed into the FileStore, typed by content), metadata, content and
 * thumbnails to those who may read them, and for commands the files an actor may attach.
 */
@Injectable()
export class FilesService {
  constructor(
    @Inject(FILE_STORE) private readonly store: FileStore,
    private readonly queries: FileQueries,
    private readonly audit: AuditQueries,
    private readonly env: Environment,
  ) {}

  async upload(req: Request, actor: Actor): Promise<FileView> {
    if (!UPLOADER_ROLES.includes(actor.role)) {
      throw roleNotAllowed(`role ${actor.role} may not upload files; allowed: ${UPLOADER_ROLES.join(', ')}`);
    }
    if (!req.is('multipart/form-data')) throw refusalProblem({ kind: 'not_form' });
    let received;
    try {
      received = await receiveUpload(req, this.store, this.env.FILE_MAX_BYTES);
    } catch (e) {
      if (e instanceof UploadRefused) throw refusalProblem(e.refusal);
      throw e;
    }
    const { stored, mediaType, name } = received;
    const capture = isPhoto(mediaType)
      ? await photoCapture(stored.head)
      : { capturedAt: null, capturePlace: null };
    const row = await this.queries.insert({
      fileId: randomUUID(),
      sha256: stored.sha256,
      name,
      mediaType,
      size: stored.size,
      ...capture,
      uploadedBy: actor.id,
    });
    return view(row);
  }

  async metadata(fileId: string, actor: Actor, req: Request): Promise<FileView> {
    return view(await this.readable(fileId, actor, req));
  }

  async content(fileId: string, actor: Actor, req: Request): Promise<FileDownload> {
    const row = await this.readable(fileId, actor, req);
    return { file: view(row), body: await this.store.open(row.sha256) };
  }

  /** A JPEG of at most THUMBNAIL_PIXELS a side, for a JPEG or PNG image; 404 for anything else. */
  async thumbnail(fileId: string, actor: Actor, req: Request): Promise<Buffer> {
    const row = await this.readable(fileId, actor, req);
    if (
      (row.mediaType !== 'image/jpeg' && row.mediaType !== 'image/png') ||
      row.size > THUMBNAIL_MAX_SOURCE_BYTES
    ) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}not-found`,
        title: 'No thumbnail',
        status: HttpStatus.NOT_FOUND,
        detail: `file ${fileId} has no thumbnail: only JPEG and PNG images up to ${THUMBNAIL_MAX_SOURCE_BYTES} bytes have one`,
        code: 'THUMBNAIL_NOT_AVAILABLE',
      });
    }
    try {
      // Read whole first (sharp would buffer a streamed image anyway): a lost chunk is then an
      // error here, not a stream that never ends.
      const parts: Buffer[] = [];
      for await (const part of await this.store.open(row.sha256)) parts.push(part as Buffer);
      return await sharp(Buffer.concat(parts), { failOn: 'none', limitInputPixels: 100_000_000 })
        .rotate()
        .resize(THUMBNAIL_PIXELS, THUMBNAIL_PIXELS, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toBuffer();
    } catch (e) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}unprocessable`,
        title: 'The image cannot be read',
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        detail: `file ${fileId} is not a readable image: ${e instanceof Error ? e.message : String(e)}`,
        code: 'IMAGE_UNREADABLE',
      });
    }
  }

  /**
   * What a command's files are, for its event: each reference must name a file this actor may
   * attach (their own upload, or one already on a project they may read), once; the files together
   * within FILE_MAX_BYTES_PER_COMMAND. Refused as 422 naming files[i].fileId, or 413 naming files.
   */
  async evidenceFor(refs: readonly EvidenceReference[], actor: Actor): Promise<EvidenceFile[]> {
    const errors: FieldProblem[] = [];
    const seen = new Map<string, number>();
    refs.forEach((ref, i) => {
      const id = typeof ref.fileId === 'string' ? ref.fileId.toLowerCase() : '';
      const field = `files[${i}].fileId`;
      if (!UUID_PATTERN.test(id)) {
        errors.push({ field, rule: 'isUuid', message: `${field} must be a UUID` });
      } else if (seen.has(id)) {
        errors.push({
          field,
          rule: 'unique',
          message: `${field} names file ${id} again (files[${seen.get(id)}] names it already)`,
        });
      } else seen.set(id, i);
    });
    const ids = [...seen.keys()];
    const rows = await this.queries.find(ids);
    const citing = await this.queries.projectsCiting(ids);
    const files: EvidenceFile[] = [];
    refs.forEach((ref, i) => {
      const id = typeof ref.fileId === 'string' ? ref.fileId.toLowerCase() : '';
      if (seen.get(id) !== i) return;
      const row = rows.get(id);
      const field = `files[${i}].fileId`;
      if (!row || !this.mayAttach(row, citing.get(id), actor)) {
        errors.push({
          field,
          rule: 'attachable',
          message: `${field}: no file ${id} that you uploaded or that is on a project you may read`,
        });
        return;
      }
      files.push({
        fileId: row.fileId,
        slot: ref.slot,
        sha256: row.sha256,
        name: row.name,
        mediaType: row.mediaType,
        size: row.size,
        capturedAt: row.capturedAt,
        capturePlace: row.capturePlace,
      });
    });
    if (errors.length > 0) {
      throw problem(HttpStatus.UNPROCESSABLE_ENTITY, 'validation', 'The files cannot be attached', errors);
    }
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const max = this.env.FILE_MAX_BYTES_PER_COMMAND;
    if (total > max) {
      throw problem(HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large', 'The files are too large together', [
        {
          field: 'files',
          rule: 'maxTotalSize',
          message: `files must be at most ${max} bytes together; these are ${total}`,
        },
      ]);
    }
    return files;
  }

  /**
   * Records that an event of this project cites these files: they are kept, and its readers may
   * read them. In the event's own transaction, call markFilesReferenced (@app/file-store) instead.
   */
  markReferenced(fileIds: readonly string[], projectId: string): Promise<void> {
    return this.queries.markReferenced(fileIds, projectId);
  }

  private mayAttach(
    row: UploadedFileRow,
    citing: readonly { region: string | null; chiefServiceOfficerId: string | null }[] | undefined,
    actor: Actor,
  ): boolean {
    if (row.uploadedBy === actor.id) return true;
    return (citing ?? []).some((project) => mayRead(actor, project));
  }

  /**
   * The file if the actor may read it: its uploader until a project cites it, then whoever may read
   * one of those projects. Anyone else is told it does not exist. An auditor's every read is
   * recorded in audit_reads, as the audit trail's reads are.
   */
  private async readable(fileId: string, actor: Actor, req: Request): Promise<UploadedFileRow> {
    if (actor.role === 'auditor') {
      await this.audit.recordRead({
        actorId: actor.id,
        actorRole: actor.role,
        method: req.method,
        path: req.originalUrl,
        requestId: currentRequestId() ?? null,
      });
    }
    const row = (await this.queries.find([fileId])).get(fileId);
    if (!row) throw notFound(fileId);
    const citing = (await this.queries.projectsCiting([fileId])).get(fileId);
    const may = citing === undefined ? row.uploadedBy === actor.id : citing.some((p) => mayRead(actor, p));
    if (!may) throw notFound(fileId);
    return row;
  }
}
