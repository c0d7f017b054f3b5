import { toWanYuan } from '../../../../../libs/domain/src/money';

/**
 * Exact 万元 of a yuan amount: six decimals reach the 分, trailing zeros past the second dropped
 * ('30010000.01' → '3001.000001', '100000000.00' → '10000.00'); what the edit form takes back.
 */
export function wanText(yuan: string): string {
  return toWanYuan(yuan, 6).replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** A target or actual as people read it: "4 个", "3001.000001 万元"; `empty` when there is none. */
export function metricFigure(
  kind: 'count' | 'amount',
  value: number | string | null | undefined,
  empty = '—',
): string {
  if (value === null || value === undefined) return empty;
  return kind === 'count' ? `${value} 个` : `${wanText(String(value))} 万元`;
}
