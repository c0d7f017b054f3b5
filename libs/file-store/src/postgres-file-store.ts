import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { ContentNotFoundError, type FileStore, type RehashResult, type StoredContent } from './file-store';
import { HEAD_BYTES } from './sniff';

/** The size of a stored chunk: large enough that a 200 MB file is 200 rows, small enough to stream. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * Content in PostgreSQL: chunks written as they arrive under a fresh chunks_id, then one row in
 * file_contents naming them by the content's hash. When that hash is stored already, the new chunks
 * are dropped (the same file twice is stored once).
 */
export class PostgresFileStore implements FileStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  async put(content: Readable): Promise<StoredContent> {
    const chunksId = randomUUID();
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let seq = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      const bytes = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await this.dataSource.query(`INSERT INTO file_chunks (chunks_id, seq, bytes) VALUES ($1, $2, $3)`, [
        chunksId,
        seq++,
        bytes,
      ]);
    };
    try {
      for await (const piece of content) {
        const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
        hash.update(buffer);
        size += buffer.length;
        if (headBytes < HEAD_BYTES) {
          const part = buffer.subarray(0, HEAD_BYTES - headBytes);
          head.push(part);
          headBytes += part.length;
        }
        pending.push(buffer);
        pendingBytes += buffer.length;
        while (pendingBytes >= this.chunkBytes) {
          const all = Buffer.concat(pending, pendingBytes);
          pending = [all.subarray(0, this.chunkBytes)];
          pendingBytes = this.chunkBytes;
          const rest = all.subarray(this.chunkBytes);
          await flush();
          if (rest.length > 0) {
            pending = [rest];
            pendingBytes = rest.length;
          }
        }
      }
      await flush();
    } catch (e) {
      await this.dropChunks(chunksId);
      throw e;
    }
    const sha256 = hash.digest('hex');
    // Stored already: keep the old chunks. stored_at is touched either way, so that the cleanup of
    // content no upload names does not take it away before this upload's row names it.
    const [row] = await this.dataSource.query<{ chunks_id: string }[]>(
      `INSERT INTO file_contents (sha256, chunks_id, size, chunks) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sha256) DO UPDATE SET stored_at = now()
       RETURNING chunks_id`,
      [sha256, chunksId, size, seq],
    );
    if (row.chunks_id !== chunksId) await this.dropChunks(chunksId);
    return { sha256, size, head: Buffer.concat(head, headBytes) };
  }

  async open(sha256: string): Promise<Readable> {
    const content = await this.content(sha256);
    if (!content) throw new ContentNotFoundError(sha256);
    return Readable.from(this.chunks(content.chunksId, content.chunks));
  }

  async remove(sha256: string): Promise<void> {
    const rows = await this.dataSource.query<[{ chunks_id: string }[], number]>(
      `DELETE FROM file_contents WHERE sha256 = $1 RETURNING chunks_id`,
      [sha256],
    );
    for (const row of rows[0] ?? []) await this.dropChunks(row.chunks_id);
  }

  async rehash(sha256: string): Promise<RehashResult> {
    const content = await this.content(sha256);
    if (!content) return { status: 'missing' };
    const hash = createHash('sha256');
    let found = 0;
    // Chunk by chunk by the primary key: a gap in the sequence is read as what is there.
    for await (const bytes of this.chunks(content.chunksId, content.chunks, true)) {
      hash.update(bytes);
      found++;
    }
    if (found === 0 && content.chunks > 0) return { status: 'missing' };
    const actual = hash.digest('hex');
    return actual === sha256 ? { status: 'intact' } : { status: 'altered', actualSha256: actual };
  }

  private async content(sha256: string): Promise<{ chunksId: string; chunks: number } | null> {
    const rows = await this.dataSource.query<{ chunks_id: string; chunks: number }[]>(
      `SELECT chunks_id, chunks FROM file_contents WHERE sha256 = $1`,
      [sha256],
    );
    return rows[0] ? { chunksId: rows[0].chunks_id, chunks: rows[0].chunks } : null;
  }

  /** One chunk at a time, so that reading never holds more than a chunk. */
  private async *chunks(chunksId: string, count: number, skipMissing = false): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < count; seq++) {
      const rows = await this.dataSource.query<{ bytes: Buffer }[]>(
        `SELECT bytes FROM file_chunks WHERE chunks_id = $1 AND seq = $2`,
        [chunksId, seq],
      );
      if (!rows[0]) {
        if (skipMissing) continue;
        throw new Error(`chunk ${seq} of ${chunksId} is missing`);
      }
      yield rows[0].bytes;
    }
  }

  private async dropChunks(chunksId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM file_chunks WHERE chunks_id = $1`, [chunksId]);
  }
}
