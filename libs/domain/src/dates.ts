/**
 * Business dates are 'YYYY-MM-DD' in Asia/Shanghai; instants are ISO-8601 strings in UTC.
 * China has kept UTC+8 without daylight saving since 1991, so the conversion is plain arithmetic
 * and never depends on the host's time zone or on Intl.
 */

export type IsoDate = string; // 'YYYY-MM-DD'
export type IsoMonth = string; // 'YYYY-MM'
export type IsoInstant = string; // '2025-03-10T02:00:00.000Z'

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
// An instant must name its offset: a bare local time would depend on the reader's zone.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function pad(n: number, width = 2): string {
  // The common cases without padStart: dates are built by the thousand in a deadline walk.
  if (width === 2 && n >= 0 && n < 100) return n < 10 ? `0${n}` : `${n}`;
  if (width === 4 && n >= 1000 && n < 10_000) return `${n}`;
  return String(n).padStart(width, '0');
}

/** The number the digits of `s` from `start` to `end` spell, NaN if any is not a digit. */
function digitsAt(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return NaN;
    n = n * 10 + d;
  }
  return n;
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function isIsoMonth(value: unknown): value is IsoMonth {
  if (typeof value !== 'string') return false;
  const m = MONTH_RE.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  return Number(m[1]) >= 1900 && month >= 1 && month <= 12;
}

export function isIsoInstant(value: unknown): value is IsoInstant {
  return typeof value === 'string' && INSTANT_RE.test(value) && Number.isFinite(Date.parse(value));
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

export function dateParts(date: IsoDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function makeDate(year: number, month: number, day: number): IsoDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Days since 1970-01-01 of a calendar date (no time zone involved). */
export function toEpochDay(date: IsoDate): number {
  if (date.length !== 10) {
    const { year, month, day } = dateParts(date);
    return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
  }
  // Digits read in place: this runs for every day a deadline walk visits.
  const year = digitsAt(date, 0, 4);
  return Math.floor(Date.UTC(year, digitsAt(date, 5, 7) - 1, digitsAt(date, 8, 10)) / DAY_MS);
}

export function fromEpochDay(epochDay: number): IsoDate {
  const d = new Date(epochDay * DAY_MS);
  return makeDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Calendar months, clamped to the month's end: 2025-01-31 + 1 month = 2025-02-28. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return makeDate(y, m, Math.min(day, daysInMonth(y, m)));
}

/** Whole days from a to b (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekday(date: IsoDate): number {
  return weekdayOfEpochDay(toEpochDay(date));
}

export function weekdayOfEpochDay(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(...dates: (IsoDate | null | undefined)[]): IsoDate | null {
  let best: IsoDate | null = null;
  for (const d of dates) if (d && (best === null || d > best)) best = d;
  return best;
}

export function minDate(...dates: (IsoDate | null | undefined)[]): IsoDate | null {
  let best: IsoDate | null = null;
  for (const d of dates) if (d && (best === null || d < best)) best = d;
  return best;
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: IsoInstant): IsoDate {
  const ms = Date.parse(instant) + SHANGHAI_OFFSET_MS;
  const d = new Date(ms);
  return makeDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The UTC instant at which a Shanghai calendar date begins (00:00 UTC+8). */
export function shanghaiStartOfDay(date: IsoDate): IsoInstant {
  const { year, month, day } = dateParts(date);
  return new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS).toISOString();
}

export function monthOf(date: IsoDate): IsoMonth {
  return date.slice(0, 7);
}

export function lastDayOfMonth(month: IsoMonth): IsoDate {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return makeDate(year, m, daysInMonth(year, m));
}

export function addMonthsToMonth(month: IsoMonth, months: number): IsoMonth {
  return addMonths(`${month}-01`, months).slice(0, 7);
}

/** The business date a businessTime names: a date as is, an instant in Shanghai. */
export function businessDateOf(businessTime: string): IsoDate {
  return INSTANT_RE.test(businessTime) ? shanghaiDate(businessTime) : businessTime.slice(0, 10);
}

/** Normalises an instant to the canonical 'YYYY-MM-DDTHH:mm:ss.sssZ' form. */
export function normaliseInstant(instant: IsoInstant): IsoInstant {
  return new Date(Date.parse(instant)).toISOString();
}
