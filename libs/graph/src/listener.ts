/**
 * Listeners of one Gateway: validate each (protocol, hostname, port, route kinds), then find
 * indistinct ones (the spec's "Conflicted" listeners: same port with incompatible protocols,
 * or same port, protocol and hostname). Conflicted listeners are never served, and no
 * conflicting listener is picked as a winner (Gateway API, "Handling indistinct Listeners").
 */
import {
  listenerAccepted,
  listenerHostnameConflict,
  listenerInvalidRouteKinds,
  listenerNoConflicts,
  listenerNotAcceptedConflicted,
  listenerProtocolConflict,
  listenerResolvedRefs,
  listenerUnsupportedProtocol,
  listenerUnsupportedValue,
  Reason,
} from '@portico/conditions';
import type { ConflictReason, DesiredCondition } from '@portico/conditions';
import { GATEWAY_GROUP } from './keys.ts';
import type { Listener, RouteGroupKind } from './resources.ts';
import { resolveFrontendValidation } from './frontend-tls.ts';
import { resolveCertificates, validateTlsMode, type TlsContext } from './tls.ts';
import type { ListenerNode } from './types.ts';
import type { Validators } from './validation.ts';

/** Route kinds each protocol we serve accepts; protocols missing here are unsupported. */
const SUPPORTED_KINDS: Record<string, RouteGroupKind[]> = {
  HTTP: [
    { group: GATEWAY_GROUP, kind: 'HTTPRoute' },
    { group: GATEWAY_GROUP, kind: 'GRPCRoute' },
  ],
  HTTPS: [
    { group: GATEWAY_GROUP, kind: 'HTTPRoute' },
    { group: GATEWAY_GROUP, kind: 'GRPCRoute' },
  ],
  TCP: [{ group: GATEWAY_GROUP, kind: 'TCPRoute' }],
  UDP: [{ group: GATEWAY_GROUP, kind: 'UDPRoute' }],
  TLS: [{ group: GATEWAY_GROUP, kind: 'TLSRoute' }],
};

interface Conflict {
  reason: ConflictReason;
  message: string;
}

/** Builds the listener nodes of one Gateway, in spec order. */
export function processListeners(
  listeners: readonly Listener[],
  validators: Validators,
  tls: TlsContext,
): ListenerNode[] {
  const conflicts = findConflicts(listeners);
  return listeners.map((l) => listenerNode(l, validators, tls, conflicts.get(l.name)));
}

function listenerNode(
  source: Listener,
  validators: Validators,
  tlsContext: TlsContext,
  conflict: Conflict | undefined,
): ListenerNode {
  const problem = validateListener(source, validators);
  const kinds = resolveKinds(source);
  const { frontend, frontendNamespace, gatewayNamespace, lookup } = tlsContext;
  const namespace = frontendNamespace ?? gatewayNamespace;
  const client = resolveFrontendValidation(source, frontend, namespace, lookup);
  const accepted =
    problem ??
    (conflict && listenerNotAcceptedConflicted(conflict.reason, conflict.message)) ??
    client?.accepted ??
    listenerAccepted();
  const tls = resolveCertificates(source, tlsContext);
  // Route kinds first: they are the listener's own spec; certificates live elsewhere.
  const certificateRefs = tls?.resolvedRefs ?? listenerResolvedRefs();
  const resolvedRefs =
    kinds.invalid.length > 0
      ? listenerInvalidRouteKinds(`route kinds not supported here: ${kinds.invalid.join(', ')}`)
      : certificateRefs.status === 'True'
        ? (client?.resolvedRefs ?? certificateRefs)
        : certificateRefs;
  const conflicted = !conflict
    ? listenerNoConflicts()
    : conflict.reason === Reason.HostnameConflict
      ? listenerHostnameConflict(conflict.message)
      : listenerProtocolConflict(conflict.message);
  const certificates = tls?.certificates ?? [];
  const isAccepted = accepted.status === 'True';
  return {
    name: source.name,
    source,
    accepted: isAccepted,
    served: isAccepted && (tls === undefined || certificates.length > 0),
    certificates,
    ...(client?.validation === undefined ? {} : { clientValidation: client.validation }),
    supportedKinds: kinds.supported,
    conditions: [accepted, resolvedRefs, conflicted],
    attachedRoutes: 0,
  };
}

