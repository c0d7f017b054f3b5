import { dateParts, daysInYear, toEpochDay, type IsoDate } from './dates';
import { divideToDecimal, parseYuan, type Yuan } from './money';
import {
  describeValue,
  isPositiveTarget,
  TARGET_METRIC_BY_CODE,
  type MetricValue,
  type TargetMetric,
} from './targets';

/**
 * 时序进度: the share of the year gone by the end of asOf — day-of-year(asOf) ÷ days in the year,
 * in percent with two decimals (30 June 2025: 181 ÷ 365 = 49.59).
 */
export function timeProgress(asOf: IsoDate): string {
  const { year } = dateParts(asOf);
  const dayOfYear = toEpochDay(asOf) - toEpochDay(`${year}-01-01`) + 1;
  return divideToDecimal(BigInt(dayOfYear) * 100n, BigInt(daysInYear(year)), 2);
}

export interface TargetProgress {
  /** actual ÷ target, percent. */
  completionPercent: string;
  timeProgressPercent: string;
  /** completion − time progress in percentage points: "超时序进度 X 个百分点" when positive. */
  aheadByPoints: string;
  ahead: boolean;
}

/** Progress against an annual target beside 时序进度; actual and target are counts or yuan amounts. */
export function progressAgainstTarget(
  actual: number | Yuan,
  target: number | Yuan,
  asOf: IsoDate,
): TargetProgress {
  const toHundredths = (v: number | Yuan): bigint =>
    typeof v === 'number' ? BigInt(Math.trunc(v)) * 100n : parseYuan(v);
  const a = toHundredths(actual);
  const t = toHundredths(target);
  if (t <= 0n) throw new RangeError('the target must be positive');
  const { year } = dateParts(asOf);
  const dayOfYear = BigInt(toEpochDay(asOf) - toEpochDay(`${year}-01-01`) + 1);
  const days = BigInt(daysInYear(year));
  const completion = divideToDecimal(a * 100n, t, 2);
  const time = divideToDecimal(dayOfYear * 100n, days, 2);
  // The difference is taken exactly (a/t − day/days) before rounding.
  const diffNumerator = (a * days - dayOfYear * t) * 100n;
  const ahead = divideToDecimal(diffNumerator, t * days, 2);
  return {
    completionPercent: completion,
    timeProgressPercent: time,
    aheadByPoints: ahead,
    ahead: diffNumerator > 0n,
  };
}

/** "超时序进度 3.21 个百分点" / "落后时序进度 5.00 个百分点" / "与时序进度持平", of two-decimal points. */
export function aheadSentence(points: string): string {
  if (/^-?0\.00$/.test(points)) return '与时序进度持平';
  return points.startsWith('-')
    ? `落后时序进度 ${points.slice(1)} 个百分点`
    : `超时序进度 ${points} 个百分点`;
}

/** One metric's target against its actual, beside 时序进度, with the sentences a bulletin prints. */
export interface MetricProgress {
  metric: TargetMetric;
  label: string;
  target: MetricValue;
  actual: MetricValue;
  /** null when the target is 0. */
  completionPercent: string | null;
  timeProgressPercent: string;
  aheadByPoints: string | null;
  assessment: string;
  summary: string;
}

/** One metric's progress against its target beside 时序进度. */
export function metricProgress(
  metric: TargetMetric,
  target: MetricValue,
  actual: MetricValue,
  asOf: IsoDate,
): MetricProgress {
  const { label } = TARGET_METRIC_BY_CODE[metric];
  const done = `${label}完成 ${describeValue(metric, actual)},目标 ${describeValue(metric, target)}`;
  const time = timeProgress(asOf);
  if (!isPositiveTarget(metric, target)) {
    // A zero target has no completion rate; it is shown but left out of the ranking.
    const assessment = '目标为 0,不计进度';
    return {
      metric,
      label,
      target,
      actual,
      completionPercent: null,
      timeProgressPercent: time,
      aheadByPoints: null,
      assessment,
      summary: `${done},${assessment}`,
    };
  }
  const progress = progressAgainstTarget(actual, target, asOf);
  const assessment = aheadSentence(progress.aheadByPoints);
  return {
    metric,
    label,
    target,
    actual,
    completionPercent: progress.completionPercent,
    timeProgressPercent: progress.timeProgressPercent,
    aheadByPoints: progress.aheadByPoints,
    assessment,
    summary: `${done},完成率 ${progress.completionPercent}%,${assessment}`,
  };
}

/** A region's progress on each metric it has a target on. */
export interface RegionProgress {
  region: string;
  metrics: MetricProgress[];
}

/** A region as the bulletin ranks it. */
export interface RankedRegion extends RegionProgress {
  /** null when no target is above 0. */
  rank: number | null;
  /** The mean of the metrics' aheadByPoints, two decimals. */
  scorePoints: string | null;
  assessment: string;
}

/** The ranking rule, as the bulletin prints it. */
export const RANKING_RULE =
  '按各项目标"完成率减时序进度"(百分点,保留两位小数)的算术平均值从高到低排名;平均值相同的按地区代码升序;' +
  '目标为 0 的指标不参与平均,没有可比指标的地区列于最后、不排名。';

/** Two-decimal percentage points as integer hundredths (they have the shape of yuan amounts). */
const hundredths = (points: string): bigint => parseYuan(points);

/**
 * Ranks regions by the mean of their metrics' aheadByPoints as printed (two decimals), so anyone can
 * check the order from the bulletin itself; ties by region code; regions with nothing to score last.
 */
export function rankRegions(regions: RegionProgress[]): RankedRegion[] {
  const scored = regions.map((r) => {
    const points = r.metrics.flatMap((m) => (m.aheadByPoints === null ? [] : [hundredths(m.aheadByPoints)]));
    const score =
      points.length === 0
        ? null
        : divideToDecimal(
            points.reduce((a, b) => a + b, 0n),
            BigInt(points.length) * 100n,
            2,
          );
    return { ...r, score };
  });
  scored.sort((a, b) => {
    if (a.score === null || b.score === null) {
      if (a.score !== b.score) return a.score === null ? 1 : -1;
    } else {
      const diff = hundredths(b.score) - hundredths(a.score);
      if (diff !== 0n) return diff > 0n ? 1 : -1;
    }
    return a.region < b.region ? -1 : a.region > b.region ? 1 : 0;
  });
  let rank = 0;
  return scored.map(({ score, ...r }) => ({
    ...r,
    rank: score === null ? null : ++rank,
    scorePoints: score,
    assessment: score === null ? '无可比指标,不排名' : aheadSentence(score),
  }));
}
