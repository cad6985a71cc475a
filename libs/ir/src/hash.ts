import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, so two structurally equal values serialise to the same bytes
 * whatever order their keys were inserted in. Array order is kept: it is meaningful.
 *
 * Written out directly rather than as `JSON.stringify` of a key-sorted copy: reconcilers call
 * it for the IR hash and for every route's status comparison, and building the copy cost
 * several times the serialisation. The output is byte for byte what `JSON.stringify` gives for
 * the sorted copy (undefined, function and symbol values dropped from objects and `null` in
 * arrays; strings, numbers and keys escaped by `JSON.stringify` itself).
 */
export function canonicalJson(value: unknown): string {
  return write(value) as string;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint': // throws, as JSON.stringify does
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return writeArray(value);
      return writeObject(value as Record<string, unknown>);
    default:
      return undefined; // undefined, function, symbol
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += write(items[i]) ?? 'null';
  }
  return `${out}]`;
}

/**
 * Key order of the sorted copy: JavaScript puts array-index keys ("0", "10") first, in numeric
 * order, whatever the insertion order; the other keys follow sorted by UTF-16 code units.
 * `Object.keys` already lists index keys first and in numeric order.
 */
function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  let indexKeys = 0;
  while (indexKeys < keys.length && isArrayIndex(keys[indexKeys] as string)) indexKeys++;
  if (indexKeys === 0) return keys.sort();
  return [...keys.slice(0, indexKeys), ...keys.slice(indexKeys).sort()];
}

function isArrayIndex(key: string): boolean {
  const n = Number(key);
  return n >>> 0 === n && n !== 4294967295 && String(n) === key;
}

function writeObject(object: Record<string, unknown>): string {
  const keys = sortedKeys(object);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const json = write(object[key]);
    if (json === undefined) continue; // same values as isSerialised() drops
    out += `${first ? '' : ','}${JSON.stringify(key)}:${json}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Whether two values have the same canonical JSON, without building it: a deep comparison that
 * stops at the first difference. Status writers compare the desired status of every route
 * with the current one on each reconcile; serialising both sides was most of that cost.
 */
export function canonicalEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const aIsArray = Array.isArray(a);
  const bIsArray = Array.isArray(b);
  if (aIsArray || bIsArray) return aIsArray && bIsArray && arraysEqual(a, b);
  if (isObject(a) || isObject(b)) return isObject(a) && isObject(b) && objectsEqual(a, b);
  return write(a) === write(b); // primitives: NaN and null both serialise as null, and so on
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    // In arrays, values JSON cannot hold serialise as null.
    const x = isSerialised(a[i]) ? a[i] : null;
    const y = isSerialised(b[i]) ? b[i] : null;
    if (!canonicalEqual(x, y)) return false;
  }
  return true;
}

function objectsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = serialisedKeys(a);
  if (keys.length !== serialisedKeys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !canonicalEqual(a[key], b[key])) return false;
  }
  return true;
}

/** Own keys whose values appear in JSON (not undefined, functions or symbols). */
function serialisedKeys(object: Record<string, unknown>): string[] {
  return Object.keys(object).filter((key) => isSerialised(object[key]));
}

function isSerialised(value: unknown): boolean {
  const type = typeof value;
  return value !== undefined && type !== 'function' && type !== 'symbol';
}

/** Content hash of a value: the first 16 hex digits of the SHA-256 of its canonical JSON. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}
