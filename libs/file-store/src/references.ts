import type { EntityManager } from 'typeorm';

/**
 * Records that an event of this project cites these files: they are kept past the cleanup, and the
 * project's readers may read them. Given the manager of the transaction that appends the event, the
 * two are one. Ids of no upload are passed over.
 */
export async function markFilesReferenced(
  manager: EntityManager,
  fileIds: readonly string[],
  projectId: string,
): Promise<void> {
  const ids = [...new Set(fileIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) return;
  await manager.query(
    `INSERT INTO file_references (file_id, project_id)
     SELECT file_id, $2 FROM uploaded_files WHERE file_id = ANY($1::uuid[])
     ON CONFLICT DO NOTHING`,
    [ids, projectId],
  );
  await manager.query(
    `UPDATE uploaded_files SET referenced_at = now() WHERE file_id = ANY($1::uuid[]) AND referenced_at IS NULL`,
    [ids],
  );
}
