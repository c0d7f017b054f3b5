import { formatYuan, normaliseYuan, parseYuan, toWanYuan, YI_YUAN } from './money';

/** What a region's annual targets are set on; counts of projects, or yuan. */
export type TargetMetric =
  | 'signed_projects'
  | 'new_started_100m_projects'
  | 'funds_arrived'
  | 'landed_projects'
  | 'started_projects'
  | 'in_stats_projects';

export interface TargetMetricDefinition {
  metric: TargetMetric;
  /** As the bulletins print it. */
  label: string;
  kind: 'count' | 'amount';
  /** The unit people read: 个 for projects; amounts are shown in 万元 (yuan in the API). */
  unit: '个' | '万元';
  description: string;
}

/** Every metric, in the order bulletins list them: the one place their labels live. */
export const TARGET_METRICS: readonly TargetMetricDefinition[] = [
  {
    metric: 'signed_projects',
    label: '签约项目数',
    kind: 'count',
    unit: '个',
    description: 'projects whose contract date falls in the year, up to asOf',
  },
  {
    metric: 'new_started_100m_projects',
    label: '新开工亿元以上项目数',
    kind: 'count',
    unit: '个',
    description:
      'projects that started construction in the year, up to asOf, with contract investment (planned where none) of 1亿元 or more',
  },
  {
    metric: 'funds_arrived',
    label: '到位资金',
    kind: 'amount',
    unit: '万元',
    description: "funds arrived (net) in the year's months up to asOf's month, in yuan",
  },
  {
    metric: 'landed_projects',
    label: '落地项目数',
    kind: 'count',
    unit: '个',
    description: 'projects landed in the year, up to asOf',
  },
  {
    metric: 'started_projects',
    label: '新开工项目数',
    kind: 'count',
    unit: '个',
    description: 'projects that started construction in the year, up to asOf',
  },
  {
    metric: 'in_stats_projects',
    label: '入统项目数',
    kind: 'count',
    unit: '个',
    description: 'projects entered in the statistics in the year, up to asOf',
  },
];

export const TARGET_METRIC_CODES: readonly TargetMetric[] = TARGET_METRICS.map((m) => m.metric);

export const TARGET_METRIC_BY_CODE = Object.fromEntries(TARGET_METRICS.map((m) => [m.metric, m])) as Record<
  TargetMetric,
  TargetMetricDefinition
>;

export function isTargetMetric(value: unknown): value is TargetMetric {
  return (TARGET_METRIC_CODES as readonly unknown[]).includes(value);
}

/** The 新开工亿元以上 threshold, as the SQL compares it. */
export const HUNDRED_MILLION_YUAN = formatYuan(YI_YUAN);

/** A target or actual as the API carries it: an integer count, or exact yuan. */
export type MetricValue = number | string;

/** A region's set of targets for a year: the metrics it has a target on. */
export type TargetSet = Partial<Record<TargetMetric, MetricValue>>;

/** How a figure reads in a sentence: "12 个", "1234.56 万元". */
export function describeValue(metric: TargetMetric, value: MetricValue): string {
  const { kind, unit } = TARGET_METRIC_BY_CODE[metric];
  return kind === 'count' ? `${value} ${unit}` : `${toWanYuan(String(value))} ${unit}`;
}

/**
 * A value in the metric's own form: a count as a whole number (of a stored numeric, its integer
 * part), an amount as two-decimal yuan.
 */
export function metricValue(metric: TargetMetric, value: MetricValue): MetricValue {
  return TARGET_METRIC_BY_CODE[metric].kind === 'count'
    ? Number(String(value).split('.')[0])
    : normaliseYuan(String(value));
}

/** Whether a target is above 0: only such a target has a completion rate. */
export function isPositiveTarget(metric: TargetMetric, value: MetricValue): boolean {
  return TARGET_METRIC_BY_CODE[metric].kind === 'count' ? Number(value) > 0 : parseYuan(String(value)) > 0n;
}

/** A set in metric order, so equal sets compare and store alike. */
export function canonicalTargets(targets: TargetSet): TargetSet {
  return Object.fromEntries(
    TARGET_METRICS.flatMap(({ metric }) =>
      targets[metric] === undefined ? [] : [[metric, targets[metric]]],
    ),
  );
}
