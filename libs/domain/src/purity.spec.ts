import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

// The library must stay pure: no framework, no database, no Temporal, no Node I/O, no clock.
const ROOT = __dirname;
// None: the working-day calendar is frozen data (calendars/), so a package release cannot change it.
const ALLOWED_PACKAGES: string[] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specifiers.push(m[1]);
  return specifiers;
}

/** Strips comments so that prose about the clock does not count as reading it. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
}

const files = sourceFiles(ROOT);
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('the domain library is pure', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s imports only relative modules', (_name, file) => {
    const bad = importsOf(readFileSync(file, 'utf8')).filter(
      (s) => !s.startsWith('.') && !ALLOWED_PACKAGES.some((p) => s === p || s.startsWith(`${p}/`)),
    );
    expect(bad).toEqual([]);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))(
    '%s imports no Node built-in, framework, database or Temporal',
    (_name, file) => {
      const forbidden = importsOf(readFileSync(file, 'utf8')).filter(
        (s) =>
          builtins.has(s) ||
          s.startsWith('node:') ||
          /^(@nestjs\/|typeorm|pg($|\/)|@temporalio\/|reflect-metadata|@app\/persistence)/.test(s),
      );
      expect(forbidden).toEqual([]);
    },
  );

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s never reads the clock or chance', (_name, file) => {
    const source = code(readFileSync(file, 'utf8'));
    const reads = [
      /\bDate\.now\s*\(/,
      /\bnew\s+Date\s*\(\s*\)/,
      /\bnew\s+Date\b(?!\s*\()/,
      /\bMath\.random\s*\(/,
      /\bperformance\.now\s*\(/,
      /\bprocess\.(hrtime|env|uptime)\b/,
      /\bset(Timeout|Interval|Immediate)\s*\(/,
    ].filter((re) => re.test(source));
    expect(reads.map(String)).toEqual([]);
  });

  it('the checks catch what they look for', () => {
    expect(importsOf(`import { readFileSync } from 'node:fs';`).some((s) => builtins.has(s))).toBe(true);
    expect(/\bnew\s+Date\s*\(\s*\)/.test(code('const t = new Date();'))).toBe(true);
    expect(/\bDate\.now\s*\(/.test(code('// Date.now() is not called here'))).toBe(false);
  });
});
