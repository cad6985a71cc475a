/**
 * Conditions of GatewayClass and Gateway objects, one constructor per situation.
 */
import { condition } from './make.ts';
import { ConditionType as T, Reason as R } from './reasons.ts';
import type { DesiredCondition } from './types.ts';

/** The class names our controller, and we take it on. */
export function gatewayClassAccepted(): DesiredCondition {
  return condition(T.Accepted, 'True', R.Accepted, 'GatewayClass is accepted');
}

/** The class points at parameters we cannot use. */
export function gatewayClassInvalidParameters(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.InvalidParameters, msg);
}

/** Every listener of the Gateway is valid. */
export function gatewayAccepted(): DesiredCondition {
  return condition(T.Accepted, 'True', R.Accepted, 'Gateway is accepted');
}

/** Some listeners are invalid but at least one is served (the spec's partial acceptance). */
export function gatewayAcceptedListenersNotValid(msg: string): DesiredCondition {
  return condition(T.Accepted, 'True', R.ListenersNotValid, msg);
}

/** No listener is valid: the Gateway is rejected as a whole. */
export function gatewayListenersNotValid(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.ListenersNotValid, msg);
}

/** The Gateway cannot be served as a whole, e.g. its class is not accepted. */
export function gatewayInvalid(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.Invalid, msg);
}

/** `spec.addresses` asks for something we cannot provide. */
export function gatewayUnsupportedAddress(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.UnsupportedAddress, msg);
}

/** `infrastructure.parametersRef` points at something we cannot use. */
export function gatewayInvalidParameters(msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', R.InvalidParameters, msg);
}

/** A requested static address cannot be assigned here: `Programmed` False. */
export function gatewayAddressNotUsable(msg: string): DesiredCondition {
  return condition(T.Programmed, 'False', R.AddressNotUsable, msg);
}

/** Requested addresses wait for the data plane's own (none assigned yet): `Programmed` False. */
export function gatewayAddressNotAssigned(msg: string): DesiredCondition {
  return condition(T.Programmed, 'False', R.AddressNotAssigned, msg);
}

/** The data plane acknowledged the current configuration. */
export function gatewayProgrammed(): DesiredCondition {
  return condition(T.Programmed, 'True', R.Programmed, 'Gateway is programmed');
}

/** The configuration is not acknowledged yet. */
export function gatewayProgrammingPending(msg: string): DesiredCondition {
  return condition(T.Programmed, 'False', R.Pending, msg);
}

/** The data plane refused the configuration (e.g. `nginx -t` failed): invariant 4. */
export function gatewayProgrammingInvalid(msg: string): DesiredCondition {
  return condition(T.Programmed, 'False', R.Invalid, msg);
}
