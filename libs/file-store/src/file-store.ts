import type { Readable } from 'node:stream';

/** What storing a stream gave: its content hash and size, and its first bytes to tell its type. */
export interface StoredContent {
  /** SHA-256 of the content, lower-case hex. */
  sha256: string;
  size: number;
  /** The first HEAD_BYTES bytes (fewer for a smaller file). */
  head: Buffer;
}

/** What re-reading stored content found: intact, gone, or no longer the bytes its hash names. */
export interface RehashResult {
  status: 'intact' | 'missing' | 'altered';
  /** The hash of what is stored now, when it was altered. */
  actualSha256?: string;
}

/**
 * Content-addressed storage of evidence files: content is kept once per SHA-256, however many
 * uploads name it. PostgreSQL stores it by default (PostgresFileStore); an object store can take
 * its place behind the same methods.
 */
export interface FileStore {
  /**
   * Streams the content in, hashing it as it goes, never holding it whole. Stored under its hash,
   * or dropped when that content is stored already. A stream that fails (the caller destroys it to
   * refuse it) leaves nothing stored and rejects with its error.
   */
  put(content: Readable): Promise<StoredContent>;
  /** The stored content as a stream; rejects with ContentNotFoundError when there is none. */
  open(sha256: string): Promise<Readable>;
  /** Removes the content (nothing when there is none). */
  remove(sha256: string): Promise<void>;
  /** Reads the stored bytes again and hashes them. */
  rehash(sha256: string): Promise<RehashResult>;
}

export class ContentNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`no stored content ${sha256}`);
    this.name = 'ContentNotFoundError';
  }
}
