/**
 * Gateway status: the graph's `Accepted` verdicts plus `Programmed`, which only the data
 * plane can grant: True when it acknowledged the current IR hash, False `Invalid` with the
 * NGINX error when it refused it (invariant 4), False `Pending` until then.
 */
import {
  gatewayAddressNotAssigned,
  gatewayAddressNotUsable,
  gatewayProgrammed,
  gatewayProgrammingInvalid,
  gatewayProgrammingPending,
  isTrue,
  listenerProgrammed,
  listenerProgrammingInvalid,
  listenerProgrammingPending,
  mergeConditions,
} from '@portico/conditions';
import type { DesiredCondition } from '@portico/conditions';
import type { GatewayNode, ListenerNode, ListenerStatus } from '@portico/graph';
import { assignAddresses, type AddressAssignment } from './addresses.ts';
import { differs } from './changed.ts';
import type { GatewayStatus, GatewayStatusOptions, StatusResult } from './types.ts';

/** The desired status of one of our Gateways. */
export function gatewayStatus(
  gateway: GatewayNode,
  options: GatewayStatusOptions,
): StatusResult<GatewayStatus> {
  const { metadata, status: current } = gateway.source;
  const generation = metadata.generation ?? 0;
  const assigned = assignAddresses(gateway.source, options.addresses);
  const programmed = gatewayProgrammedCondition(gateway, options, assigned);
  const status: GatewayStatus = {
    addresses: assigned.addresses,
    conditions: mergeConditions(
      current?.conditions,
      [...gateway.conditions, programmed],
      options.now,
      generation,
    ),
    // ListenerSet listeners are reported in their set's status (listenerset.ts).
    listeners: gateway.listeners
      .filter((l) => l.listenerSet === undefined)
      .map((l) => listenerStatus(l, programmed, current?.listeners, options.now, generation)),
    ...(gateway.attachedListenerSets === undefined
      ? {}
      : { attachedListenerSets: gateway.attachedListenerSets }),
  };
  return {
    ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
    name: metadata.name,
    status,
    changed: differs(current, status),
  };
}

/** The Gateway's `Programmed` (its ListenerSets follow it). */
export function gatewayProgrammedCondition(
  gateway: GatewayNode,
  { dataPlane, irHash }: GatewayStatusOptions,
  assigned: AddressAssignment,
): DesiredCondition {
  if (!gateway.accepted) return gatewayProgrammingInvalid('Gateway is not accepted');
  if (assigned.unusable.length > 0) {
    return gatewayAddressNotUsable(
      `spec.addresses ${assigned.unusable.join(', ')} cannot be used by this data plane`,
    );
  }
  if (assigned.unassigned.length > 0) {
    return gatewayAddressNotAssigned(
      `spec.addresses ${assigned.unassigned.join(', ')}: the data plane has no address yet`,
    );
  }
  if (dataPlane.error !== undefined) {
    return gatewayProgrammingInvalid(`data plane refused the configuration: ${dataPlane.error}`);
  }
  if (dataPlane.appliedHash === irHash) return gatewayProgrammed();
  return gatewayProgrammingPending(`waiting for the data plane to apply configuration ${irHash}`);
}

function listenerStatus(
  listener: ListenerNode,
  gatewayProgrammedCond: DesiredCondition,
  current: readonly ListenerStatus[] | undefined,
  now: Date,
  generation: number,
): ListenerStatus {
  const [accepted, ...others] = listener.conditions;
  const programmed = listenerProgrammedCondition(listener, gatewayProgrammedCond);
  const desired = accepted === undefined ? [programmed] : [accepted, programmed, ...others];
  const previous = current?.find((s) => s.name === listener.name)?.conditions;
  return {
    name: listener.name,
    supportedKinds: listener.supportedKinds.map((k) => ({ ...k })),
    attachedRoutes: listener.attachedRoutes,
    conditions: mergeConditions(previous, desired, now, generation),
  };
}

/** A listener is programmed when it is served and its Gateway is. */
function listenerProgrammedCondition(
  listener: ListenerNode,
  gatewayProgrammedCond: DesiredCondition,
): DesiredCondition {
  if (!listener.accepted) return listenerProgrammingInvalid('listener is not accepted');
  if (!isTrue(listener.conditions, 'ResolvedRefs')) {
    return listenerProgrammingInvalid('listener has unresolved references');
  }
  if (gatewayProgrammedCond.status === 'True') return listenerProgrammed();
  return gatewayProgrammedCond.reason === 'Invalid'
    ? listenerProgrammingInvalid(gatewayProgrammedCond.message)
    : listenerProgrammingPending(gatewayProgrammedCond.message);
}
