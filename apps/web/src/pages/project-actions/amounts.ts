import { fromWanYuan } from '../../../../../libs/domain/src/money';

/**
 * An amount typed in 万元 as the exact yuan string the API takes, or null when it is not one:
 * '3000.5' → '30005000.00'. Six decimals of 万元 reach the 分; no floating point on the way.
 */
export function wanToYuan(text: string, options: { signed?: boolean } = {}): string | null {
  const t = text.trim();
  const negative = t.startsWith('-');
  if (negative && !options.signed) return null;
  try {
    const yuan = fromWanYuan(negative ? t.slice(1) : t);
    return negative ? `-${yuan}` : yuan;
  } catch {
    return null;
  }
}
