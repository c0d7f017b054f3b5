/**
 * The rates of the 回头看 and the targets' actuals as formulas over project snapshots: an oracle
 * for the tests, written independently of the SQL that defines them (libs/quarterly-review's
 * figures, the targets' queries), which the property test holds the SQL to
 * (test/integration/metrics-oracle.test.ts).
 */
import {
  addMonths,
  addMonthsToMonth,
  amountRatio,
  countRatio,
  formatYuan,
  isFromOutsideProvince,
  lastDayOfMonth,
  monthOf,
  parseYuan,
  regionCovers,
  STATISTICS_THRESHOLD,
  tryParseYuan,
  YI_YUAN,
  type AmountRatio,
  type CountRatio,
  type InvestorFlag,
  type InvestorType,
  type IsoDate,
  type IsoMonth,
  type MetricValue,
  type ProductionScope,
  type ProjectState,
  type RedFlag,
  type StageCode,
  type TargetMetric,
  type Yuan,
} from '../../libs/domain/src';
import type { ReviewRates } from '../../libs/quarterly-review/src';

/** A flat, JSON-friendly view of one project, enough for every metric. */
export interface ProjectSnapshot {
  projectId: string;
  name: string;
  region: string;
  park: string | null;
  industryChain: string;
  industrial: boolean;
  investorType: InvestorType;
  investorFlags: InvestorFlag[];
  /** Where the investor is based (a division code), when recorded. */
  investorOrigin: string | null;
  stage: StageCode;
  plannedInvestment: Yuan;
  contractInvestment: Yuan | null;
  fundsArrivedTotal: Yuan;
  /** Funds arrived by month (net of adjustments), months ascending. */
  fundsByMonth: { month: IsoMonth; amount: Yuan }[];
  leadDate: IsoDate;
  signedDate: IsoDate | null;
  landedDate: IsoDate | null;
  startedDate: IsoDate | null;
  inStatsDate: IsoDate | null;
  productionDate: IsoDate | null;
  productionScope: ProductionScope | null;
  droppedDate: IsoDate | null;
}

/** The snapshot of a project's state, or null before the project exists. */
export function toSnapshot(state: ProjectState): ProjectSnapshot | null {
  if (!state.exists || !state.projectId || !state.stage || !state.investor) return null;
  const byMonth = new Map<string, bigint>();
  for (const e of state.fundsArrived)
    byMonth.set(e.month, (byMonth.get(e.month) ?? 0n) + parseYuan(e.amount));
  return {
    projectId: state.projectId,
    name: state.name ?? '',
    region: state.region ?? '',
    park: state.park,
    industryChain: state.industryChain ?? '',
    industrial: state.industrial ?? false,
    investorType: state.investor.type,
    investorFlags: [...state.investor.flags],
    investorOrigin: state.investor.origin ?? null,
    stage: state.stage,
    plannedInvestment: state.plannedInvestment ?? '0.00',
    contractInvestment: state.contractInvestment,
    fundsArrivedTotal: state.fundsArrivedTotal,
    fundsByMonth: [...byMonth.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([month, fen]) => ({ month, amount: formatYuan(fen) })),
    leadDate: state.leadDate ?? '',
    signedDate: state.signedDate,
    landedDate: state.landedDate,
    startedDate: state.startedDate,
    inStatsDate: state.inStatsDate,
    productionDate: state.productionDate,
    productionScope: state.productionScope,
    droppedDate: state.droppedDate,
  };
}

export interface MetricOptions {
  /** Leave out projects dropped on or before asOf. Default false: a dropped signing still counts. */
  excludeDropped?: boolean;
  /** Only industrial projects (工业项目). */
  industrialOnly?: boolean;
}

const on = (date: IsoDate | null, asOf: IsoDate): boolean => date !== null && date <= asOf;
const yearOf = (date: IsoDate): number => Number(date.slice(0, 4));

function population(snapshots: ProjectSnapshot[], asOf: IsoDate, options: MetricOptions): ProjectSnapshot[] {
  return snapshots.filter(
    (s) => (!options.excludeDropped || !on(s.droppedDate, asOf)) && (!options.industrialOnly || s.industrial),
  );
}

