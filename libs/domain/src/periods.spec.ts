import { isoWeekOf, isoWeeksInYear, parseReportPeriod, reportPeriodProblem } from './periods';

describe('report periods', () => {
  it('reads an ISO week as Monday to Sunday', () => {
    expect(parseReportPeriod('weekly', '2026-W48')).toMatchObject({
      firstDay: '2026-11-23',
      lastDay: '2026-11-29',
      label: '2026年第48周(11月23日—11月29日)',
    });
    // Week 1 holds 4 January, so it may begin in the year before.
    expect(parseReportPeriod('weekly', '2026-W01')).toMatchObject({
      firstDay: '2025-12-29',
      lastDay: '2026-01-04',
    });
    expect(parseReportPeriod('weekly', '2021-W01').firstDay).toBe('2021-01-04');
    expect(parseReportPeriod('weekly', '2020-W53')).toMatchObject({
      firstDay: '2020-12-28',
      lastDay: '2021-01-03',
    });
  });

  it('reads a month as its first to last day', () => {
    expect(parseReportPeriod('monthly', '2026-11')).toMatchObject({
      firstDay: '2026-11-01',
      lastDay: '2026-11-30',
      label: '2026年11月',
    });
    expect(parseReportPeriod('monthly', '2024-02').lastDay).toBe('2024-02-29');
  });

  it('finds the ISO week of a date, whose year may not be the date’s', () => {
    expect(isoWeekOf('2026-11-23')).toBe('2026-W48');
    expect(isoWeekOf('2026-11-29')).toBe('2026-W48');
    expect(isoWeekOf('2026-11-30')).toBe('2026-W49');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
  });

  it('counts 52 or 53 weeks in a year', () => {
    expect(isoWeeksInYear(2020)).toBe(53);
    expect(isoWeeksInYear(2025)).toBe(52);
    expect(isoWeeksInYear(2026)).toBe(53);
  });

  it('puts both ends of a week in that week', () => {
    for (const code of ['2024-W01', '2026-W48', '2026-W53', '2027-W01']) {
      const { firstDay, lastDay } = parseReportPeriod('weekly', code);
      expect(isoWeekOf(firstDay)).toBe(code);
      expect(isoWeekOf(lastDay)).toBe(code);
    }
  });

  it('names what is wrong with a period', () => {
    const today = '2026-12-01';
    expect(reportPeriodProblem('weekly', '2026-W48', today)).toBeNull();
    expect(reportPeriodProblem('monthly', '2026-12', today)).toBeNull();
    expect(reportPeriodProblem('weekly', '2026-11', today)?.rule).toBe('format');
    expect(reportPeriodProblem('monthly', '2026-W48', today)?.rule).toBe('format');
    expect(reportPeriodProblem('weekly', '2025-W53', today)?.rule).toBe('format');
    expect(reportPeriodProblem('weekly', '2026-W00', today)?.rule).toBe('format');
    expect(reportPeriodProblem('monthly', '2026-13', today)?.rule).toBe('format');
    expect(reportPeriodProblem('monthly', 202611, today)?.rule).toBe('format');
    expect(reportPeriodProblem('monthly', '1999-12', today)?.rule).toBe('earliest');
    expect(reportPeriodProblem('weekly', '2026-W50', today)?.rule).toBe('begun');
    expect(reportPeriodProblem('monthly', '2027-01', today)?.rule).toBe('begun');
    expect(reportPeriodProblem('monthly', '2099-01', today)?.rule).toBe('latest');
  });
});
