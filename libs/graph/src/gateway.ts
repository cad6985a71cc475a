/**
 * Gateways: keep those of our accepted-or-not classes, build their listeners, and decide
 * the Gateway's `Accepted` condition (partial acceptance when some listeners are invalid, as
 * the spec allows, with `ListenersNotValid` saying which).
 */
import {
  gatewayAccepted,
  gatewayAcceptedListenersNotValid,
  gatewayInvalid,
  gatewayListenersNotValid,
  gatewayUnsupportedAddress,
} from '@portico/conditions';
import type { DesiredCondition } from '@portico/conditions';
import { compareStrings, gatewayKey, namespaceOf } from './keys.ts';
import { processListeners } from './listener.ts';
import type { Gateway } from './resources.ts';
import type { GatewayClassNode, GatewayNode, ListenerNode } from './types.ts';
import type { Validators } from './validation.ts';

/** Gateways of our classes by reconcile key, in key order. */
export function processGateways(
  gateways: readonly Gateway[],
  classes: ReadonlyMap<string, GatewayClassNode>,
  validators: Validators,
): Map<string, GatewayNode> {
  const nodes: GatewayNode[] = [];
  for (const source of gateways) {
    const gatewayClass = classes.get(source.spec.gatewayClassName);
    if (gatewayClass === undefined) continue; // another controller's, or no class at all
    nodes.push(gatewayNode(source, gatewayClass, validators));
  }
  nodes.sort((a, b) => compareStrings(a.key, b.key));
  return new Map(nodes.map((n) => [n.key, n]));
}

function gatewayNode(
  source: Gateway,
  gatewayClass: GatewayClassNode,
  validators: Validators,
): GatewayNode {
  const listeners = processListeners(source.spec.listeners, validators);
  const accepted = acceptGateway(source, gatewayClass, listeners);
  return {
    key: gatewayKey(namespaceOf(source.metadata), source.metadata.name),
    source,
    accepted: accepted.status === 'True',
    conditions: [accepted],
    listeners,
  };
}

function acceptGateway(
  source: Gateway,
  gatewayClass: GatewayClassNode,
  listeners: readonly ListenerNode[],
): DesiredCondition {
  if (!gatewayClass.accepted) {
    return gatewayInvalid(`GatewayClass ${gatewayClass.source.metadata.name} is not accepted`);
  }
  if ((source.spec.addresses ?? []).length > 0) {
    return gatewayUnsupportedAddress('spec.addresses is not supported yet: leave it empty');
  }
  const invalid = listeners.filter((l) => !l.accepted).map((l) => l.name);
  if (invalid.length === 0) return gatewayAccepted();
  const message = `invalid listeners: ${invalid.join(', ')}`;
  return invalid.length === listeners.length
    ? gatewayListenersNotValid(`${message}; no listener is served`)
    : gatewayAcceptedListenersNotValid(`${message}; the others are served`);
}
