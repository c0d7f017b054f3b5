/**
 * Money is exact. Amounts cross the system as decimal strings of yuan with at most two decimals
 * ('150000000.00'); arithmetic is done here in integer 分 (fen) with bigint, never binary floating point.
 */

export type Yuan = string;
/** Integer 分 (1 yuan = 100 fen). */
export type Fen = bigint;

export const FEN_PER_YUAN = 100n;
/** 1万元 in 分. */
export const WAN_YUAN: Fen = 10_000n * FEN_PER_YUAN;
/** 1亿元 in 分. */
export const YI_YUAN: Fen = 100_000_000n * FEN_PER_YUAN;

const YUAN_RE = /^(-)?(\d{1,15})(?:\.(\d{1,2}))?$/;

/** Parses a yuan decimal string into 分, or null when it is not one. */
export function tryParseYuan(value: unknown): Fen | null {
  if (typeof value !== 'string') return null;
  const m = YUAN_RE.exec(value.trim());
  if (!m) return null;
  const whole = BigInt(m[2]);
  const cents = BigInt((m[3] ?? '').padEnd(2, '0'));
  const fen = whole * FEN_PER_YUAN + cents;
  return m[1] ? -fen : fen;
}

export function isYuan(value: unknown): value is Yuan {
  return tryParseYuan(value) !== null;
}

/** Parses a yuan decimal string into 分; throws on anything else. */
export function parseYuan(value: Yuan): Fen {
  const fen = tryParseYuan(value);
  if (fen === null) throw new RangeError(`not a yuan amount: ${String(value)}`);
  return fen;
}

/** 分 to the canonical yuan string with two decimals: 15000000000n → '150000000.00'. */
export function formatYuan(fen: Fen): Yuan {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = abs / FEN_PER_YUAN;
  const cents = abs % FEN_PER_YUAN;
  return `${negative ? '-' : ''}${whole.toString()}.${cents.toString().padStart(2, '0')}`;
}

/** Canonical form of a yuan string ('1.5' → '1.50'). */
export function normaliseYuan(value: Yuan): Yuan {
  return formatYuan(parseYuan(value));
}

export function addYuan(a: Yuan, b: Yuan): Yuan {
  return formatYuan(parseYuan(a) + parseYuan(b));
}

export function subtractYuan(a: Yuan, b: Yuan): Yuan {
  return formatYuan(parseYuan(a) - parseYuan(b));
}

export function compareYuan(a: Yuan, b: Yuan): number {
  const x = parseYuan(a);
  const y = parseYuan(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sumYuan(values: Yuan[]): Yuan {
  return formatYuan(values.reduce((acc, v) => acc + parseYuan(v), 0n));
}

/**
 * numerator / denominator as a decimal string with `decimals` places, rounded half away from zero.
 * The one place where a division happens; everything stays in bigint.
 */
export function divideToDecimal(numerator: bigint, denominator: bigint, decimals: number): string {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const scale = 10n ** BigInt(decimals);
  const scaled = n * scale;
  let q = scaled / d;
  if ((scaled % d) * 2n >= d) q += 1n;
  if (q === 0n) return decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0';
  const digits = q.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${frac}` : ''}`;
}

/** Amount in 万元 for reports: toWanYuan('150000000') → '15000.00'. */
export function toWanYuan(value: Yuan | Fen, decimals = 2): string {
  const fen = typeof value === 'bigint' ? value : parseYuan(value);
  return divideToDecimal(fen, WAN_YUAN, decimals);
}

/** Amount in 亿元 for reports: toYiYuan('150000000') → '1.50'. */
export function toYiYuan(value: Yuan | Fen, decimals = 2): string {
  const fen = typeof value === 'bigint' ? value : parseYuan(value);
  return divideToDecimal(fen, YI_YUAN, decimals);
}

/** 万元 decimal string to yuan: fromWanYuan('500') → '5000000.00'. */
export function fromWanYuan(wan: string): Yuan {
  const m = /^(\d{1,11})(?:\.(\d{1,6}))?$/.exec(wan.trim());
  if (!m) throw new RangeError(`not a 万元 amount: ${wan}`);
  const fen = BigInt(m[1] + (m[2] ?? '').padEnd(6, '0'));
  return formatYuan(fen);
}

/** Size bands the reports group by (亿元以上, 5亿, 10亿, 50亿, 100亿). */
export type SizeBand = 'below_100m' | '100m_plus' | '500m_plus' | '1b_plus' | '5b_plus' | '10b_plus';

export const SIZE_BAND_LABELS: Record<SizeBand, string> = {
  below_100m: '亿元以下',
  '100m_plus': '亿元以上',
  '500m_plus': '5亿元以上',
  '1b_plus': '10亿元以上',
  '5b_plus': '50亿元以上',
  '10b_plus': '100亿元以上',
};

export function sizeBand(amount: Yuan): SizeBand {
  const fen = parseYuan(amount);
  if (fen >= 100n * YI_YUAN) return '10b_plus';
  if (fen >= 50n * YI_YUAN) return '5b_plus';
  if (fen >= 10n * YI_YUAN) return '1b_plus';
  if (fen >= 5n * YI_YUAN) return '500m_plus';
  if (fen >= YI_YUAN) return '100m_plus';
  return 'below_100m';
}
