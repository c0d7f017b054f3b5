import { divideToDecimal, formatYuan, type Yuan } from './money';

// The rates' definitions are the SQL of the read models (libs/quarterly-review, the targets'
// queries): what the API serves and what reproduces the published figures. A formula over project
// snapshots restating them is kept as a test oracle only (test/support/metrics-oracle.ts). What
// lives here is what both sides share at run time: how a ratio is written, and the red flags' names.

/** A share of counts; percent has two decimals (half up), null when the denominator is 0. */
export interface CountRatio {
  numerator: number;
  denominator: number;
  percent: string | null;
}

/** A share of amounts in yuan; percent as in CountRatio. */
export interface AmountRatio {
  numerator: Yuan;
  denominator: Yuan;
  percent: string | null;
}

export function countRatio(numerator: number, denominator: number): CountRatio {
  return {
    numerator,
    denominator,
    percent: denominator === 0 ? null : divideToDecimal(BigInt(numerator) * 100n, BigInt(denominator), 2),
  };
}

export function amountRatio(numerator: bigint, denominator: bigint): AmountRatio {
  return {
    numerator: formatYuan(numerator),
    denominator: formatYuan(denominator),
    percent: denominator === 0n ? null : divideToDecimal(numerator * 100n, denominator, 2),
  };
}

/** 渭南's four red flags. */
export type RedFlag =
  | 'signed_over_a_year_not_started'
  | 'no_funds_three_months_running'
  | 'funds_below_15_percent_after_six_months'
  | 'producing_not_in_statistics';

export const RED_FLAG_LABELS: Record<RedFlag, string> = {
  signed_over_a_year_not_started: '签约超过一年未开工',
  no_funds_three_months_running: '开工后连续三个月无资金到位',
  funds_below_15_percent_after_six_months: '开工超过六个月到位资金不足合同额15%',
  producing_not_in_statistics: '已投产未入统',
};
