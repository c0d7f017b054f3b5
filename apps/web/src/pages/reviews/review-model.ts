import type { components } from '../../api/schema';
import { quarterProblem } from '../../../../../libs/domain/src/calendar-bounds';
import { shanghaiDate } from '../../../../../libs/domain/src/dates';
import { parseQuarter } from '../../../../../libs/domain/src/quarters';

// The report's shapes as the API documents them (GET /api/reviews/{quarter}), from the generated schema
// (not through the client, so that pure specs can import this file).
type Schemas = components['schemas'];
/** A share as the report stores it: its parts and its percent (two decimals), null over nothing. */
export type Ratio = Schemas['CountRatioView'] | Schemas['AmountRatioView'];
/** Every rate of one scope of the report. */
export type Rates = Schemas['ReviewRatesView'];
export type StalledEntry = Schemas['StalledEntryView'];
export type SupervisionSummary = Schemas['SupervisionSummaryView'];
/** A stored review as GET /api/reviews/{quarter} answers it, scoped to the reader. */
export type StoredReview = Schemas['StoredReviewView'];

/** The rates a report shows, each a column: its title and where it is in Rates. */
export const RATE_COLUMNS: { key: string; title: string; of: (r: Rates) => Ratio }[] = [
  { key: 'start-prev', title: '上年度签约项目开工率', of: (r) => r.startRate.previousYear.all },
  { key: 'start-prev-ind', title: '其中工业项目', of: (r) => r.startRate.previousYear.industrial },
  { key: 'start-cur', title: '当年签约项目开工率', of: (r) => r.startRate.currentYear.all },
  { key: 'start-cur-ind', title: '其中工业项目', of: (r) => r.startRate.currentYear.industrial },
  { key: 'funds', title: '新开工项目到资率', of: (r) => r.fundsArrivalRate },
  { key: 'stats', title: '新开工项目入统率', of: (r) => r.statisticsRate },
  { key: 'landing-prev', title: '上年度落地率', of: (r) => r.landingRate.previousYear },
  { key: 'landing-cur', title: '当年落地率', of: (r) => r.landingRate.currentYear },
  { key: 'performance-prev', title: '上年度履约率', of: (r) => r.performanceRate.previousYear },
  { key: 'performance-cur', title: '当年履约率', of: (r) => r.performanceRate.currentYear },
  { key: 'industrial-share', title: '工业项目占比', of: (r) => r.industrialShare },
  { key: 'private-share', title: '民营投资项目占比', of: (r) => r.privateShare },
];

/** A share as users read it: 62.50%, or — where there is nothing to share. */
export function percentText(ratio: Ratio): string {
  return ratio.percent === null ? '—' : `${ratio.percent}%`;
}

/** An instant as officers write it, in China's time zone (UTC+8, no daylight saving): 2025-05-20 09:30. */
export function shanghaiMinute(instant: string): string {
  const clock = new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(11, 16);
  return `${shanghaiDate(instant)} ${clock}`;
}

/**
 * A tag's colours that read: white on antd's darkest shade of each hue (the preset tags' pale
 * backgrounds fall short of WCAG AA contrast for green, orange and gold).
 */
export const TAG_STYLES: Record<string, { color: string; background: string; borderColor: string }> =
  Object.fromEntries(
    Object.entries({
      red: '#a8071a',
      green: '#135200',
      orange: '#873800',
      volcano: '#871400',
      magenta: '#780650',
      gold: '#613400',
    }).map(([hue, shade]) => [hue, { color: '#fff', background: shade, borderColor: shade }]),
  );

/**
 * Why a quarter cannot be reviewed, in Chinese, or null: the format and bounds of the domain's
 * quarterProblem, and a quarter that has not ended (the API refuses it with 422 just the same).
 */
export function quarterRefusal(value: string | undefined, today: string): string | null {
  const quarter = (value ?? '').trim();
  if (!quarter) return '请填写季度';
  const problem = quarterProblem(quarter, today);
  if (problem?.rule === 'format') return '请按 2025Q3 的格式填写季度';
  if (problem?.rule === 'earliest') return '季度不能早于 2000Q1';
  const { lastDay } = parseQuarter(quarter);
  if (lastDay >= today) return `${quarter} 尚未结束(${lastDay} 结束),不能回头看`;
  return null;
}

/** The last quarter that has ended, the form's suggestion. */
export function lastEnded(today: string): string {
  const year = Number(today.slice(0, 4));
  const q = Math.ceil(Number(today.slice(5, 7)) / 3);
  return q === 1 ? `${year - 1}Q4` : `${year}Q${q - 1}`;
}
