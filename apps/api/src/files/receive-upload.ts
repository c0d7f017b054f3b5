import busboy from 'busboy';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Request } from 'express';
import type { EvidenceMediaType } from '@app/domain';
import { HEAD_BYTES, sniffMediaType, type FileStore, type StoredContent } from '@app/file-store';

/** Why an upload was refused before it was stored. */
export type UploadRefusal =
  | { kind: 'missing' }
  | { kind: 'not_form' }
  | { kind: 'too_large'; maxBytes: number }
  | { kind: 'media_type' }
  | { kind: 'malformed'; message: string };

export class UploadRefused extends Error {
  constructor(readonly refusal: UploadRefusal) {
    super(refusal.kind);
    this.name = 'UploadRefused';
  }
}

export interface ReceivedFile {
  name: string;
  mediaType: EvidenceMediaType;
  stored: StoredContent;
}

/**
 * Holds back the first HEAD_BYTES of the content until its type is told from them, then lets it all
 * through; a type not allowed fails the stream before a byte is stored.
 */
class SniffingStream extends Transform {
  mediaType: EvidenceMediaType | null = null;
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(private readonly fileName: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.mediaType) return done(null, chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= HEAD_BYTES) this.decide(done);
    else done();
  }

  override _flush(done: TransformCallback): void {
    if (this.mediaType) done();
    else this.decide(done);
  }

  private decide(done: TransformCallback): void {
    const head = Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.mediaType = sniffMediaType(head, this.fileName);
    if (!this.mediaType) return done(new UploadRefused({ kind: 'media_type' }));
    done(null, head);
  }
}

/** What a form may add to its file: part headers, a few small fields, boundaries. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/** The name as the uploader gave it: its last path segment, without control characters. */
export function cleanFileName(raw: string | undefined): string {
  const name = (raw ?? '').split(/[\\/]/).pop() ?? '';
  return (
    name
      .replace(/\p{Cc}/gu, '')
      .trim()
      .slice(0, 255) || 'file'
  );
}

/**
 * Streams the multipart `file` part of the request into the store: never held whole, refused (and
 * nothing kept) past maxBytes or when its content is not an allowed type. Other parts are skipped.
 * On a refusal the rest of the request is read and dropped, so that the client gets the answer.
 */
export function receiveUpload(req: Request, store: FileStore, maxBytes: number): Promise<ReceivedFile> {
  return new Promise<ReceivedFile>((resolve, reject) => {
    // A body that says it is far larger is refused before a byte of it is stored.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD_BYTES) {
      req.resume();
      reject(new UploadRefused({ kind: 'too_large', maxBytes }));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: maxBytes, files: 1, fields: 20, parts: 40, fieldSize: 10_000 },
      });
    } catch (e) {
      reject(new UploadRefused({ kind: 'malformed', message: e instanceof Error ? e.message : String(e) }));
      return;
    }
    let storing: Promise<ReceivedFile> | null = null;
    let sniffing: SniffingStream | null = null;
    let settled = false;
    const fail = (cause: unknown): void => {
      if (settled) return;
      settled = true;
      const e = cause instanceof Error ? cause : new Error(String(cause));
      req.unpipe(parser);
      req.resume();
      sniffing?.destroy(e);
      // Whatever was being stored is dropped before the answer goes out.
      void (storing ?? Promise.resolve()).catch(() => undefined).finally(() => reject(e));
    };
    parser.on('file', (field: string, file: Readable, info: busboy.FileInfo) => {
      if (field !== 'file' || storing) {
        file.resume();
        return;
      }
      const name = cleanFileName(info.filename);
      const sniffer = new SniffingStream(name);
      sniffing = sniffer;
      file.on('limit', () => sniffer.destroy(new UploadRefused({ kind: 'too_large', maxBytes })));
      file.on('error', (e: Error) => sniffer.destroy(e));
      file.pipe(sniffer);
      storing = store.put(sniffer).then((stored) => ({ name, mediaType: sniffer.mediaType!, stored }));
      storing.catch(fail);
    });
    parser.on('error', (e: unknown) =>
      fail(
        e instanceof UploadRefused
          ? e
          : new UploadRefused({ kind: 'malformed', message: e instanceof Error ? e.message : String(e) }),
      ),
    );
    parser.on('close', () => {
      if (settled) return;
      if (!storing) return fail(new UploadRefused({ kind: 'missing' }));
      storing.then(
        (received) => {
          if (settled) return;
          settled = true;
          resolve(received);
        },
        (e: unknown) => fail(e),
      );
    });
    req.on('error', (e: Error) => fail(e));
    req.pipe(parser);
  });
}
