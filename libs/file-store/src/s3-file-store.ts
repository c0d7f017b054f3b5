import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { DataSource } from 'typeorm';
import { ContentNotFoundError, type FileStore, type RehashResult, type StoredContent } from './file-store';
import { HEAD_BYTES } from './sniff';

/** Where the temporary object of an upload in progress goes, before it is known by its hash. */
export const S3_UPLOAD_PREFIX = 'uploading/';
/** A multipart upload's part: S3's smallest, so that an upload holds a few of them at most. */
const PART_BYTES = 5 * 1024 * 1024;
/** Parts sent at once; with PART_BYTES, what an upload holds in memory whatever the file's size. */
const QUEUE_SIZE = 2;

/** The variables (libs/config) that configure the store, as the API and the worker read them. */
export interface S3FileStoreSettings {
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_BUCKET?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_FORCE_PATH_STYLE: boolean;
}

/**
 * Content in an S3-compatible bucket, one object per SHA-256 (its lower-case hex is the key). An
 * upload streams to a temporary key while it is hashed, then is copied to its hash's key unless
 * that object is there already (the same file twice is stored once), and the temporary one goes.
 *
 * Given the database, it also keeps each content's row in file_contents (no chunks: the bytes are in
 * the bucket), which uploads name by their foreign key and whose stored_at the cleanup reads.
 */
export class S3FileStore implements FileStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly catalogue?: DataSource,
  ) {}

  static fromSettings(settings: S3FileStoreSettings, catalogue?: DataSource): S3FileStore {
    if (!settings.S3_BUCKET) throw new Error('S3_BUCKET is required for FILE_STORE=s3');
    const credentials =
      settings.S3_ACCESS_KEY_ID && settings.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: settings.S3_ACCESS_KEY_ID, secretAccessKey: settings.S3_SECRET_ACCESS_KEY }
        : undefined;
    const client = new S3Client({
      endpoint: settings.S3_ENDPOINT,
      region: settings.S3_REGION,
      forcePathStyle: settings.S3_FORCE_PATH_STYLE,
      credentials,
      // The SDK's default CRC checksums (trailing, aws-chunked) are not understood by every
      // S3-compatible server; the content's own SHA-256 is what this store checks.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3FileStore(client, settings.S3_BUCKET, catalogue);
  }

  async put(content: Readable): Promise<StoredContent> {
    const temporary = `${S3_UPLOAD_PREFIX}${randomUUID()}`;
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    const hashing = new Transform({
      transform(piece: Buffer | string, _encoding: BufferEncoding, done: TransformCallback) {
        const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
        hash.update(buffer);
        size += buffer.length;
        if (headBytes < HEAD_BYTES) {
          const part = buffer.subarray(0, HEAD_BYTES - headBytes);
          head.push(part);
          headBytes += part.length;
        }
        done(null, buffer);
      },
    });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: temporary, Body: hashing },
      partSize: PART_BYTES,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      // Both must finish: the content read to its end into the hash, and the upload of all of it.
      await Promise.all([pipeline(content, hashing), upload.done()]);
    } catch (e) {
      hashing.destroy();
      await upload.abort().catch(() => undefined);
      await this.deleteObject(temporary).catch(() => undefined);
      throw e;
    }
    const sha256 = hash.digest('hex');
    try {
      if (!(await this.exists(sha256))) {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: sha256,
            // Bucket and key need no escaping: the key is the prefix and a UUID.
            CopySource: `${this.bucket}/${temporary}`,
          }),
        );
      }
    } finally {
      await this.deleteObject(temporary);
    }
    // As the PostgreSQL store does: stored_at touched when it is there already, so that the cleanup
    // of content no upload names does not take it before this upload's row names it.
    await this.catalogue?.query(
      `INSERT INTO file_contents (sha256, chunks_id, size, chunks) VALUES ($1, $2, $3, 0)
       ON CONFLICT (sha256) DO UPDATE SET stored_at = now()`,
      [sha256, randomUUID(), size],
    );
    return { sha256, size, head: Buffer.concat(head, headBytes) };
  }

  async open(sha256: string): Promise<Readable> {
    const body = await this.get(sha256);
    if (!body) throw new ContentNotFoundError(sha256);
    return body;
  }

  async remove(sha256: string): Promise<void> {
    await this.catalogue?.query(`DELETE FROM file_contents WHERE sha256 = $1`, [sha256]);
    await this.deleteObject(sha256);
  }

  async rehash(sha256: string): Promise<RehashResult> {
    const body = await this.get(sha256);
    if (!body) return { status: 'missing' };
    const hash = createHash('sha256');
    for await (const piece of body) hash.update(piece as Buffer);
    const actual = hash.digest('hex');
    return actual === sha256 ? { status: 'intact' } : { status: 'altered', actualSha256: actual };
  }

  /** The object's bytes as they stream in, or null when there is no such object. */
  private async get(key: string): Promise<Readable | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body as Readable;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** S3 answers a delete of a key it does not have as done. */
  private async deleteObject(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }
}

function isNotFound(e: unknown): boolean {
  const error = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata?.httpStatusCode === 404;
}
