/** Small pure helpers over JSON values. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values; key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A deep copy of a JSON value. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The object's `metadata`, or an empty object. */
export function metaOf(obj: JsonObject): JsonObject {
  return isObject(obj.metadata) ? obj.metadata : {};
}

/** A string field of `metadata`, or `''`. */
export function metaString(obj: JsonObject, field: string): string {
  const v = metaOf(obj)[field];
  return typeof v === 'string' ? v : '';
}

/** The labels of an object as a string map. */
export function labelsOf(obj: JsonObject): Record<string, string> {
  const labels = metaOf(obj).labels;
  const out: Record<string, string> = {};
  if (isObject(labels)) {
    for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** RFC 3339 with second precision, as Kubernetes writes timestamps. */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Kubernetes' `HumanDuration` (the AGE column): coarse units that grow with the duration, e.g.
 * `45s`, `3m20s`, `5h`, `12d`.
 */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const y = Math.floor(h / 24 / 365);
  if (h < 24 * 365 * 8) {
    const d = Math.floor(h / 24) % 365;
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${y}y`;
}
