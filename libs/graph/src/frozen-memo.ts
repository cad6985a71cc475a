/**
 * Memoised pure steps, keyed by deep-frozen inputs. The store lists deep-frozen objects and
 * keeps an unchanged `spec` object across status writes (see ObjectStore.listObjects in
 * @portico/store), so with 1,000 routes most per-route work of a `buildGraph` was redone on
 * the very same objects. A frozen input cannot change, so a result remembered for it is the
 * result `compute` would give again: the step stays pure. Unfrozen inputs (tests, shapes
 * built on the fly such as GRPCRoutes) are computed every time. Entries go with their key
 * (WeakMap).
 */
import type { Validators } from './validation.ts';

/** Freezes a value and everything in it, so a shared result cannot be changed by a caller. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * `compute`, remembered per frozen `key` and `validators`; results are deep-frozen, so
 * callers copy what they go on to change.
 */
export function memoOnFrozen<K extends object, V>(
  compute: (key: K, validators: Validators) => V,
): (key: K, validators: Validators) => V {
  const cache = new WeakMap<K, { validators: Validators; value: V }>();
  return (key, validators) => {
    if (!Object.isFrozen(key)) return compute(key, validators);
    const hit = cache.get(key);
    if (hit?.validators === validators) return hit.value;
    const value = deepFreeze(compute(key, validators));
    cache.set(key, { validators, value });
    return value;
  };
}