/** The first reason the listener cannot be served at all, as its `Accepted` condition. */
function validateListener(l: Listener, validators: Validators): DesiredCondition | undefined {
  if (SUPPORTED_KINDS[l.protocol] === undefined) {
    return listenerUnsupportedProtocol(
      `protocol ${l.protocol} is not supported yet (${Object.keys(SUPPORTED_KINDS).join(', ')} are)`,
    );
  }
  const problem =
    validators.port(l.port) ??
    (l.hostname === undefined ? undefined : validators.hostname(l.hostname));
  if (problem !== undefined) return listenerUnsupportedValue(problem);
  // TLS listeners take both modes (TLSRouteModeTerminate), even on one port (TLSRouteModeMixed).
  return validateTlsMode(l);
}

/** Supported kinds (the default set when none are named) and the named ones we refuse. */
function resolveKinds(l: Listener): { supported: RouteGroupKind[]; invalid: string[] } {
  const available = SUPPORTED_KINDS[l.protocol] ?? [];
  const asked = l.allowedRoutes?.kinds;
  if (asked === undefined || asked.length === 0) return { supported: available, invalid: [] };
  const isAvailable = (k: RouteGroupKind): boolean =>
    available.some((a) => a.kind === k.kind && a.group === (k.group ?? GATEWAY_GROUP));
  return {
    supported: available.filter((a) =>
      asked.some((k) => k.kind === a.kind && (k.group ?? GATEWAY_GROUP) === a.group),
    ),
    invalid: asked
      .filter((k) => !isAvailable(k))
      .map((k) => `${k.group ?? GATEWAY_GROUP}/${k.kind}`),
  };
}

/** Protocol family for distinctness: HTTPS and TLS share a port by SNI, TCP shares with none. */
export function family(protocol: string): string {
  return protocol === 'HTTPS' || protocol === 'TLS' ? 'TLS' : protocol;
}

/** Transport, because a UDP listener may share a port number with a TCP-based one. */
export function transport(protocol: string): string {
  return protocol === 'UDP' ? 'udp' : 'tcp';
}

/** Conflicted listeners by name. */
function findConflicts(listeners: readonly Listener[]): Map<string, Conflict> {
  const conflicts = new Map<string, Conflict>();
  const bySocket = groupBy(listeners, (l) => `${transport(l.protocol)}/${l.port}`);
  for (const group of bySocket.values()) {
    const families = [...new Set(group.map((l) => family(l.protocol)))].sort();
    if (families.length > 1) {
      const protocols = [...new Set(group.map((l) => l.protocol))].sort().join(', ');
      const message = `listeners ${names(group)} share port ${group[0]?.port} with protocols ${protocols}`;
      for (const l of group) conflicts.set(l.name, { reason: Reason.ProtocolConflict, message });
      continue;
    }
    // Hostnames only tell HTTP-family listeners apart; TCP and UDP have none.
    const byHost = groupBy(group, (l) =>
      l.protocol === 'TCP' || l.protocol === 'UDP' ? '' : (l.hostname ?? ''),
    );
    for (const [host, same] of byHost) {
      if (same.length < 2) continue;
      const message = `listeners ${names(same)} on port ${same[0]?.port} share hostname "${host || '*'}"`;
      for (const l of same) conflicts.set(l.name, { reason: Reason.HostnameConflict, message });
    }
  }
  return conflicts;
}

function names(listeners: readonly Listener[]): string {
  return listeners.map((l) => l.name).join(', ');
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}
