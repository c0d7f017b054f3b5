import type { InvestorType } from './attributes';
import { formatYuan, normaliseYuan, parseYuan, toWanYuan, YI_YUAN, type Yuan } from './money';
import type { BindParameter } from './region-scope';

/** What a region's annual targets are set on; counts of projects, or yuan. */
export type TargetMetric =
  | 'signed_projects'
  | 'signed_amount'
  | 'new_signed_100m_projects'
  | 'new_started_100m_projects'
  | 'funds_arrived'
  | 'funds_outside_province'
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
    metric: 'signed_amount',
    label: '签约金额',
    kind: 'amount',
    unit: '万元',
    description:
      'the contract investment (planned where none) of the projects signed in the year, up to asOf, in yuan',
  },
  {
    metric: 'new_signed_100m_projects',
    label: '新签约亿元以上项目数',
    kind: 'count',
    unit: '个',
    description:
      'projects signed in the year, up to asOf, with contract investment (planned where none) of 1亿元 or more',
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
    metric: 'funds_outside_province',
    label: '实际利用省外资金',
    kind: 'amount',
    unit: '万元',
    description:
      "funds arrived (net) in the year's months up to asOf's month from domestic investors based in another province (investor.origin), in yuan; foreign and 港澳台 capital and investors of unknown origin are not counted",
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

/** The 新开工/新签约亿元以上 threshold, as the SQL compares it. */
export const HUNDRED_MILLION_YUAN = formatYuan(YI_YUAN);

/**
 * The amount a project counts with in 签约金额 and the 亿元以上 counts: its contract investment, or
 * its planned investment where no contract figure is recorded.
 */
export function countedInvestment(contract: Yuan | null, planned: Yuan): Yuan {
  return normaliseYuan(contract ?? planned);
}

/** 亿元以上: 1亿元 or more, exactly (a project of 99999999.99 is not). */
export function isHundredMillionOrMore(amount: Yuan): boolean {
  return parseYuan(amount) >= YI_YUAN;
}

/**
 * Investors whose money is 境外 (foreign, 港澳台): counted as 实际利用外资, never as 省外资金, which is
 * the domestic money from other provinces.
 */
export const OFFSHORE_INVESTOR_TYPES: readonly InvestorType[] = ['foreign', 'hk_macao_taiwan'];

/** The province a 6-digit division code lies in: its first two digits ('420506' → '42'). */
export const provinceOf = (region: string): string => region.slice(0, 2);

/**
 * 实际利用省外资金: whether a project's funds arrived count as money from outside the province — a
 * domestic investor whose recorded origin (investor.origin, a division code of where it is based) lies
 * in another province than the project. An investor without a recorded origin is not counted: the
 * figure is reported upward and must not be inflated by a guess. The targets' SQL counts it over the
 * read model; the metrics oracle asks it of this function, and the property test over generated
 * portfolios holds the two to agree (test/integration/metrics-oracle.test.ts).
 */
export function isFromOutsideProvince(
  investor: { type: InvestorType; origin?: string | null },
  projectRegion: string,
): boolean {
  if (OFFSHORE_INVESTOR_TYPES.includes(investor.type)) return false;
  if (!investor.origin) return false;
  return provinceOf(investor.origin) !== provinceOf(projectRegion);
}

/**
 * isFromOutsideProvince as a SQL condition over a read model's expressions for the investor's type,
 * its recorded origin (NULL when none) and the project's region: the targets' actuals count
 * 实际利用省外资金 by it. An origin not recorded makes the comparison NULL, which is not counted.
 */
export function outsideProvinceSql(
  columns: { investorType: string; origin: string; region: string },
  bind: BindParameter,
): string {
  return (
    `(${columns.investorType} <> ALL(${bind(OFFSHORE_INVESTOR_TYPES)}::text[])` +
    ` AND left(${columns.origin}, 2) <> left(${columns.region}, 2)) IS TRUE`
  );
}

/** The longest reason a change of targets may give. */
export const TARGET_REASON_MAX = 500;

/**
 * Why a change of targets is refused for its reason, or null: every change says why (the bulletin
 * ranks regions against these figures, so a lowered target must be explained).
 */
export function targetReasonProblem(reason: unknown): 'required' | 'tooLong' | null {
  if (typeof reason !== 'string' || reason.trim() === '') return 'required';
  if (reason.trim().length > TARGET_REASON_MAX) return 'tooLong';
  return null;
}

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