/** Projects signed in `year`, on or before asOf. */
function cohort(
  snapshots: ProjectSnapshot[],
  year: number,
  asOf: IsoDate,
  options: MetricOptions,
): ProjectSnapshot[] {
  return population(snapshots, asOf, options).filter(
    (s) => on(s.signedDate, asOf) && yearOf(s.signedDate!) === year,
  );
}

/**
 * 开工率 of a signing-year cohort: of the projects signed in `signingYear` (contract date on or
 * before asOf), the share whose construction started on or before asOf.
 * numerator = #{signed in year, startedDate ≤ asOf}; denominator = #{signed in year, signedDate ≤ asOf}.
 */
export function startRate(
  snapshots: ProjectSnapshot[],
  signingYear: number,
  asOf: IsoDate,
  options: MetricOptions = {},
): CountRatio {
  const members = cohort(snapshots, signingYear, asOf, options);
  return countRatio(members.filter((s) => on(s.startedDate, asOf)).length, members.length);
}

export interface CohortStartRates {
  /** 上年度签约项目开工率: the cohort signed in the year before asOf's year. */
  previousYear: { all: CountRatio; industrial: CountRatio };
  /** 当年签约项目开工率: the cohort signed in asOf's year. */
  currentYear: { all: CountRatio; industrial: CountRatio };
}

/** 上年度 and 当年 签约项目开工率, all projects and industrial projects, as Yichang reports them. */
export function startRatesByCohort(
  snapshots: ProjectSnapshot[],
  asOf: IsoDate,
  options: Omit<MetricOptions, 'industrialOnly'> = {},
): CohortStartRates {
  const year = yearOf(asOf);
  const pair = (y: number): { all: CountRatio; industrial: CountRatio } => ({
    all: startRate(snapshots, y, asOf, options),
    industrial: startRate(snapshots, y, asOf, { ...options, industrialOnly: true }),
  });
  return { previousYear: pair(year - 1), currentYear: pair(year) };
}

/** 开工率 of every cohort from `fromYear` to asOf's year (older cohorts, as 海南 sets targets per cohort). */
export function startRatesByYear(
  snapshots: ProjectSnapshot[],
  fromYear: number,
  asOf: IsoDate,
  options: MetricOptions = {},
): { signingYear: number; rate: CountRatio }[] {
  const out: { signingYear: number; rate: CountRatio }[] = [];
  for (let y = fromYear; y <= yearOf(asOf); y++)
    out.push({ signingYear: y, rate: startRate(snapshots, y, asOf, options) });
  return out;
}

/** Projects whose construction started in asOf's year, on or before asOf (新开工项目). */
function newlyStarted(
  snapshots: ProjectSnapshot[],
  asOf: IsoDate,
  options: MetricOptions,
): ProjectSnapshot[] {
  return population(snapshots, asOf, options).filter(
    (s) => on(s.startedDate, asOf) && yearOf(s.startedDate!) === yearOf(asOf),
  );
}

/** Funds arrived in months up to asOf's month, in 分. */
function fundsUpTo(s: ProjectSnapshot, asOf: IsoDate): bigint {
  const last = monthOf(asOf);
  return s.fundsByMonth.filter((f) => f.month <= last).reduce((acc, f) => acc + parseYuan(f.amount), 0n);
}

/**
 * 新开工项目到资率: over the projects that started construction in asOf's year (on or before asOf),
 * Σ funds arrived in months up to asOf's month ÷ Σ contract investment (planned where none).
 */
export function fundsArrivalRate(
  snapshots: ProjectSnapshot[],
  asOf: IsoDate,
  options: MetricOptions = {},
): AmountRatio {
  let funds = 0n;
  let contracted = 0n;
  for (const s of newlyStarted(snapshots, asOf, options)) {
    funds += fundsUpTo(s, asOf);
    contracted += parseYuan(s.contractInvestment ?? s.plannedInvestment);
  }
  return amountRatio(funds, contracted);
}

/**
 * 新开工项目入统率: of the projects that started construction in asOf's year (on or before asOf) and
 * qualify for the statistics (planned investment ≥ 500万元), the share with inStatsDate ≤ asOf.
 */
export function statisticsRate(
  snapshots: ProjectSnapshot[],
  asOf: IsoDate,
  options: MetricOptions = {},
): CountRatio {
  const members = newlyStarted(snapshots, asOf, options).filter(
    (s) => (tryParseYuan(s.plannedInvestment) ?? 0n) >= STATISTICS_THRESHOLD,
  );
  return countRatio(members.filter((s) => on(s.inStatsDate, asOf)).length, members.length);
}

