import type { DataSource } from 'typeorm';
import { removeUnreferencedFiles, type FileStore } from '@app/file-store';
import type { FileCleanupResult } from '@app/workflow-interface/file-cleanup';

/** The cleanup's one activity: each of its deletes stands alone, so a retry just goes on. */
export function createFileCleanupActivities(dataSource: DataSource, objectStore?: FileStore) {
  return {
    async removeUnreferencedFiles(): Promise<FileCleanupResult> {
      return removeUnreferencedFiles(dataSource, undefined, objectStore);
    },
  };
}

export type FileCleanupActivities = ReturnType<typeof createFileCleanupActivities>;
