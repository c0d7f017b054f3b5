// Cell values as ledgers write them, to the domain's values: exact yuan strings, ISO dates, booleans.
import {
  formatYuan,
  isIsoDate,
  isIsoMonth,
  makeDate,
  type IsoDate,
  type IsoMonth,
  type Yuan,
} from '@app/domain';
import type { AmountUnit } from './columns';

/** A cell as read: formulas give their cached result, rich text its plain text, csv fields strings. */
export type LedgerCell = string | number | boolean | Date | null;

/** A cell as people read it (for problems and the marked sheet). */
export function cellText(cell: LedgerCell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : isoFromDate(cell);
  if (typeof cell === 'number') return decimalString(cell) ?? String(cell);
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  return cell.trim();
}

export function isBlank(cell: LedgerCell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

/**
 * A JS number as the decimal it was typed as: its shortest round-trip form (1.1 stays "1.1", never
 * 1.100000000000000088817841970012523), with exponents written out. Null for NaN and infinities.
 */
export function decimalString(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const exp = Number(m[4]);
  const point = 1 + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return m[1] + out;
}

const FEN_DIGITS: Record<AmountUnit, number> = { yuan: 2, wan: 6, yi: 10 };

/**
 * An amount cell in `unit` to exact yuan, or null when it is not a number. A unit written in the cell
 * itself ("500万元") wins over the column's; thousands separators and spaces are ignored. Digits below
 * a fen (a formula's binary noise, 0.30000000000000004) are rounded half away from zero.
 */
export function parseAmount(cell: LedgerCell, unit: AmountUnit): Yuan | null {
  let text: string | null;
  if (typeof cell === 'number') text = decimalString(cell);
  else if (typeof cell === 'string') text = cell.normalize('NFKC').replace(/[\s,]/g, '');
  else return null;
  if (text === null || text === '') return null;
  const suffix = /(亿元|万元|元|亿|万)$/.exec(text);
  if (suffix) {
    unit = suffix[1].startsWith('亿') ? 'yi' : suffix[1].startsWith('万') ? 'wan' : 'yuan';
    text = text.slice(0, suffix.index);
  }
  // A csv from Excel writes large General numbers as 1.2E+07: its shortest form is the decimal meant.
  if (/^[+-]?\d+(?:\.\d+)?e[+-]?\d+$/i.test(text)) text = decimalString(Number(text)) ?? text;
  const m = /^([+-])?(\d+)?(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === undefined && !m[3])) return null;
  const shift = FEN_DIGITS[unit];
  const whole = m[2] ?? '0';
  const frac = m[3] ?? '';
  const kept = (frac + '0'.repeat(shift)).slice(0, shift);
  let fen = BigInt(whole + kept);
  const rest = frac.slice(shift);
  if (rest.length > 0 && rest[0] >= '5') fen += 1n;
  if (fen >= 10n ** 17n) return null;
  return formatYuan(m[1] === '-' ? -fen : fen);
}

/** Excel's day 0 of the 1900 date system (its 1900-02-29 bug makes 1899-12-30 the epoch). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function isoFromDate(d: Date): IsoDate {
  // exceljs builds dates at UTC midnight; half a minute's slack absorbs serials' float noise.
  const t = new Date(d.getTime() + 30_000);
  return makeDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function excelSerialToDate(serial: number): IsoDate {
  return isoFromDate(new Date(EXCEL_EPOCH_MS + Math.floor(serial + 1 / 2880) * DAY_MS));
}

export function dateToExcelSerial(date: IsoDate): number {
  return (Date.parse(`${date}T00:00:00Z`) - EXCEL_EPOCH_MS) / DAY_MS;
}

const DATE_PATTERNS: RegExp[] = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/**
 * A date cell: an Excel date (exceljs gives a Date), a serial number, or text as 2025-03-01, 2025/3/1,
 * 2025.3.1, 2025年3月1日 or 20250301. Null when it is none of these or no such day exists.
 */
export function parseDate(cell: LedgerCell): IsoDate | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : isoFromDate(cell);
  if (typeof cell === 'number') {
    // Serials from 1900 to 2199; any other number is not a date.
    if (!Number.isFinite(cell) || cell < 1 || cell > 109_574) return null;
    return excelSerialToDate(cell);
  }
  if (typeof cell !== 'string') return null;
  const text = cell
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*([年月日])\s*/g, '$1');
  for (const re of DATE_PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const iso = makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return isIsoDate(iso) ? iso : null;
  }
  return null;
}

/** A month cell: 2025-03, 2025/3, 2025年3月, or a date (its month). */
export function parseMonth(cell: LedgerCell): IsoMonth | null {
  if (typeof cell === 'string') {
    const text = cell.normalize('NFKC').replace(/\s+/g, '');
    const m = /^(\d{4})(?:[-/.]|年)(\d{1,2})月?$/.exec(text);
    if (m) {
      const month = `${m[1]}-${m[2].padStart(2, '0')}`;
      return isIsoMonth(month) ? month : null;
    }
  }
  const date = parseDate(cell);
  return date ? date.slice(0, 7) : null;
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '√', '✓', '1', '工业', '工业项目']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '×', '✗', '0', '非工业', '非工业项目']);

/** 是/否 (and Y/N, √/×, 1/0, TRUE/FALSE), or null. */
export function parseBoolean(cell: LedgerCell): boolean | null {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number') return cell === 1 ? true : cell === 0 ? false : null;
  if (typeof cell !== 'string') return null;
  const text = cell.normalize('NFKC').trim().toLowerCase();
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return null;
}
