import { digestFor, digestItemCount, isDigestDay, staleBefore, type DigestItems } from './digest';
import { WorkingDayCalendar } from './calendar';

const none: DigestItems = { alerts: [], redLights: [], supervision: [], quiet: [] };

describe('the morning digest', () => {
  it('goes out on working days and 调休 make-up Saturdays, not on weekends or holidays', () => {
    expect(isDigestDay('2026-12-03')).toBe(true); // a Thursday
    expect(isDigestDay('2026-10-10')).toBe(true); // a Saturday worked for the National Day holiday
    expect(isDigestDay('2026-10-01')).toBe(false); // National Day, a Thursday
    expect(isDigestDay('2026-12-05')).toBe(false); // an ordinary Saturday
    expect(isDigestDay('2026-12-06')).toBe(false); // an ordinary Sunday
  });

  it('follows the calendar it is given', () => {
    const calendar = new WorkingDayCalendar({ holidays: ['2026-12-03'], workdays: ['2026-12-05'] });
    expect(isDigestDay('2026-12-03', calendar)).toBe(false);
    expect(isDigestDay('2026-12-05', calendar)).toBe(true);
  });

  it('counts a project as quiet after 30 days without an update', () => {
    expect(staleBefore('2026-12-03')).toBe('2026-11-03');
  });

  it('is nothing for a person with nothing', () => {
    expect(digestFor('2026-12-03', { personId: 'p1', name: '张三' }, none)).toBeNull();
  });

  it('holds every kind of item, escalations before alerts and the earliest due 督办 first', () => {
    const digest = digestFor(
      '2026-12-03',
      { personId: 'p1', name: '张三' },
      {
        alerts: [
          { projectId: 'a', projectName: '甲', ruleLabel: '签约后开工', dueDate: '2026-11-30', rung: 1 },
          { projectId: 'b', projectName: '乙', ruleLabel: '签约后开工', dueDate: '2026-11-01', rung: 3 },
        ],
        redLights: [{ projectId: 'b', projectName: '乙', stageLabel: '签约' }],
        supervision: [
          { projectId: 'c', projectName: '丙', ruleLabel: 'r', dueDate: '2026-12-03', statusLabel: '签收' },
          { projectId: 'd', projectName: '丁', ruleLabel: 'r', dueDate: '2026-11-20', statusLabel: '下发' },
        ],
        quiet: [{ projectId: 'e', projectName: '戊', stageLabel: '在谈', lastUpdated: '2026-10-01' }],
      },
    );
    expect(digest).not.toBeNull();
    expect(digestItemCount(digest!)).toBe(6);
    expect(digest!.alerts.map((a) => a.rung)).toEqual([3, 1]);
    expect(digest!.supervision.map((s) => s.dueDate)).toEqual(['2026-11-20', '2026-12-03']);
    expect(digest).toMatchObject({ day: '2026-12-03', personId: 'p1', personName: '张三' });
  });
});