/**
 * 落地率 of a signing-year cohort: of the projects signed in `signingYear` (on or before asOf), the
 * share landed (company registered and site secured) on or before asOf.
 */
export function landingRate(
  snapshots: ProjectSnapshot[],
  signingYear: number,
  asOf: IsoDate,
  options: MetricOptions = {},
): CountRatio {
  const members = cohort(snapshots, signingYear, asOf, options);
  return countRatio(members.filter((s) => on(s.landedDate, asOf)).length, members.length);
}

/**
 * 履约率 (performance of the start commitment) of a signing-year cohort: of the projects signed in
 * `signingYear` whose start deadline (contract date + `startWithinMonths`, default 6) is on or before
 * asOf, the share whose construction started on or before that deadline. The seeds do not publish a
 * formula; this one measures the signed promise the reports hold projects to ("签约项目未按时开工").
 */
export function performanceRate(
  snapshots: ProjectSnapshot[],
  signingYear: number,
  asOf: IsoDate,
  options: MetricOptions & { startWithinMonths?: number } = {},
): CountRatio {
  const within = options.startWithinMonths ?? 6;
  const members = cohort(snapshots, signingYear, asOf, options).filter(
    (s) => addMonths(s.signedDate!, within) <= asOf,
  );
  const kept = members.filter(
    (s) => s.startedDate !== null && s.startedDate <= addMonths(s.signedDate!, within),
  );
  return countRatio(kept.length, members.length);
}

/** 工业项目占比: of the projects signed in asOf's year (on or before asOf), the share that are industrial. */
export function industrialShare(
  snapshots: ProjectSnapshot[],
  asOf: IsoDate,
  options: MetricOptions = {},
): CountRatio {
  const members = cohort(snapshots, yearOf(asOf), asOf, { ...options, industrialOnly: false });
  return countRatio(members.filter((s) => s.industrial).length, members.length);
}

/** 民营投资项目占比: of the projects signed in asOf's year (on or before asOf), the share with a private investor. */
export function privateShare(
  snapshots: ProjectSnapshot[],
  asOf: IsoDate,
  options: MetricOptions = {},
): CountRatio {
  const members = cohort(snapshots, yearOf(asOf), asOf, options);
  return countRatio(members.filter((s) => s.investorType === 'private').length, members.length);
}

/**
 * The red flags a project carries as of a date (渭南):
 * - signed over a year ago (signedDate + 12 months < asOf) and not started;
 * - started, and the three latest complete months (all after the start month) had no funds arrived;
 * - started over six months ago (startedDate + 6 months < asOf) with funds arrived < 15% of the contract;
 * - production recorded but not 入统 (only projects that qualify, ≥ 500万元).
 * Dropped projects carry none.
 */
export function redFlags(s: ProjectSnapshot, asOf: IsoDate): RedFlag[] {
  if (on(s.droppedDate, asOf) && s.stage === 'dropped') return [];
  const flags: RedFlag[] = [];
  const started = on(s.startedDate, asOf);
  if (on(s.signedDate, asOf) && !started && addMonths(s.signedDate!, 12) < asOf) {
    flags.push('signed_over_a_year_not_started');
  }
  if (started) {
    const startMonth = monthOf(s.startedDate!);
    // The three latest complete months: asOf's own month when asOf is its last day.
    const newest =
      asOf === lastDayOfMonth(monthOf(asOf)) ? monthOf(asOf) : addMonthsToMonth(monthOf(asOf), -1);
    const lastThree = [0, 1, 2].map((k) => addMonthsToMonth(newest, -k));
    if (lastThree.every((m) => m > startMonth)) {
      const any = s.fundsByMonth.some((f) => lastThree.includes(f.month) && parseYuan(f.amount) > 0n);
      if (!any) flags.push('no_funds_three_months_running');
    }
    const contract = tryParseYuan(s.contractInvestment ?? s.plannedInvestment) ?? 0n;
    if (addMonths(s.startedDate!, 6) < asOf && contract > 0n && fundsUpTo(s, asOf) * 100n < contract * 15n) {
      flags.push('funds_below_15_percent_after_six_months');
    }
  }
  if (
    on(s.productionDate, asOf) &&
    !on(s.inStatsDate, asOf) &&
    (tryParseYuan(s.plannedInvestment) ?? 0n) >= STATISTICS_THRESHOLD
  ) {
    flags.push('producing_not_in_statistics');
  }
  return flags;
}

