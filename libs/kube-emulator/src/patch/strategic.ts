/**
 * Strategic merge patch, as far as `kubectl apply` and `kubectl patch` use it on our built-in
 * kinds: lists merged by a key (`PatchMeta.mergeKeys`), primitive lists merged as sets, `null`
 * deletes, and the directives `$patch` (replace, delete, merge), `$retainKeys`,
 * `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>`. Lists not named in the
 * metadata are atomic (replaced). Pure.
 */
import type { PatchMeta } from '../kinds.ts';
import { clone, deepEqual, isObject, type JsonObject } from '../util.ts';

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** Removes every `$` directive from a value that is copied in as is. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .filter((v) => !(isObject(v) && v.$patch !== undefined && Object.keys(v).length === 1))
      .map(stripDirectives);
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (!k.startsWith('$') && v !== null) out[k] = stripDirectives(v);
  }
  return out;
}

const childPath = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function reorder(items: unknown[], order: unknown[], keyOf: (item: unknown) => unknown): unknown[] {
  const rank = (item: unknown): number => {
    const i = order.findIndex((o) => deepEqual(keyOf(o), keyOf(item)));
    return i < 0 ? order.length : i;
  };
  return items
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.item);
}

function mergeKeyedList(
  orig: unknown[],
  patch: unknown[],
  key: string,
  path: string,
  meta: PatchMeta,
): unknown[] {
  const result = [...orig];
  for (const el of patch) {
    if (!isObject(el)) continue;
    const index = result.findIndex((o) => isObject(o) && deepEqual(o[key], el[key]));
    if (el.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    const base = index >= 0 ? result[index] : {};
    const merged = mergeMap(isObject(base) ? base : {}, el, path, meta);
    if (merged === undefined) {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) result[index] = merged;
    else result.push(merged);
  }
  return result;
}

function mergeList(orig: unknown[], patch: unknown[], path: string, meta: PatchMeta): unknown[] {
  if (patch.some((el) => isObject(el) && el.$patch === 'replace')) {
    return stripDirectives(patch) as unknown[];
  }
  const key = meta.mergeKeys[path];
  if (key !== undefined) return mergeKeyedList(orig, patch, key, path, meta);
  if (meta.primitiveMergeLists.includes(path)) {
    return [...orig, ...patch.filter((p) => !orig.some((o) => deepEqual(o, p)))];
  }
  return stripDirectives(patch) as unknown[];
}

function deleteFromPrimitiveLists(result: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVE) && Array.isArray(v)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      const current = result[field];
      if (Array.isArray(current))
        result[field] = current.filter((x) => !v.some((d) => deepEqual(d, x)));
    }
  }
}

function setElementOrders(
  result: JsonObject,
  patch: JsonObject,
  path: string,
  meta: PatchMeta,
): void {
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER) || !Array.isArray(v)) continue;
    const field = k.slice(SET_ORDER.length);
    const current = result[field];
    if (!Array.isArray(current)) continue;
    const key = meta.mergeKeys[childPath(path, field)];
    result[field] = reorder(current, v, (item) =>
      key !== undefined && isObject(item) ? item[key] : item,
    );
  }
}

/** Merges a patch map into an original map; `undefined` means the map is deleted. */
function mergeMap(
  orig: JsonObject,
  patch: JsonObject,
  path: string,
  meta: PatchMeta,
): JsonObject | undefined {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') return stripDirectives(patch) as JsonObject;
  const result: JsonObject = { ...orig };
  if (Array.isArray(patch.$retainKeys)) {
    const retain = patch.$retainKeys;
    for (const k of Object.keys(result)) if (!retain.includes(k)) delete result[k];
  }
  deleteFromPrimitiveLists(result, patch);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const p = childPath(path, key);
    const current = result[key];
    if (value === null) delete result[key];
    else if (isObject(value)) {
      const merged = mergeMap(isObject(current) ? current : {}, value, p, meta);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(current) ? current : [], value, p, meta);
    } else result[key] = value;
  }
  setElementOrders(result, patch, path, meta);
  return result;
}

/** Applies a strategic merge patch to an object; the input is not modified. */
export function strategicMergePatch(
  original: JsonObject,
  patch: JsonObject,
  meta: PatchMeta,
): JsonObject {
  return mergeMap(clone(original), patch, '', meta) ?? {};
}
