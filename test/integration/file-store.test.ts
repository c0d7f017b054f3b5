import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/persistence/src';
import { HEAD_BYTES, PostgresFileStore } from '../../libs/file-store/src';

/** The file store as the API and the worker hold it (the app role), and the owner behind its back. */
let app: DataSource;
let owner: DataSource;
let store: PostgresFileStore;
/** Small chunks, so that a file of a few hundred kilobytes has several. */
const CHUNK = 64 * 1024;

beforeAll(async () => {
  app = createDataSource(process.env.TEST_DATABASE_APP_URL ?? process.env.TEST_DATABASE_URL!);
  owner = createDataSource(process.env.TEST_DATABASE_URL!);
  await Promise.all([app.initialize(), owner.initialize()]);
  store = new PostgresFileStore(app, CHUNK);
}, 60_000);
afterAll(async () => {
  await app?.destroy();
  await owner?.destroy();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A stream of the content in uneven pieces, as a network gives it. */
function pieces(content: Buffer, size = 10_007): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < content.length; at += size) parts.push(content.subarray(at, at + size));
  return Readable.from(parts);
}

async function chunksOf(sha256: string): Promise<{ seq: number; length: number }[]> {
  return owner.query(
    `SELECT k.seq, length(k.bytes)::int AS length FROM file_chunks k
     JOIN file_contents c ON c.chunks_id = k.chunks_id WHERE c.sha256 = $1 ORDER BY k.seq`,
    [sha256],
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('PostgresFileStore', () => {
  it('stores content in chunks under its hash, gives its head, and reads it back', async () => {
    const content = randomBytes(5 * CHUNK + 123);
    const stored = await store.put(pieces(content));
    expect(stored.sha256).toBe(sha(content));
    expect(stored.size).toBe(content.length);
    expect(stored.head.equals(content.subarray(0, HEAD_BYTES))).toBe(true);
    expect(await chunksOf(stored.sha256)).toEqual([
      ...[0, 1, 2, 3, 4].map((seq) => ({ seq, length: CHUNK })),
      { seq: 5, length: 123 },
    ]);
    expect((await readAll(await store.open(stored.sha256))).equals(content)).toBe(true);
    expect(await store.rehash(stored.sha256)).toEqual({ status: 'intact' });
  });

  it('stores the same content once, and drops the chunks of the second copy', async () => {
    const content = randomBytes(2 * CHUNK + 5);
    const first = await store.put(pieces(content));
    const second = await store.put(pieces(content, 777));
    expect(second.sha256).toBe(first.sha256);
    const [row] = await owner.query<{ contents: number; chunks: number }[]>(
      `SELECT (SELECT count(*)::int FROM file_contents WHERE sha256 = $1) AS contents,
              (SELECT count(*)::int FROM file_chunks k WHERE position($2::bytea in k.bytes) > 0) AS chunks`,
      [first.sha256, content.subarray(0, 64)],
    );
    expect(row).toEqual({ contents: 1, chunks: 1 });
  });

  it('leaves no chunk behind when the stream fails halfway', async () => {
    const marker = randomBytes(64);
    const broken = Readable.from(
      (async function* () {
        yield Buffer.concat([marker, randomBytes(3 * CHUNK)]);
        throw new Error('client went away');
      })(),
    );
    await expect(store.put(broken)).rejects.toThrow('client went away');
    const [row] = await owner.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM file_chunks WHERE position($1::bytea in bytes) > 0`,
      [marker],
    );
    expect(row.n).toBe(0);
  });

  it('names a chunk altered behind its back (by the owner) as altered, with the hash it has now', async () => {
    const content = randomBytes(3 * CHUNK);
    const { sha256 } = await store.put(pieces(content));
    await owner.query(
      `UPDATE file_chunks SET bytes = overlay(bytes placing '\\x00ff'::bytea from 10)
       WHERE seq = 1 AND chunks_id = (SELECT chunks_id FROM file_contents WHERE sha256 = $1)`,
      [sha256],
    );
    const altered = Buffer.from(content);
    altered[CHUNK + 9] = 0x00;
    altered[CHUNK + 10] = 0xff;
    expect(await store.rehash(sha256)).toEqual({ status: 'altered', actualSha256: sha(altered) });
  });

  it('names content whose chunks or row were deleted as missing', async () => {
    const a = await store.put(pieces(randomBytes(2 * CHUNK)));
    await owner.query(
      `DELETE FROM file_chunks WHERE chunks_id = (SELECT chunks_id FROM file_contents WHERE sha256 = $1)`,
      [a.sha256],
    );
    expect(await store.rehash(a.sha256)).toEqual({ status: 'missing' });
    const b = await store.put(pieces(randomBytes(CHUNK)));
    await owner.query(`DELETE FROM file_contents WHERE sha256 = $1`, [b.sha256]);
    expect(await store.rehash(b.sha256)).toEqual({ status: 'missing' });
    await expect(store.open(b.sha256)).rejects.toThrow(`no stored content ${b.sha256}`);
  });

  it('a chunk lost from the middle makes the content altered, not intact', async () => {
    const { sha256 } = await store.put(pieces(randomBytes(3 * CHUNK)));
    await owner.query(
      `DELETE FROM file_chunks WHERE seq = 1 AND chunks_id = (SELECT chunks_id FROM file_contents WHERE sha256 = $1)`,
      [sha256],
    );
    expect((await store.rehash(sha256)).status).toBe('altered');
  });

  it('removes content and its chunks', async () => {
    const { sha256 } = await store.put(pieces(randomBytes(CHUNK + 1)));
    await store.remove(sha256);
    expect(await store.rehash(sha256)).toEqual({ status: 'missing' });
    expect(await chunksOf(sha256)).toEqual([]);
  });

  it('the app role cannot rewrite stored bytes or re-point content, only add and remove', async () => {
    const { sha256 } = await store.put(pieces(randomBytes(100)));
    await expect(
      app.query(
        `UPDATE file_chunks SET bytes = '\\x00'::bytea
         WHERE chunks_id = (SELECT chunks_id FROM file_contents WHERE sha256 = $1)`,
        [sha256],
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(app.query(`UPDATE file_contents SET size = 1 WHERE sha256 = $1`, [sha256])).rejects.toThrow(
      /permission denied/,
    );
    expect(await store.rehash(sha256)).toEqual({ status: 'intact' });
  });
});
