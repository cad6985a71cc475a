import type { Condition, DesiredCondition } from './types.ts';

/** What merging reads of a current condition; loose, since it comes from the API server. */
export interface ExistingCondition {
  type: string;
  status: string;
  lastTransitionTime: string;
}

/**
 * Formats a time as Kubernetes writes `metav1.Time`: RFC 3339 in UTC, whole seconds.
 * Callers pass the clock in (`now`), so this stays pure.
 */
export function formatTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Turns desired conditions into the list to write, honouring the API conventions: a
 * condition whose `status` did not change keeps its `lastTransitionTime` (reason and message
 * may still move), every condition carries `observedGeneration`, and types that are no longer
 * desired are dropped. Order follows `desired`, so output is deterministic.
 */
export function mergeConditions(
  existing: readonly ExistingCondition[] | undefined,
  desired: readonly DesiredCondition[],
  now: Date,
  observedGeneration: number,
): Condition[] {
  const stamp = formatTime(now);
  return desired.map((want) => {
    const had = existing?.find((c) => c.type === want.type);
    const lastTransitionTime =
      had !== undefined && had.status === want.status ? had.lastTransitionTime : stamp;
    return { ...want, observedGeneration, lastTransitionTime };
  });
}

/** The condition of a given type in a list, if any. */
export function findCondition<C extends DesiredCondition>(
  conditions: readonly C[] | undefined,
  type: string,
): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the list holds a condition of `type` with status `True`. */
export function isTrue(conditions: readonly DesiredCondition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}
