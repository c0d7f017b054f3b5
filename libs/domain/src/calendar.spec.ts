import fc from 'fast-check';
import { isWorkday } from 'chinese-days';
import {
  BUNDLED_CALENDARS,
  calendarReference,
  LATEST_BUNDLED_CALENDAR,
  referencedCalendar,
  WorkingDayCalendar,
  calendarFrom,
  chinaCalendar,
  spansUnannouncedYear,
  validateCalendar,
  type VersionedCalendar,
} from './calendar';
import { CALENDAR_V1 } from './calendars/v1';
import { addDays, dateParts, fromEpochDay, toEpochDay } from './dates';

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
    expect(() => cal.addWorkingDays('2025-02-30', 3)).toThrow(RangeError);
  });

  // The calendar walks epoch days and remembers each answer; the definition steps date by date, on
  // the years version 1 shares with chinese-days 1.5.7.
  const v1 = () => new WorkingDayCalendar({ data: CALENDAR_V1.data });
  const anyDate = fc
    .integer({ min: toEpochDay('2004-04-01'), max: toEpochDay('2026-09-30') })
    .map((day) => fromEpochDay(day));

  it('adds working days as stepping one date at a time would, forwards and backwards', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -60, max: 60 }), (date, n) => {
        let expected = date;
        for (let left = Math.abs(n); left > 0;) {
          expected = addDays(expected, Math.sign(n));
          if (isWorkday(expected)) left--;
        }
        expect(v1().addWorkingDays(date, n)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('counts the working days between two dates as the days it would step through', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -10, max: 90 }), (from, span) => {
        const to = addDays(from, span);
        let expected = 0;
        for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkday(d)) expected++;
        expect(v1().workingDaysBetween(from, to)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('calendar versions', () => {
  const v1 = calendarFrom(CALENDAR_V1.data);

  it('version 1 covers the years chinese-days 1.5.7 announces, 2004 to 2026', () => {
    expect(CALENDAR_V1.version).toBe(1);
    expect(CALENDAR_V1.data.source).toBe('chinese-days 1.5.7');
    expect(CALENDAR_V1.data.years.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
  });

  it('version 1 gives the same isWorkingDay as chinese-days 1.5.7 on every day of the years it covers', () => {
    const first = CALENDAR_V1.data.years[0].year;
    const last = CALENDAR_V1.data.years[CALENDAR_V1.data.years.length - 1].year;
    let days = 0;
    const differing: string[] = [];
    for (let d = `${first}-01-01`; dateParts(d).year <= last; d = addDays(d, 1)) {
      const { year, month, day } = dateParts(d);
      // Local noon: the package formats dates in the host's time zone.
      if (v1.isWorkingDay(d) !== isWorkday(new Date(year, month - 1, day, 12))) differing.push(d);
      days++;
    }
    expect(days).toBe(8401); // 23 years, 6 of them leap years
    expect(differing).toEqual([]);
  });

  it('the default calendar is the latest bundled version, and versions are numbered in order', () => {
    expect(BUNDLED_CALENDARS.map((c) => c.version)).toEqual(BUNDLED_CALENDARS.map((_, i) => i + 1));
    expect(LATEST_BUNDLED_CALENDAR).toBe(BUNDLED_CALENDARS[BUNDLED_CALENDARS.length - 1]);
    for (const c of BUNDLED_CALENDARS) expect(validateCalendar(c)).toEqual({ ok: true, calendar: c });
    for (let d = '2025-01-01'; d <= '2026-12-31'; d = addDays(d, 1))
      expect([d, chinaCalendar.isWorkingDay(d)]).toEqual([
        d,
        calendarFrom(LATEST_BUNDLED_CALENDAR.data).isWorkingDay(d),
      ]);
  });

  it('a later version with an announced holiday moves a working-day count, the earlier one does not', () => {
    const v2: VersionedCalendar = {
      version: 2,
      data: {
        source: 'test',
        years: [
          ...CALENDAR_V1.data.years,
          { year: 2027, holidays: ['2027-01-01', '2027-01-04'], workdays: ['2027-01-09'] },
        ],
      },
    };
    expect(validateCalendar(v2).ok).toBe(true);
    const next = calendarFrom(v2.data);
    expect(v1.isYearAnnounced(2027)).toBe(false);
    expect(next.isYearAnnounced(2027)).toBe(true);
    expect(v1.addWorkingDays('2026-12-31', 5)).toBe('2027-01-07'); // 1, 4, 5, 6, 7
    expect(next.addWorkingDays('2026-12-31', 5)).toBe('2027-01-09'); // 5, 6, 7, 8, Saturday 9
  });

  it('refuses malformed calendar data, naming the field and the rule', () => {
    const bad = (years: unknown) => validateCalendar({ version: 3, data: { source: 'x', years } });
    expect(validateCalendar(null)).toMatchObject({ ok: false, errors: [{ field: '', rule: 'object' }] });
    expect(validateCalendar({ version: 0, data: { source: 'x', years: [] } })).toMatchObject({
      ok: false,
      errors: [{ field: 'version', rule: 'positive_integer' }],
    });
    expect(bad([{ year: 2027, holidays: ['2027-02-30'], workdays: [] }])).toMatchObject({
      ok: false,
      errors: [{ field: 'data.years[0].holidays[0]', rule: 'date' }],
    });
    expect(bad([{ year: 2027, holidays: ['2028-01-01'], workdays: [] }])).toMatchObject({
      errors: [{ field: 'data.years[0].holidays[0]', rule: 'in_year' }],
    });
    expect(bad([{ year: 2027, holidays: ['2027-01-02', '2027-01-01'], workdays: [] }])).toMatchObject({
      errors: [{ field: 'data.years[0].holidays[1]', rule: 'ascending' }],
    });
    expect(bad([{ year: 2027, holidays: ['2027-01-02'], workdays: ['2027-01-02'] }])).toMatchObject({
      errors: [{ field: 'data.years[0].workdays[0]', rule: 'exclusive' }],
    });
    expect(
      bad([
        { year: 2027, holidays: [], workdays: [] },
        { year: 2026, holidays: [], workdays: [] },
      ]),
    ).toMatchObject({ errors: [{ field: 'data.years[1].year', rule: 'ascending' }] });
    expect(bad('x')).toMatchObject({ errors: [{ field: 'data.years', rule: 'array' }] });
  });
});

describe('a calendar as a starter sends it to a workflow', () => {
  it('names a bundled version by its number, even with its data read back in another key order', () => {
    const reordered = JSON.parse(
      JSON.stringify(LATEST_BUNDLED_CALENDAR, (_, v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
      ),
    ) as VersionedCalendar;
    const reference = calendarReference(reordered);
    expect(reference).toEqual({ version: LATEST_BUNDLED_CALENDAR.version, bundled: true });
    expect(referencedCalendar(reference)).toEqual(LATEST_BUNDLED_CALENDAR);
  });

  it('sends a version the code does not bundle, or bundles with other data, whole', () => {
    const later: VersionedCalendar = { version: 999, data: LATEST_BUNDLED_CALENDAR.data };
    expect(calendarReference(later)).toBe(later);
    const [first, ...rest] = LATEST_BUNDLED_CALENDAR.data.years;
    const changed: VersionedCalendar = {
      version: LATEST_BUNDLED_CALENDAR.version,
      data: { ...LATEST_BUNDLED_CALENDAR.data, years: [{ ...first, holidays: [] }, ...rest] },
    };
    expect(calendarReference(changed)).toBe(changed);
    expect(referencedCalendar(changed)).toBe(changed);
  });
});
