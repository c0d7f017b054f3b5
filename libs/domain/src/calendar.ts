// China's official holidays and make-up working days (调休上班) change once a year, when the State
// Council announces the next year's. A workflow's deadlines must not change under it when that
// happens, so the calendar is versioned data (libs/domain/src/calendars/, frozen from the
// `chinese-days` package by scripts/freeze-calendar.ts): a workflow records the version it uses and
// moves to a new one only when told, by signal. Plain data, no package import, no host time zone.
import { BUNDLED_CALENDARS } from './calendars';
import { dateParts, fromEpochDay, isIsoDate, toEpochDay, weekdayOfEpochDay, type IsoDate } from './dates';

/** What deadlines need of a calendar; tests may pass their own. */
export interface BusinessCalendar {
  isWorkingDay(date: IsoDate): boolean;
  /** The n-th working day after `date` (before it when n < 0); `date` itself when n = 0. */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /** Whether the State Council has announced that year's holidays (and the calendar knows them). */
  isYearAnnounced(year: number): boolean;
}

/** One announced year. */
export interface CalendarYear {
  year: number;
  /** Official public holidays: days off, whatever the weekday. */
  holidays: IsoDate[];
  /** Make-up working days (调休上班): weekend days that are worked. */
  workdays: IsoDate[];
}

/** A calendar's content: the announced years; any other year counts weekends only. */
export interface CalendarData {
  /** Where the data comes from, for people (e.g. `chinese-days 1.5.7`). */
  source: string;
  years: CalendarYear[];
}

/** A calendar with its version; versions only grow, and a version's data never changes. */
export interface VersionedCalendar {
  version: number;
  data: CalendarData;
}

export interface WorkingDayCalendarOptions {
  /** The calendar's data; the latest bundled version by default. */
  data?: CalendarData;
  /** Extra official holidays, e.g. a newly announced year the data does not know yet. */
  holidays?: IsoDate[];
  /** Extra make-up working days (调休上班). */
  workdays?: IsoDate[];
  /** Overrides which years count as announced (for tests and for pinning a known state). */
  announcedYears?: number[];
}

/** Bundled with the code, oldest first; version 1 is exactly what chinese-days 1.5.7 gave. */
export { BUNDLED_CALENDARS };
export const LATEST_BUNDLED_CALENDAR: VersionedCalendar = BUNDLED_CALENDARS[BUNDLED_CALENDARS.length - 1];

/** A bundled version by number (version 1: what workflows recorded before versioning ran under). */
export function bundledCalendar(version: number): VersionedCalendar {
  const found = BUNDLED_CALENDARS.find((c) => c.version === version);
  if (!found) throw new RangeError(`no bundled calendar version ${version}`);
  return found;
}

/**
 * China's official working-day calendar — weekends, public holidays and make-up working days (调休) —
 * over one version's data. Independent of the host's time zone.
 */
export class WorkingDayCalendar implements BusinessCalendar {
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;
  private readonly years: ReadonlySet<number>;
  private readonly extraHolidays: ReadonlySet<string>;
  private readonly extraWorkdays: ReadonlySet<string>;
  private readonly announced: ReadonlySet<number> | null;

  constructor(options: WorkingDayCalendarOptions = {}) {
    const data = options.data ?? LATEST_BUNDLED_CALENDAR.data;
    this.holidays = new Set(data.years.flatMap((y) => y.holidays));
    this.workdays = new Set(data.years.flatMap((y) => y.workdays));
    this.years = new Set(data.years.map((y) => y.year));
    this.extraHolidays = new Set(options.holidays ?? []);
    this.extraWorkdays = new Set(options.workdays ?? []);
    this.announced = options.announcedYears ? new Set(options.announcedYears) : null;
  }

  /**
   * Each day's answer, by epoch day: deadlines walk the same days again and again (a catch-up over
   * years of history re-evaluates every rule at every change point), and the answer never changes.
   */
  private readonly byEpochDay = new Map<number, boolean>();

  isWorkingDay(date: IsoDate): boolean {
    if (!isIsoDate(date)) throw new RangeError(`not a date: ${String(date)}`);
    return this.isWorkingEpochDay(toEpochDay(date));
  }

  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n)) throw new RangeError(`not a whole number of working days: ${n}`);
    if (n === 0) return date;
    if (!isIsoDate(date)) throw new RangeError(`not a date: ${String(date)}`);
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    let day = toEpochDay(date);
    while (remaining > 0) {
      day += step;
      if (this.isWorkingEpochDay(day)) remaining--;
    }
    return fromEpochDay(day);
  }

  /** Working days in (from, to]: 0 when to ≤ from. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    const last = toEpochDay(to);
    for (let day = toEpochDay(from) + 1; day <= last; day++) if (this.isWorkingEpochDay(day)) count++;
    return count;
  }

  private isWorkingEpochDay(day: number): boolean {
    let working = this.byEpochDay.get(day);
    if (working === undefined) {
      working = this.decideWorkingDay(fromEpochDay(day), day);
      this.byEpochDay.set(day, working);
    }
    return working;
  }

  private decideWorkingDay(date: IsoDate, day: number): boolean {
    if (this.extraWorkdays.has(date)) return true;
    if (this.extraHolidays.has(date)) return false;
    if (this.dataKnowsYear(dateParts(date).year)) {
      if (this.workdays.has(date)) return true;
      if (this.holidays.has(date)) return false;
    }
    const dayOfWeek = weekdayOfEpochDay(day);
    return dayOfWeek !== 0 && dayOfWeek !== 6;
  }

  isYearAnnounced(year: number): boolean {
    if (this.announced) return this.announced.has(year);
    if ([...this.extraHolidays].some((d) => d.startsWith(`${year}-`))) return true;
    return this.dataKnowsYear(year);
  }

  private dataKnowsYear(year: number): boolean {
    if (this.announced && !this.announced.has(year)) return false;
    return this.years.has(year);
  }
}

/**
 * A calendar version as a starter sends it to a workflow: by its number alone when the code bundles
 * exactly that version (the usual case), else whole. The data is about 11 KB, written into the
 * history of every workflow started with it; an import starts thousands.
 */