/** Snapshots grouped by region or industry chain, keys sorted, for the per-region and per-chain reviews. */
export function groupSnapshots(
  snapshots: ProjectSnapshot[],
  by: 'region' | 'industryChain',
): { key: string; snapshots: ProjectSnapshot[] }[] {
  const groups = new Map<string, ProjectSnapshot[]>();
  for (const s of snapshots) groups.set(s[by], [...(groups.get(s[by]) ?? []), s]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => ({ key, snapshots: list }));
}

/** Every rate of the review as these formulas compute it over snapshots (start within 6 months). */
export function reviewRatesOf(
  snapshots: ProjectSnapshot[],
  asOf: IsoDate,
  startWithinMonths = 6,
): ReviewRates {
  const year = Number(asOf.slice(0, 4));
  return {
    projects: snapshots.length,
    startRate: startRatesByCohort(snapshots, asOf),
    fundsArrivalRate: fundsArrivalRate(snapshots, asOf),
    statisticsRate: statisticsRate(snapshots, asOf),
    landingRate: {
      previousYear: landingRate(snapshots, year - 1, asOf),
      currentYear: landingRate(snapshots, year, asOf),
    },
    performanceRate: {
      previousYear: performanceRate(snapshots, year - 1, asOf, { startWithinMonths }),
      currentYear: performanceRate(snapshots, year, asOf, { startWithinMonths }),
    },
    industrialShare: industrialShare(snapshots, asOf),
    privateShare: privateShare(snapshots, asOf),
  };
}

/**
 * A region's actuals for its annual targets, from 1 January of asOf's year to asOf: the projects
 * the region covers (a county itself, a city its counties, a province all within it) that reached
 * each step in that span, dropped or not; and the funds arrived (net) in the year's months up to
 * asOf's month.
 */
export function targetActuals(
  snapshots: ProjectSnapshot[],
  region: string,
  asOf: IsoDate,
): Record<TargetMetric, MetricValue> {
  const first = `${yearOf(asOf)}-01-01`;
  const firstMonth = first.slice(0, 7);
  const lastMonth = monthOf(asOf);
  const covered = snapshots.filter((s) => regionCovers(region, s.region));
  const within = (date: IsoDate | null): boolean => date !== null && date >= first && date <= asOf;
  const count = (date: (s: ProjectSnapshot) => IsoDate | null): number =>
    covered.filter((s) => within(date(s))).length;
  const funds = covered
    .flatMap((s) => s.fundsByMonth)
    .filter((f) => f.month >= firstMonth && f.month <= lastMonth)
    .reduce((acc, f) => acc + parseYuan(f.amount), 0n);
  const signed = covered.filter((s) => within(s.signedDate));
  const investment = (s: ProjectSnapshot): bigint => parseYuan(s.contractInvestment ?? s.plannedInvestment);
  // 省外 as the domain states it, so that the property test holds the SQL to the domain's rule.
  const outside = covered.filter((s) =>
    isFromOutsideProvince({ type: s.investorType, origin: s.investorOrigin }, s.region),
  );
  const outsideFunds = outside
    .flatMap((s) => s.fundsByMonth)
    .filter((f) => f.month >= firstMonth && f.month <= lastMonth)
    .reduce((acc, f) => acc + parseYuan(f.amount), 0n);
  return {
    signed_projects: signed.length,
    signed_amount: formatYuan(signed.reduce((acc, s) => acc + investment(s), 0n)),
    new_signed_100m_projects: signed.filter((s) => investment(s) >= YI_YUAN).length,
    funds_outside_province: formatYuan(outsideFunds),
    new_started_100m_projects: covered.filter(
      (s) => within(s.startedDate) && parseYuan(s.contractInvestment ?? s.plannedInvestment) >= YI_YUAN,
    ).length,
    funds_arrived: formatYuan(funds),
    landed_projects: count((s) => s.landedDate),
    started_projects: count((s) => s.startedDate),
    in_stats_projects: count((s) => s.inStatsDate),
  };
}
