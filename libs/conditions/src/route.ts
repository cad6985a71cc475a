/**
 * Conditions of a Route's `status.parents[]` entries, one constructor per situation.
 */
import { condition } from './make.ts';
import { ConditionType as T, Reason as R } from './reasons.ts';
import type { DesiredCondition } from './types.ts';

export function routeAccepted(): DesiredCondition {
  return condition(T.Accepted, 'True', R.Accepted, 'Route is accepted');
}

/** Every selected listener refused the route (namespaces or kinds). */
export function routeNotAllowedByListeners(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.NotAllowedByListeners, msg);
}

/** `sectionName`/`port` select no listener, or the parent cannot take routes. */
export function routeNoMatchingParent(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.NoMatchingParent, msg);
}

/** No route hostname intersects a hostname of the allowing listeners. */
export function routeNoMatchingListenerHostname(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.NoMatchingListenerHostname, msg);
}

/** A value failed validation or is not supported, and nothing of the route is left to serve. */
export function routeUnsupportedValue(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.UnsupportedValue, msg);
}

/** A rule combines filters that cannot work together (e.g. RequestRedirect and URLRewrite). */
export function routeIncompatibleFilters(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.IncompatibleFilters, msg);
}

/** Some rules were dropped (message starts with "Dropped Rule", as the spec asks). */
export function routePartiallyInvalid(msg: string): DesiredCondition {
  return condition(T.PartiallyInvalid, 'True', R.UnsupportedValue, msg);
}

export function routeResolvedRefs(): DesiredCondition {
  return condition(T.ResolvedRefs, 'True', R.ResolvedRefs, 'All references are resolved');
}

/** A backendRef names a Service (or a Service port) that does not exist. */
export function routeBackendNotFound(msg: string): DesiredCondition {
  return condition(T.ResolvedRefs, 'False', R.BackendNotFound, msg);
}

/** A backendRef names a group/kind we cannot send traffic to. */
export function routeInvalidKind(msg: string): DesiredCondition {
  return condition(T.ResolvedRefs, 'False', R.InvalidKind, msg);
}

/** A cross-namespace backendRef without a ReferenceGrant allowing it. */
export function routeRefNotPermitted(msg: string): DesiredCondition {
  return condition(T.ResolvedRefs, 'False', R.RefNotPermitted, msg);
}

/** A backend's Service port speaks an `appProtocol` the data plane cannot proxy. */
export function routeUnsupportedProtocol(msg: string): DesiredCondition {
  return condition(T.ResolvedRefs, 'False', R.UnsupportedProtocol, msg);
}
