import { canonicalEqual } from '@portico/ir';

/**
 * Whether a desired status differs from the current one. Compared as canonical JSON: key
 * order never counts, array order does (conditions and parents keep a stable order).
 */
export function differs(current: unknown, desired: unknown): boolean {
  return !canonicalEqual(current ?? {}, desired);
}
