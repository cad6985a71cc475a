/**
 * Gateways: keep those of our accepted-or-not classes, build their listeners, and decide
 * the Gateway's `Accepted` condition (partial acceptance when some listeners are invalid, as
 * the spec allows, with `ListenersNotValid` saying which).
 */
import {
  gatewayAccepted,
  gatewayAcceptedListenersNotValid,
  gatewayInvalid,
  gatewayInvalidParameters,
  gatewayListenersNotValid,
  gatewayUnsupportedAddress,
} from '@portico/conditions';
import type { DesiredCondition } from '@portico/conditions';
import { compareStrings, gatewayKey, namespaceOf } from './keys.ts';
import { frontendGatewayConditions, type FrontendTlsSpec } from './frontend-tls.ts';
import { processListeners } from './listener.ts';
import type { SnapshotLookup } from './lookup.ts';
import type { Gateway } from './resources.ts';
import type { GatewayClassNode, GatewayNode, ListenerNode } from './types.ts';
import type { Validators } from './validation.ts';

/** Gateways of our classes by reconcile key, in key order. */
export function processGateways(
  gateways: readonly Gateway[],
  classes: ReadonlyMap<string, GatewayClassNode>,
  validators: Validators,
  lookup: SnapshotLookup,
): Map<string, GatewayNode> {
  const nodes: GatewayNode[] = [];
  for (const source of gateways) {
    const gatewayClass = classes.get(source.spec.gatewayClassName);
    if (gatewayClass === undefined) continue; // another controller's, or no class at all
    nodes.push(gatewayNode(source, gatewayClass, validators, lookup));
  }
  nodes.sort((a, b) => compareStrings(a.key, b.key));
  return new Map(nodes.map((n) => [n.key, n]));
}

function gatewayNode(
  source: Gateway,
  gatewayClass: GatewayClassNode,
  validators: Validators,
  lookup: SnapshotLookup,
): GatewayNode {
  const gatewayNamespace = namespaceOf(source.metadata);
  const frontend = (source.spec as { tls?: { frontend?: FrontendTlsSpec } }).tls?.frontend;
  const listeners = processListeners(source.spec.listeners, validators, {
    gatewayNamespace,
    lookup,
    ...(frontend === undefined ? {} : { frontend }),
  });
  const accepted = acceptGateway(source, gatewayClass, listeners);
  return {
    key: gatewayKey(namespaceOf(source.metadata), source.metadata.name),
    source,
    accepted: accepted.status === 'True',
    conditions: [accepted, ...frontendGatewayConditions(frontend)],
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
  const parametersRef = source.spec.infrastructure?.parametersRef;
  if (parametersRef !== undefined && !isParametersKind(parametersRef)) {
    const { group, kind, name } = parametersRef;
    return gatewayInvalidParameters(
      `infrastructure.parametersRef ${group}/${kind} ${name}: only ${PARAMETERS_GROUP}/${PARAMETERS_KIND} is supported`,
    );
  }
  const unsupported = unsupportedAddressTypes(source);
  if (unsupported.length > 0) {
    return gatewayUnsupportedAddress(
      `spec.addresses of type ${unsupported.join(', ')} are not supported: use IPAddress`,
    );
  }
  const invalid = listeners.filter((l) => !l.accepted).map((l) => l.name);
  if (invalid.length === 0) return gatewayAccepted();
  const message = `invalid listeners: ${invalid.join(', ')}`;
  return invalid.length === listeners.length
    ? gatewayListenersNotValid(`${message}; no listener is served`)
    : gatewayAcceptedListenersNotValid(`${message}; the others are served`);
}

/** Address types Portico can assign: the data plane listens on IP addresses. */
const SUPPORTED_ADDRESS_TYPES = new Set(['IPAddress']);

/**
 * Types of `spec.addresses` we cannot honour (the type defaults to IPAddress). Whether an IP
 * address is one the data plane can use is for `Programmed` (AddressNotUsable), decided
 * where the data plane's addresses are known.
 */
function unsupportedAddressTypes(source: Gateway): string[] {
  const types = (source.spec.addresses ?? []).map((a) => a.type ?? 'IPAddress');
  return [...new Set(types.filter((t) => !SUPPORTED_ADDRESS_TYPES.has(t)))].sort();
}

/** The one parameters kind Portico reads (its content is checked where it is used). */
const PARAMETERS_GROUP = 'portico.dev';
const PARAMETERS_KIND = 'GatewayParameters';

function isParametersKind(ref: { group: string; kind: string }): boolean {
  return ref.group === PARAMETERS_GROUP && ref.kind === PARAMETERS_KIND;
}
