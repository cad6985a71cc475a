import type { ConditionStatus, DesiredCondition } from './types.ts';

/** Builds one desired condition; the per-situation constructors are thin wrappers on it. */
export function condition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
): DesiredCondition {
  return { type, status, reason, message };
}
