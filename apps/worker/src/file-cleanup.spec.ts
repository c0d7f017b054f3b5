import { FILE_CLEANUP_SCHEDULE_ID, FILE_CLEANUP_WORKFLOW_TYPE } from '@app/workflow-interface/file-cleanup';
import { fileCleanupScheduleOptions } from './file-cleanup';

describe('fileCleanupScheduleOptions', () => {
  it('runs the cleanup workflow hourly on the task queue, never two at once, without making up missed runs', () => {
    const options = fileCleanupScheduleOptions({ TEMPORAL_TASK_QUEUE: 'q' });
    expect(options.scheduleId).toBe(FILE_CLEANUP_SCHEDULE_ID);
    expect(options.spec).toEqual({ intervals: [{ every: '1 hour' }] });
    expect(options.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: FILE_CLEANUP_WORKFLOW_TYPE,
      taskQueue: 'q',
    });
    expect(options.policies).toEqual({ overlap: 'SKIP', catchupWindow: '1 hour' });
  });
});