export type CalendarReference = VersionedCalendar | { version: number; bundled: true };

function sameCalendarData(a: CalendarData, b: CalendarData): boolean {
  const years = (d: CalendarData) =>
    d.years.map((y) => `${y.year}:${y.holidays.join(',')}:${y.workdays.join(',')}`).join(';');
  return a.source === b.source && years(a) === years(b);
}

export function calendarReference(calendar: VersionedCalendar): CalendarReference {
  const bundled = BUNDLED_CALENDARS.find((c) => c.version === calendar.version);
  return bundled && sameCalendarData(bundled.data, calendar.data)
    ? { version: calendar.version, bundled: true }
    : calendar;
}

/** The calendar a reference names (a bundled version by number). */
export function referencedCalendar(reference: CalendarReference): VersionedCalendar {
  return 'bundled' in reference ? bundledCalendar(reference.version) : reference;
}

/** The calendar a version's data describes. */
export function calendarFrom(data: CalendarData): WorkingDayCalendar {
  return new WorkingDayCalendar({ data });
}

export interface CalendarError {
  field: string;
  rule: string;
  message: string;
}

export type CalendarValidation =
  { ok: true; calendar: VersionedCalendar } | { ok: false; errors: CalendarError[] };

/**
 * Checks a calendar version before it is stored or sent to workflows: a bad one would throw inside
 * every workflow's deadline computation. Each year lists its own dates once, sorted; a holiday is
 * never also a make-up working day.
 */
export function validateCalendar(value: unknown): CalendarValidation {
  const errors: CalendarError[] = [];
  const err = (field: string, rule: string, message: string): void => {
    errors.push({ field, rule, message });
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value))
    return { ok: false, errors: [{ field: '', rule: 'object', message: 'not an object' }] };
  if (!Number.isInteger(value.version) || (value.version as number) < 1)
    err('version', 'positive_integer', 'version must be a whole number from 1');
  const data = value.data;
  if (!isObject(data)) {
    err('data', 'object', 'data must be an object');
    return { ok: false, errors };
  }
  if (typeof data.source !== 'string' || data.source.trim() === '')
    err('data.source', 'required', 'source must name where the data comes from');
  if (!Array.isArray(data.years)) {
    err('data.years', 'array', 'years must be an array');
    return { ok: false, errors };
  }
  let previousYear = -Infinity;
  data.years.forEach((y: unknown, i: number) => {
    const f = `data.years[${i}]`;
    if (!isObject(y)) return err(f, 'object', 'a year must be an object');
    const year = y.year;
    if (!Number.isInteger(year) || (year as number) < 1900 || (year as number) > 9999)
      return err(`${f}.year`, 'year', 'year must be a whole number from 1900 to 9999');
    if ((year as number) <= previousYear) err(`${f}.year`, 'ascending', 'years must be unique and ascending');
    previousYear = year as number;
    const seen = new Set<string>();
    for (const kind of ['holidays', 'workdays'] as const) {
      const dates = y[kind];
      if (!Array.isArray(dates)) {
        err(`${f}.${kind}`, 'array', `${kind} must be an array of dates`);
        continue;
      }
      dates.forEach((d: unknown, j: number) => {
        const df = `${f}.${kind}[${j}]`;
        if (!isIsoDate(d)) return err(df, 'date', 'must be a date YYYY-MM-DD');
        if (dateParts(d).year !== year) return err(df, 'in_year', `must fall in ${String(year)}`);
        if (j > 0 && !(String(dates[j - 1]) < d)) err(df, 'ascending', 'dates must be unique and ascending');
        if (kind === 'holidays') seen.add(d);
        else if (seen.has(d))
          err(df, 'exclusive', 'a day cannot be both a holiday and a make-up working day');
      });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, calendar: value as unknown as VersionedCalendar };
}

/** Whether a working-day computation from `from` to `to` relies on a year not yet announced. */
export function spansUnannouncedYear(calendar: BusinessCalendar, from: IsoDate, to: IsoDate): boolean {
  const a = dateParts(from < to ? from : to).year;
  const b = dateParts(from < to ? to : from).year;
  for (let y = a; y <= b; y++) if (!calendar.isYearAnnounced(y)) return true;
  return false;
}

/** The default calendar: China's official one as the latest bundled version knows it. */
export const chinaCalendar: WorkingDayCalendar = calendarFrom(LATEST_BUNDLED_CALENDAR.data);
