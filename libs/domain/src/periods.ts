import { EARLIEST_YEAR, latestYear } from './calendar-bounds';
import { addDays, lastDayOfMonth, makeDate, weekday, type IsoDate } from './dates';

/** The periods bureaus hand forms in for: a week (周报) or a month (月报). */
export const REPORT_PERIOD_KINDS = ['weekly', 'monthly'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIOD_KINDS)[number];

export const REPORT_PERIOD_KIND_LABELS: Record<ReportPeriodKind, string> = {
  weekly: '周报',
  monthly: '月报',
};

/** A week or a month as business dates (Asia/Shanghai), both ends included. */
export interface ReportPeriod {
  kind: ReportPeriodKind;
  /** '2026-W48' or '2026-11'. */
  code: string;
  firstDay: IsoDate;
  lastDay: IsoDate;
  /** As a form's title says it: 2026年第48周 (11月23日—11月29日), 2026年11月. */
  label: string;
}

const WEEK = /^(\d{4})-W(\d{2})$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The Monday of ISO week 1 of a year: the week holding 4 January. */
function firstMondayOfIsoYear(year: number): IsoDate {
  const jan4 = makeDate(year, 1, 4);
  return addDays(jan4, -((weekday(jan4) + 6) % 7));
}

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a leap year. */
export function isoWeeksInYear(year: number): number {
  const next = firstMondayOfIsoYear(year + 1);
  const first = firstMondayOfIsoYear(year);
  return (Date.parse(`${next}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / (7 * 86_400_000);
}

/** The ISO week a date falls in, as '2026-W48' (the week's year may differ from the date's). */
export function isoWeekOf(date: IsoDate): string {
  const monday = addDays(date, -((weekday(date) + 6) % 7));
  // The week belongs to the year its Thursday is in.
  const year = Number(addDays(monday, 3).slice(0, 4));
  const week = Math.round(
    (Date.parse(`${monday}T00:00:00Z`) - Date.parse(`${firstMondayOfIsoYear(year)}T00:00:00Z`)) /
      (7 * 86_400_000),
  );
  return `${year}-W${String(week + 1).padStart(2, '0')}`;
}

function dayLabel(date: IsoDate): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** Why a form's period cannot be named: its rule and an English message without the field's name. */
export interface ReportPeriodProblem {
  rule: 'format' | 'earliest' | 'latest' | 'begun';
  message: string;
}

function bounded(year: number, today: IsoDate, what: string): ReportPeriodProblem | null {
  if (year < EARLIEST_YEAR)
    return { rule: 'earliest', message: `must be a ${what} of ${EARLIEST_YEAR} or later` };
  const latest = latestYear(today);
  if (year > latest) return { rule: 'latest', message: `must be a ${what} of ${latest} or earlier` };
  return null;
}

/**
 * Why a period code cannot be named for this kind, seen from `today`: the format, the years the
 * engine reports on (calendar-bounds), and a period that has not begun (a form reports what happened).
 */
export function reportPeriodProblem(
  kind: ReportPeriodKind,
  code: unknown,
  today: IsoDate,
): ReportPeriodProblem | null {
  if (kind === 'weekly') {
    const m = typeof code === 'string' ? WEEK.exec(code) : null;
    const year = m ? Number(m[1]) : NaN;
    const week = m ? Number(m[2]) : NaN;
    if (!m || week < 1 || week > isoWeeksInYear(year)) {
      return { rule: 'format', message: 'must be an ISO week such as 2026-W48 (weekly)' };
    }
    const problem = bounded(year, today, 'week');
    if (problem) return problem;
  } else {
    const m = typeof code === 'string' ? MONTH.exec(code) : null;
    if (!m) return { rule: 'format', message: 'must be a month such as 2026-11 (monthly)' };
    const problem = bounded(Number(m[1]), today, 'month');
    if (problem) return problem;
  }
  if (parseReportPeriod(kind, code as string).firstDay > today) {
    return { rule: 'begun', message: 'must have begun by today (Asia/Shanghai)' };
  }
  return null;
}

/** The days of a week (Monday to Sunday) or a month; the code must be of the kind's form. */
export function parseReportPeriod(kind: ReportPeriodKind, code: string): ReportPeriod {
  if (kind === 'weekly') {
    const m = WEEK.exec(code);
    if (!m) throw new RangeError(`not an ISO week: ${code} (expected e.g. 2026-W48)`);
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (week < 1 || week > isoWeeksInYear(year)) throw new RangeError(`${year} has no week ${week}`);
    const firstDay = addDays(firstMondayOfIsoYear(year), (week - 1) * 7);
    const lastDay = addDays(firstDay, 6);
    return {
      kind,
      code,
      firstDay,
      lastDay,
      label: `${year}年第${week}周(${dayLabel(firstDay)}—${dayLabel(lastDay)})`,
    };
  }
  const m = MONTH.exec(code);
  if (!m) throw new RangeError(`not a month: ${code} (expected e.g. 2026-11)`);
  return {
    kind,
    code,
    firstDay: `${code}-01`,
    lastDay: lastDayOfMonth(code),
    label: `${Number(m[1])}年${Number(m[2])}月`,
  };
}
