import { lastDayOfMonth, makeDate, type IsoDate } from './dates';

/** A calendar quarter, written '2025Q3'. */
export type QuarterCode = string;

export interface Quarter {
  code: QuarterCode;
  year: number;
  /** 1–4. */
  quarter: number;
  firstDay: IsoDate;
  /** The review's as-of date. */
  lastDay: IsoDate;
}

const QUARTER = /^(\d{4})Q([1-4])$/;

export function isQuarterCode(value: unknown): value is QuarterCode {
  return typeof value === 'string' && QUARTER.test(value);
}

export function parseQuarter(code: QuarterCode): Quarter {
  const m = QUARTER.exec(code);
  if (!m) throw new RangeError(`not a quarter: ${code} (expected e.g. 2025Q3)`);
  const year = Number(m[1]);
  const quarter = Number(m[2]);
  const lastMonth = quarter * 3;
  return {
    code,
    year,
    quarter,
    firstDay: makeDate(year, lastMonth - 2, 1),
    lastDay: lastDayOfMonth(`${year}-${String(lastMonth).padStart(2, '0')}`),
  };
}

/** The quarter a date falls in. */
export function quarterOf(date: IsoDate): Quarter {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return parseQuarter(`${year}Q${Math.ceil(month / 3)}`);
}

/** The quarter before this one. */
export function previousQuarter(code: QuarterCode): Quarter {
  const { year, quarter } = parseQuarter(code);
  return quarter === 1 ? parseQuarter(`${year - 1}Q4`) : parseQuarter(`${year}Q${quarter - 1}`);
}

/** The last quarter that has ended on or before `date` (a review run on 1 October reviews Q3). */
export function lastEndedQuarter(date: IsoDate): Quarter {
  const current = quarterOf(date);
  return date === current.lastDay ? current : previousQuarter(current.code);
}
