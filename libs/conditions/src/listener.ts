/**
 * Conditions of `Gateway.status.listeners[]`, one constructor per situation.
 */
import { condition } from './make.ts';
import { ConditionType as T, Reason as R } from './reasons.ts';
import type { DesiredCondition } from './types.ts';

export function listenerAccepted(): DesiredCondition {
  return condition(T.Accepted, 'True', R.Accepted, 'Listener is accepted');
}

/** A protocol this version of Portico does not serve yet. */
export function listenerUnsupportedProtocol(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.UnsupportedProtocol, msg);
}

/** A listener field (e.g. its hostname) failed validation and cannot reach NGINX. */
export function listenerUnsupportedValue(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.UnsupportedValue, msg);
}

/** Not accepted because it conflicts with another listener on the same port. */
export function listenerNotAcceptedConflicted(
  reason: ConflictReason,
  msg: string,
): DesiredCondition {
  return condition(T.Accepted, 'False', reason, msg);
}

export function listenerResolvedRefs(): DesiredCondition {
  return condition(T.ResolvedRefs, 'True', R.ResolvedRefs, 'All references are resolved');
}

/** `allowedRoutes.kinds` names a kind we cannot attach to this listener. */
export function listenerInvalidRouteKinds(msg: string): DesiredCondition {
  return condition(T.ResolvedRefs, 'False', R.InvalidRouteKinds, msg);
}

/** A `certificateRefs` entry is of the wrong kind, missing, or not a usable certificate. */
export function listenerInvalidCertificateRef(msg: string): DesiredCondition {
  return condition(T.ResolvedRefs, 'False', R.InvalidCertificateRef, msg);
}

/** A cross-namespace `certificateRefs` entry without a ReferenceGrant that allows it. */
export function listenerRefNotPermitted(msg: string): DesiredCondition {
  return condition(T.ResolvedRefs, 'False', R.RefNotPermitted, msg);
}

export function listenerNoConflicts(): DesiredCondition {
  return condition(T.Conflicted, 'False', R.NoConflicts, 'No conflicts');
}

/** Same port, protocol and hostname as another listener. */
export function listenerHostnameConflict(msg: string): DesiredCondition {
  return condition(T.Conflicted, 'True', R.HostnameConflict, msg);
}

/** Same port as a listener with an incompatible protocol. */
export function listenerProtocolConflict(msg: string): DesiredCondition {
  return condition(T.Conflicted, 'True', R.ProtocolConflict, msg);
}

export function listenerProgrammed(): DesiredCondition {
  return condition(T.Programmed, 'True', R.Programmed, 'Listener is programmed');
}

export function listenerProgrammingPending(msg: string): DesiredCondition {
  return condition(T.Programmed, 'False', R.Pending, msg);
}

/** The listener is invalid, or the data plane refused the configuration. */
export function listenerProgrammingInvalid(msg: string): DesiredCondition {
  return condition(T.Programmed, 'False', R.Invalid, msg);
}

/** The two reasons a listener can be conflicted with. */
export type ConflictReason = typeof R.HostnameConflict | typeof R.ProtocolConflict;
