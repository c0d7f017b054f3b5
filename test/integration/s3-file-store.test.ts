import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/persistence/src';
import {
  ContentNotFoundError,
  HEAD_BYTES,
  removeUnreferencedFiles,
  S3_UPLOAD_PREFIX,
  S3FileStore,
} from '../../libs/file-store/src';
import { type SeaweedS3, startSeaweedS3 } from '../support/seaweedfs';

/**
 * A real S3-compatible server (SeaweedFS) for this file, and the store over a bucket of its own with
 * its catalogue in PostgreSQL, as the API holds it (the app role).
 */
let seaweed: SeaweedS3;
let store: S3FileStore;
let app: DataSource;

beforeAll(async () => {
  app = createDataSource(process.env.TEST_DATABASE_APP_URL ?? process.env.TEST_DATABASE_URL!);
  await app.initialize();
  seaweed = await startSeaweedS3();
  store = S3FileStore.fromSettings(seaweed.settings, app);
}, 120_000);
afterAll(async () => {
  await seaweed?.stop();
  await app?.destroy();
}, 30_000);

/** The catalogue's rows for a content: its size and its chunks in PostgreSQL (none). */
async function catalogued(sha256: string): Promise<{ size: number; chunks: number }[]> {
  return app.query(`SELECT size::int AS size, chunks FROM file_contents WHERE sha256 = $1`, [sha256]);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A stream of the content in uneven pieces, as a network gives it. */
function pieces(content: Buffer, size = 64 * 1024 + 7): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < content.length; at += size) yield content.subarray(at, at + size);
    })(),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Every key in the bucket, as the object store lists it. */
async function keys(): Promise<string[]> {
  const out = await seaweed.client.send(new ListObjectsV2Command({ Bucket: seaweed.settings.S3_BUCKET }));
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

describe('S3FileStore against SeaweedFS', () => {
  it('streams a multi-part file in under its hash, gives its head, and reads the same bytes back', async () => {
    // Over two of the upload's 5 MiB parts, and not a multiple of them.
    const content = randomBytes(12 * 1024 * 1024 + 321);
    const stored = await store.put(pieces(content));
    expect(stored.sha256).toBe(sha(content));
    expect(stored.size).toBe(content.length);
    expect(stored.head.equals(content.subarray(0, HEAD_BYTES))).toBe(true);
    expect(await keys()).toContain(stored.sha256);
    expect(await catalogued(stored.sha256)).toEqual([{ size: content.length, chunks: 0 }]);
    expect((await readAll(await store.open(stored.sha256))).equals(content)).toBe(true);
    expect(await store.rehash(stored.sha256)).toEqual({ status: 'intact' });
    // The temporary object of the upload is gone.
    expect((await keys()).filter((k) => k.startsWith(S3_UPLOAD_PREFIX))).toEqual([]);
  });

  it('stores the same content twice as one object under its hash', async () => {
    const content = randomBytes(300_000);
    const first = await store.put(pieces(content));
    const second = await store.put(pieces(content, 777));
    expect(second.sha256).toBe(first.sha256);
    expect((await keys()).filter((k) => k === first.sha256)).toEqual([first.sha256]);
    expect(await catalogued(first.sha256)).toEqual([{ size: content.length, chunks: 0 }]);
    expect((await keys()).filter((k) => k.startsWith(S3_UPLOAD_PREFIX))).toEqual([]);
    const object = await seaweed.client.send(
      new GetObjectCommand({ Bucket: seaweed.settings.S3_BUCKET, Key: first.sha256 }),
    );
    expect(object.ContentLength).toBe(content.length);
    await object.Body?.transformToByteArray();
  });

  it('stores an empty file', async () => {
    const stored = await store.put(Readable.from([]));
    expect(stored).toEqual({ sha256: sha(Buffer.alloc(0)), size: 0, head: Buffer.alloc(0) });
    expect((await readAll(await store.open(stored.sha256))).length).toBe(0);
    expect(await store.rehash(stored.sha256)).toEqual({ status: 'intact' });
  });

  it('leaves nothing stored when the stream fails halfway', async () => {
    const before = await keys();
    const broken = Readable.from(
      (async function* () {
        yield randomBytes(6 * 1024 * 1024);
        throw new Error('connection reset');
      })(),
    );
    await expect(store.put(broken)).rejects.toThrow('connection reset');
    expect(await keys()).toEqual(before);
    // Nothing about it in the catalogue either: no row is written before the object is stored.
  });

  it('names an object overwritten behind its back altered, with the hash of what is there now', async () => {
    const content = randomBytes(200_000);
    const { sha256 } = await store.put(pieces(content));
    const other = randomBytes(200_000);
    await seaweed.client.send(
      new PutObjectCommand({ Bucket: seaweed.settings.S3_BUCKET, Key: sha256, Body: other }),
    );
    expect(await store.rehash(sha256)).toEqual({ status: 'altered', actualSha256: sha(other) });
  });

  it('names an object deleted behind its back missing, and open refuses it', async () => {
    const { sha256 } = await store.put(pieces(randomBytes(50_000)));
    await seaweed.client.send(new DeleteObjectCommand({ Bucket: seaweed.settings.S3_BUCKET, Key: sha256 }));
    expect(await store.rehash(sha256)).toEqual({ status: 'missing' });
    await expect(store.open(sha256)).rejects.toBeInstanceOf(ContentNotFoundError);
  });

  it('removes content, and removing it again is no error', async () => {
    const { sha256 } = await store.put(pieces(randomBytes(10_000)));
    await store.remove(sha256);
    expect(await keys()).not.toContain(sha256);
    expect(await catalogued(sha256)).toEqual([]);
    await store.remove(sha256);
    expect(await store.rehash(sha256)).toEqual({ status: 'missing' });
  });

  it('lets the clean-up remove the object of a content no upload names, with its row', async () => {
    const kept = await store.put(pieces(randomBytes(20_000)));
    const { sha256 } = await store.put(pieces(randomBytes(20_000)));
    // Stored two hours ago and named by no upload: what the clean-up removes.
    await app.query(`UPDATE file_contents SET stored_at = now() - interval '2 hours' WHERE sha256 = $1`, [
      sha256,
    ]);
    await removeUnreferencedFiles(app, 24, store);
    expect(await keys()).not.toContain(sha256);
    expect(await catalogued(sha256)).toEqual([]);
    // Stored just now: an upload may be about to name it.
    expect(await keys()).toContain(kept.sha256);
  });
});
