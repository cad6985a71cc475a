/**
 * The shape of a Kubernetes condition (`metav1.Condition`). The graph computes
 * `DesiredCondition`s (no clock, no generation); the status step turns them into full
 * `Condition`s with `mergeConditions`, which is where time and generation come in.
 */

/** Kubernetes condition status values. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** What the graph wants a condition to say, before time and generation are attached. */
export interface DesiredCondition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

/** A condition as written to the API server. */
export interface Condition extends DesiredCondition {
  /** The `metadata.generation` the condition was computed from; the suite rejects stale ones. */
  observedGeneration: number;
  /** RFC 3339, seconds precision; moves only when `status` moves. */
  lastTransitionTime: string;
}
