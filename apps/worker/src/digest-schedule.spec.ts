import { loadEnvironment } from '@app/config';
import { DIGEST_SCHEDULE_ID, DIGEST_WORKFLOW_TYPE } from '@app/workflow-interface/digest';
import { digestScheduleOptions } from './digest-schedule';

describe('the morning digest schedule', () => {
  it('fires every day at 08:30 in Shanghai by default, starting the digest workflow', () => {
    const env = loadEnvironment({});
    expect(env.DIGEST_TIME).toBe('08:30');
    const options = digestScheduleOptions(env);
    expect(options.scheduleId).toBe(DIGEST_SCHEDULE_ID);
    expect(options.spec).toEqual({
      calendars: [{ hour: 8, minute: 30, second: 0, comment: expect.any(String) as string }],
      timezone: 'Asia/Shanghai',
    });
    expect(options.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: DIGEST_WORKFLOW_TYPE,
      args: [{}],
    });
    expect(options.policies).toMatchObject({ overlap: 'SKIP' });
  });

  it('takes its time of day from DIGEST_TIME', () => {
    const options = digestScheduleOptions(
      loadEnvironment({ DIGEST_TIME: '07:05', DIGEST_TIMEZONE: 'Asia/Urumqi' }),
    );
    expect(options.spec).toMatchObject({ calendars: [{ hour: 7, minute: 5 }], timezone: 'Asia/Urumqi' });
  });

  it.each(['8:30', '24:00', '08:60', '0830', 'morning'])(
    'refuses DIGEST_TIME=%s, naming the rule',
    (value) => {
      expect(() => loadEnvironment({ DIGEST_TIME: value })).toThrow(
        /DIGEST_TIME must be a time of day as HH:MM/,
      );
    },
  );
});
