/**
 * Small accessors for rule predicates, with CEL's meaning: `has` is "the field is set",
 * `existsOne` is CEL's `exists_one`, `size` is CEL's `size()`.
 */
import type { Obj } from './dsl.ts';

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** CEL `has(o.k)`: the field is present (an empty string or list still counts). */
export function has(o: Obj | undefined, key: string): boolean {
  return o !== undefined && o[key] !== undefined;
}

/** The object stored at `o[key]`, if it is one. */
export function objAt(o: Obj | undefined, key: string): Obj | undefined {
  const value = o?.[key];
  return isObj(value) ? value : undefined;
}

/** The objects of the list stored at `o[key]` (non-objects skipped; absent means empty). */
export function objsAt(o: Obj | undefined, key: string): Obj[] {
  const value = o?.[key];
  return Array.isArray(value) ? value.filter(isObj) : [];
}

/** CEL `size()` of a list, map or string; 0 when absent. */
export function size(value: unknown): number {
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  return isObj(value) ? Object.keys(value).length : 0;
}

/** CEL `exists_one`: exactly one element satisfies the predicate. */
export function existsOne<T>(items: readonly T[], predicate: (item: T) => boolean): boolean {
  let count = 0;
  for (const item of items) if (predicate(item)) count += 1;
  return count === 1;
}

/** "unset or empty" as the Gateway API rules write it: `!has(x.f) || x.f == ''` (or 0). */
export function unsetOrZero(o: Obj, key: string): boolean {
  const value = o[key];
  return value === undefined || value === '' || value === 0;
}

/** Both unset-or-zero, or both set and equal: the "same optional field" test of the rules. */
export function sameOptional(a: Obj, b: Obj, key: string): boolean {
  if (unsetOrZero(a, key) && unsetOrZero(b, key)) return true;
  return has(a, key) && has(b, key) && a[key] === b[key];
}

/** Number of items of `list` whose `type` field equals `type`. */
export function countType(list: readonly Obj[], type: string): number {
  return list.filter((item) => item.type === type).length;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

/** Parses a Gateway API duration ("1h30m", "500ms") to milliseconds; undefined when invalid. */
export function durationMs(text: string): number | undefined {
  const parts = [...text.matchAll(/([0-9]+)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (DURATION_UNITS[p[2] ?? ''] ?? 0), 0);
}
