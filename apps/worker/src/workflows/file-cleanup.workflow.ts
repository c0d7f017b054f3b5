import { proxyActivities } from '@temporalio/workflow';
import type { FileCleanupResult } from '@app/workflow-interface/file-cleanup';
import type { FileCleanupActivities } from '../activities/file-cleanup-activities';

const { removeUnreferencedFiles } = proxyActivities<FileCleanupActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 3 },
});

/** Removes uploads no command referenced within a day, started by the `file-cleanup` schedule. */
export async function fileCleanupWorkflow(): Promise<FileCleanupResult> {
  return removeUnreferencedFiles();
}
