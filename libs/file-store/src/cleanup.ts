import type { DataSource } from 'typeorm';
import type { FileStore } from './file-store';

/** How long an upload no command has referenced is kept. */
export const UNREFERENCED_UPLOAD_HOURS = 24;

export interface FileCleanupResult {
  uploads: number;
  contents: number;
  chunks: number;
}

/**
 * Removes uploads no command referenced within `hours`, then any content no upload names (stored
 * more than an hour ago: an upload between storing its content and naming it keeps it),
 * then chunks no content names (an upload that broke off, written more than `hours` ago).
 */
export async function removeUnreferencedFiles(
  dataSource: DataSource,
  hours = UNREFERENCED_UPLOAD_HOURS,
  /** An object store holding the contents (FILE_STORE=s3): their objects go with their rows. */
  objectStore?: Pick<FileStore, 'remove'>,
): Promise<FileCleanupResult> {
  const interval = `${hours} hours`;
  const [, uploads] = await dataSource.query<[unknown, number]>(
    `DELETE FROM uploaded_files
     WHERE referenced_at IS NULL AND uploaded_at < now() - $1::interval
       AND NOT EXISTS (SELECT 1 FROM file_references r WHERE r.file_id = uploaded_files.file_id)`,
    [interval],
  );
  let objects = 0;
  if (objectStore) {
    // The object first, then its row: a failure in between leaves a row the next pass removes again.
    const unnamed = await dataSource.query<{ sha256: string }[]>(
      `SELECT c.sha256 FROM file_contents c
       WHERE c.stored_at < now() - interval '1 hour'
         AND NOT EXISTS (SELECT 1 FROM uploaded_files u WHERE u.sha256 = c.sha256)`,
    );
    for (const { sha256 } of unnamed) await objectStore.remove(sha256);
    objects = unnamed.length;
  }
  const [removed] = await dataSource.query<[{ chunks_id: string }[], number]>(
    `DELETE FROM file_contents c
     WHERE c.stored_at < now() - interval '1 hour'
       AND NOT EXISTS (SELECT 1 FROM uploaded_files u WHERE u.sha256 = c.sha256)
     RETURNING chunks_id`,
  );
  let chunks = 0;
  if (removed.length > 0) {
    const [, count] = await dataSource.query<[unknown, number]>(
      `DELETE FROM file_chunks WHERE chunks_id = ANY($1::uuid[])`,
      [removed.map((r) => r.chunks_id)],
    );
    chunks += count;
  }
  const [, orphans] = await dataSource.query<[unknown, number]>(
    `DELETE FROM file_chunks k
     WHERE k.written_at < now() - $1::interval
       AND NOT EXISTS (SELECT 1 FROM file_contents c WHERE c.chunks_id = k.chunks_id)`,
    [interval],
  );
  return { uploads, contents: Math.max(removed.length, objects), chunks: chunks + orphans };
}
