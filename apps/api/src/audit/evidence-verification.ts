import type { EntityManager } from 'typeorm';
import type { EvidenceFile } from '@app/domain';
import type { FileStore } from '@app/file-store';

/** A file an event recorded whose stored content is gone, or no longer the bytes its hash names. */
export interface FileFinding {
  projectId: string;
  /** The version of the event that recorded the file. */
  version: number;
  fileId: string;
  name: string;
  problem: 'file_missing' | 'file_altered';
  detail: string;
  /** The hash the event recorded, and the hash of what is stored now (when altered). */
  expected: string;
  found?: string;
}

export interface FilesVerdict {
  /** Distinct contents re-hashed. */
  checked: number;
  broken: FileFinding[];
}

/**
 * Re-reads and hashes the stored content of every file the chosen events recorded (each content
 * once, however many events name it), so that verification covers the evidence as well as the
 * events that name it: an event's hash holds the file's hash, and this holds the file to it.
 */
export async function verifyEvidenceFiles(
  manager: EntityManager,
  store: FileStore,
  options: { projectId?: string } = {},
): Promise<FilesVerdict> {
  const rows = await manager.query<{ project_id: string; version: number; file: EvidenceFile }[]>(
    `SELECT e.project_id, e.version, f.file
       FROM events e
       CROSS JOIN LATERAL jsonb_array_elements(e.data->'files') AS f(file)
      WHERE ($1::text IS NULL OR e.project_id = $1)
      ORDER BY e.project_id, e.version`,
    [options.projectId ?? null],
  );
  const verdicts = new Map<string, Awaited<ReturnType<FileStore['rehash']>>>();
  for (const { file } of rows) {
    if (!verdicts.has(file.sha256)) verdicts.set(file.sha256, await store.rehash(file.sha256));
  }
  const broken: FileFinding[] = [];
  for (const { project_id: projectId, version, file } of rows) {
    const verdict = verdicts.get(file.sha256)!;
    if (verdict.status === 'intact') continue;
    broken.push({
      projectId,
      version,
      fileId: file.fileId,
      name: file.name,
      problem: verdict.status === 'missing' ? 'file_missing' : 'file_altered',
      detail:
        verdict.status === 'missing'
          ? `the file ${file.name} that version ${version} recorded (${file.sha256}) is no longer stored`
          : `the stored content of ${file.name}, recorded by version ${version} as ${file.sha256}, now hashes to ${verdict.actualSha256}`,
      expected: file.sha256,
      ...(verdict.actualSha256 ? { found: verdict.actualSha256 } : {}),
    });
  }
  return { checked: verdicts.size, broken };
}
