/** The workflow the `file-cleanup` schedule starts: uploads no command referenced in a day are removed. */
export const FILE_CLEANUP_WORKFLOW_TYPE = 'fileCleanupWorkflow';
export const FILE_CLEANUP_SCHEDULE_ID = 'file-cleanup';

/** What one cleanup removed. */
export interface FileCleanupResult {
  uploads: number;
  contents: number;
  chunks: number;
}
