import { dateParts, type IsoDate, type IsoMonth } from './dates';
import type { QuarterCode } from './quarters';

/**
 * The years that targets, progress, bulletins (通报) and 回头看 reviews may name. No project this
 * engine holds predates 2000, and a review or bulletin of an earlier period could only be empty, so
 * one is refused rather than stored. Ahead, a year may be named up to the next one (next year's
 * targets are set before it starts); the routes refuse periods that have not ended where that matters.
 */
export const EARLIEST_YEAR = 2000;
/** How many years past today's a period may lie in. */
export const YEARS_AHEAD = 1;

/** The latest year a period may lie in, seen from `today` (Asia/Shanghai). */
export function latestYear(today: IsoDate): number {
  return dateParts(today).year + YEARS_AHEAD;
}

/** Why a period cannot be named: its rule and an English message without the field's name. */
export interface PeriodProblem {
  rule: 'format' | 'earliest' | 'latest';
  message: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})Q([1-4])$/;

function bounded(year: number, today: IsoDate, what: string): PeriodProblem | null {
  if (year < EARLIEST_YEAR)
    return { rule: 'earliest', message: `must be a ${what} of ${EARLIEST_YEAR} or later` };
  const latest = latestYear(today);
  if (year > latest) return { rule: 'latest', message: `must be a ${what} of ${latest} or earlier` };
  return null;
}

/** A year (a whole number) within the bounds, or why not. */
export function yearProblem(year: unknown, today: IsoDate): PeriodProblem | null {
  if (typeof year !== 'number' || !Number.isInteger(year)) {
    return { rule: 'format', message: 'must be a year such as 2025' };
  }
  return bounded(year, today, 'year');
}

/** A month 'YYYY-MM' within the bounds, or why not. */
export function monthProblem(month: unknown, today: IsoDate): PeriodProblem | null {
  const m = typeof month === 'string' ? MONTH.exec(month) : null;
  if (!m) return { rule: 'format', message: 'must be a month YYYY-MM' };
  return bounded(Number(m[1]), today, 'month');
}

/** A quarter '2025Q3' within the bounds, or why not. */
export function quarterProblem(quarter: unknown, today: IsoDate): PeriodProblem | null {
  const m = typeof quarter === 'string' ? QUARTER.exec(quarter) : null;
  if (!m) return { rule: 'format', message: 'must be a quarter such as 2025Q3' };
  return bounded(Number(m[1]), today, 'quarter');
}

export function isBoundedMonth(value: unknown, today: IsoDate): value is IsoMonth {
  return monthProblem(value, today) === null;
}

export function isBoundedQuarter(value: unknown, today: IsoDate): value is QuarterCode {
  return quarterProblem(value, today) === null;
}
