/**
 * Canonical serialisation for hashing: object keys sorted, no whitespace, `undefined` members dropped,
 * so the same event always hashes the same, whatever order its fields were built in.
 *
 * Written as plain loops (no filter/sort/map/join chains): verification runs it over every event
 * of the log, and the intermediate arrays were most of its time and garbage. The output is the same
 * string the chained form gave, holes in sparse arrays included.
 */
/** What JSON.stringify escapes in a string: quote, backslash, control characters, lone surrogates. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export function canonicalJson(value: unknown): string {
  // Most strings need no escaping: quoting them directly is the same text, for less work.
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error('canonicalJson: non-finite number');
    if (typeof value === 'bigint') throw new Error('canonicalJson: bigint is not JSON');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole stays empty, as map and join render it; an undefined element is null.
      if (!(i in value)) continue;
      const v: unknown = value[i];
      out += v === undefined ? 'null' : canonicalJson(v);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const v = record[keys[i]];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(keys[i])}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}
