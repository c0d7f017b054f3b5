import type { Actor } from './actor';
import { isRegionCode, regionCovers } from './attributes';

/**
 * The regions a rule reaches: everywhere, or a set of division codes, each covering itself and, for
 * a city ('xxxx00') or a province ('xx0000'), the divisions below it.
 */
export type RegionScope =
  { readonly everywhere: true } | { readonly everywhere: false; readonly codes: readonly string[] };

export const EVERYWHERE: RegionScope = { everywhere: true };

/** The scope of these codes; anything that is not a string is left out. */
export function regionsScope(codes: readonly unknown[]): RegionScope {
  return { everywhere: false, codes: codes.filter((c): c is string => typeof c === 'string') };
}

/** Where the actor acts: the system everywhere, everyone else in their own regions. */
export function actingScope(actor: Actor): RegionScope {
  return actor.role === 'system' ? EVERYWHERE : regionsScope(actor.regions);
}

/** Where the actor reads: auditors, admins and the system everywhere, everyone else where they act. */
export function readingScope(actor: Actor): RegionScope {
  return actor.role === 'auditor' || actor.role === 'admin' ? EVERYWHERE : actingScope(actor);
}

/** Whether the scope reaches a region (null: a project with no region yet, reached only everywhere). */
export function scopeCovers(scope: RegionScope, region: string | null): boolean {
  if (scope.everywhere) return true;
  if (region === null) return false;
  return scope.codes.some((code) => regionCovers(code, region));
}

/** The part of `scope` within `within` (a region filter a reader asked for). */
export function narrowScope(scope: RegionScope, within: string): RegionScope {
  if (scope.everywhere) return regionsScope([within]);
  if (scope.codes.some((code) => regionCovers(code, within))) return regionsScope([within]);
  return regionsScope(scope.codes.filter((code) => regionCovers(within, code)));
}

/** Receives a value for the statement and answers its placeholder ($3, :scope0, …). */
export type BindParameter = (value: unknown) => string;

/** A binder for positional parameters that appends to `params` ($n after what is already there). */
export function positionalParameters(params: unknown[]): BindParameter {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

/**
 * The scope as a SQL condition over an expression holding a region code: the same decision as
 * `scopeCovers` over the region codes the read models hold. A county code matches itself; a city
 * the codes that begin with its first four digits; a province with its first two. The parameters
 * are left untyped, so that PostgreSQL compares in the column's own type and its indexes serve.
 */
export function scopeSql(scope: RegionScope, column: string, bind: BindParameter): string {
  if (scope.everywhere) return 'TRUE';
  const exact = [...new Set(scope.codes)];
  if (exact.length === 0) return 'FALSE';
  const prefixes = [...new Set(exact.map(coveredPrefix).filter((p): p is string => p !== null))];
  const parts = [`${column} = ANY(${bind(exact)})`];
  if (prefixes.length) parts.push(`${column} LIKE ANY(${bind(prefixes.map((p) => `${p}%`))})`);
  return `(${parts.join(' OR ')})`;
}

/** The digits every division a city or province covers begins with; null for a county. */
function coveredPrefix(code: string): string | null {
  if (!isRegionCode(code)) return null;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return null;
}

/**
 * The codes whose scope covers a region: itself, its city and its province (as `regionCovers`
 * decides); what a directory asks of a person's regions to find who serves a place.
 */
export function regionsCovering(region: string): string[] {
  if (!isRegionCode(region)) return [region];
  const candidates = [region, `${region.slice(0, 4)}00`, `${region.slice(0, 2)}0000`];
  return [...new Set(candidates)].filter((code) => regionCovers(code, region));
}
