/**
 * Conditions of direct policy attachment (GEP-713), as BackendTLSPolicy uses them in
 * `status.ancestors[].conditions`: `Accepted` and `ResolvedRefs`.
 */
import { condition } from './make.ts';
import type { DesiredCondition } from './types.ts';

/** Policy reasons (apis/v1 policy_types.go and backendtlspolicy_types.go). */
export const PolicyReason = {
  Accepted: 'Accepted',
  Conflicted: 'Conflicted',
  Invalid: 'Invalid',
  TargetNotFound: 'TargetNotFound',
  NoValidCACertificate: 'NoValidCACertificate',
  ResolvedRefs: 'ResolvedRefs',
  InvalidCACertificateRef: 'InvalidCACertificateRef',
  InvalidKind: 'InvalidKind',
} as const;
export type PolicyReason = (typeof PolicyReason)[keyof typeof PolicyReason];

export function policyAccepted(): DesiredCondition {
  return condition('Accepted', 'True', PolicyReason.Accepted, 'Policy has been accepted');
}

/** An older policy (then the first by namespace/name) targets the same Service port. */
export function policyConflicted(message: string): DesiredCondition {
  return condition('Accepted', 'False', PolicyReason.Conflicted, message);
}

export function policyInvalid(message: string): DesiredCondition {
  return condition('Accepted', 'False', PolicyReason.Invalid, message);
}

export function policyTargetNotFound(message: string): DesiredCondition {
  return condition('Accepted', 'False', PolicyReason.TargetNotFound, message);
}

/** Every CA reference is invalid: nothing to verify a backend with. */
export function policyNoValidCACertificate(message: string): DesiredCondition {
  return condition('Accepted', 'False', PolicyReason.NoValidCACertificate, message);
}

export function policyResolvedRefs(): DesiredCondition {
  return condition('ResolvedRefs', 'True', PolicyReason.ResolvedRefs, 'All references resolved');
}

export function policyInvalidCACertificateRef(message: string): DesiredCondition {
  return condition('ResolvedRefs', 'False', PolicyReason.InvalidCACertificateRef, message);
}

export function policyInvalidKind(message: string): DesiredCondition {
  return condition('ResolvedRefs', 'False', PolicyReason.InvalidKind, message);
}
