import { WorkingDayCalendar, chinaCalendar, spansUnannouncedYear } from './calendar';
import { addDays } from './dates';

describe('WorkingDayCalendar (China, official)', () => {
  const cal = chinaCalendar;

  it('knows the 2024 Spring Festival make-up working days, both Sundays', () => {
    expect(cal.isWorkingDay('2024-02-04')).toBe(true);
    expect(cal.isWorkingDay('2024-02-18')).toBe(true);
    expect(cal.isWorkingDay('2024-02-12')).toBe(false); // a Monday inside the holiday
  });

  it('knows the 2025 National Day and Mid-Autumn holiday, 1–8 October, and its make-up days', () => {
    for (let d = '2025-10-01'; d <= '2025-10-08'; d = addDays(d, 1))
      expect([d, cal.isWorkingDay(d)]).toEqual([d, false]);
    expect(cal.isWorkingDay('2025-09-28')).toBe(true); // Sunday
    expect(cal.isWorkingDay('2025-10-11')).toBe(true); // Saturday
    expect(cal.isWorkingDay('2025-10-09')).toBe(true);
  });

  it('treats ordinary weekends as rest days and weekdays as working days', () => {
    expect(cal.isWorkingDay('2025-03-08')).toBe(false);
    expect(cal.isWorkingDay('2025-03-09')).toBe(false);
    expect(cal.isWorkingDay('2025-03-10')).toBe(true);
  });

  it('counts 5 working days after 2025-09-30 to 2025-10-14', () => {
    expect(cal.addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
  });

  it('counts across a make-up Saturday and backwards', () => {
    expect(cal.addWorkingDays('2025-10-10', 1)).toBe('2025-10-11');
    expect(cal.addWorkingDays('2025-10-14', -5)).toBe('2025-09-30');
    expect(cal.addWorkingDays('2025-10-03', 0)).toBe('2025-10-03');
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-14')).toBe(5);
  });

  it('knows which years are announced, and marks spans into unannounced years', () => {
    expect(cal.isYearAnnounced(2025)).toBe(true);
    expect(cal.isYearAnnounced(2026)).toBe(true);
    expect(cal.isYearAnnounced(2099)).toBe(false);
    expect(spansUnannouncedYear(cal, '2025-12-20', '2026-01-05')).toBe(false);
    expect(spansUnannouncedYear(cal, '2098-12-20', '2099-01-05')).toBe(true);
  });

  it('falls back to weekdays in an unannounced year', () => {
    const pinned = new WorkingDayCalendar({ announcedYears: [2024, 2025] });
    expect(pinned.isYearAnnounced(2026)).toBe(false);
    expect(pinned.isWorkingDay('2026-01-01')).toBe(true); // a Thursday, not yet known as New Year's Day
    expect(pinned.isWorkingDay('2025-10-01')).toBe(false);
  });

  it('accepts an announcement the package does not know yet', () => {
    const updated = new WorkingDayCalendar({ holidays: ['2099-01-01'], workdays: ['2099-01-04'] });
    expect(updated.isYearAnnounced(2099)).toBe(true);
    expect(updated.isWorkingDay('2099-01-01')).toBe(false);
    expect(updated.isWorkingDay('2099-01-04')).toBe(true); // a Sunday
  });

  it('refuses a malformed date', () => {
    expect(() => cal.isWorkingDay('2025-02-30')).toThrow(RangeError);
  });
});
