// The package's own table of official holidays and make-up working days (调休上班), as published
// by the State Council. Its lookup functions format dates with the host's local time and give wrong
// answers on hosts west of UTC, so the calendar reads the table and does the date arithmetic itself.
import chineseDays from 'chinese-days/dist/chinese-days.json';
import { addDays, dateParts, isIsoDate, weekday, type IsoDate } from './dates';

/** What deadlines need of a calendar; tests may pass their own. */
export interface BusinessCalendar {
  isWorkingDay(date: IsoDate): boolean;
  /** The n-th working day after `date` (before it when n < 0); `date` itself when n = 0. */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /** Whether the State Council has announced that year's holidays (and the calendar knows them). */
  isYearAnnounced(year: number): boolean;
}

export interface WorkingDayCalendarOptions {
  /** Extra official holidays, e.g. a newly announced year the package does not know yet. */
  holidays?: IsoDate[];
  /** Extra make-up working days (调休上班). */
  workdays?: IsoDate[];
  /** Overrides which years count as announced (for tests and for pinning a known state). */
  announcedYears?: number[];
}

interface HolidayTable {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const TABLE = chineseDays as HolidayTable;
const TABLE_YEARS: ReadonlySet<number> = new Set(
  Object.keys(TABLE.holidays).map((d) => Number(d.slice(0, 4))),
);

/**
 * China's official working-day calendar — weekends, public holidays and make-up working days (调休) —
 * from the maintained `chinese-days` package. Independent of the host's time zone.
 */
export class WorkingDayCalendar implements BusinessCalendar {
  private readonly extraHolidays: ReadonlySet<string>;
  private readonly extraWorkdays: ReadonlySet<string>;
  private readonly announced: ReadonlySet<number> | null;

  constructor(options: WorkingDayCalendarOptions = {}) {
    this.extraHolidays = new Set(options.holidays ?? []);
    this.extraWorkdays = new Set(options.workdays ?? []);
    this.announced = options.announcedYears ? new Set(options.announcedYears) : null;
  }

  isWorkingDay(date: IsoDate): boolean {
    if (!isIsoDate(date)) throw new RangeError(`not a date: ${String(date)}`);
    if (this.extraWorkdays.has(date)) return true;
    if (this.extraHolidays.has(date)) return false;
    if (this.packageKnowsYear(dateParts(date).year)) {
      if (Object.prototype.hasOwnProperty.call(TABLE.workdays, date)) return true;
      if (Object.prototype.hasOwnProperty.call(TABLE.holidays, date)) return false;
    }
    const day = weekday(date);
    return day !== 0 && day !== 6;
  }

  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n)) throw new RangeError(`not a whole number of working days: ${n}`);
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    let current = date;
    while (remaining > 0) {
      current = addDays(current, step);
      if (this.isWorkingDay(current)) remaining--;
    }
    return current;
  }

  /** Working days in (from, to]: 0 when to ≤ from. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }

  isYearAnnounced(year: number): boolean {
    if (this.announced) return this.announced.has(year);
    if ([...this.extraHolidays].some((d) => d.startsWith(`${year}-`))) return true;
    return this.packageKnowsYear(year);
  }

  private packageKnowsYear(year: number): boolean {
    if (this.announced && !this.announced.has(year)) return false;
    return TABLE_YEARS.has(year);
  }
}

/** Whether a working-day computation from `from` to `to` relies on a year not yet announced. */
export function spansUnannouncedYear(calendar: BusinessCalendar, from: IsoDate, to: IsoDate): boolean {
  const a = dateParts(from < to ? from : to).year;
  const b = dateParts(from < to ? to : from).year;
  for (let y = a; y <= b; y++) if (!calendar.isYearAnnounced(y)) return true;
  return false;
}

/** The default calendar: China's official one as the installed package knows it. */
export const chinaCalendar: WorkingDayCalendar = new WorkingDayCalendar();
