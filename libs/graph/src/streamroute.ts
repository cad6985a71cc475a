/**
 * TCPRoute, UDPRoute and TLSRoute (v1): keep those that name one of our Gateways, attach them
 * to TCP, UDP and TLS listeners by `sectionName`, `port`, allowed kinds and namespaces, and
 * (TLSRoute) hostname intersection. Backends are resolved by `resolveStreamBackends`. Every
 * route that attaches is Accepted and counted in `attachedRoutes`, even when another route
 * of the same listener (the oldest) gets the traffic.
 */
import {
  routeAccepted,
  routeNoMatchingListenerHostname,
  routeNoMatchingParent,
  routeNotAllowedByListeners,
  routeResolvedRefs,
  routeUnsupportedValue,
} from '@portico/conditions';
import type { DesiredCondition } from '@portico/conditions';
import { allowsNamespace } from './attach.ts';
import { servedHostnames } from './hostnames.ts';
import { normalizeParentRef } from './httproute.ts';
import { compareStrings, GATEWAY_GROUP, gatewayKey, namespaceOf, nsName } from './keys.ts';
import type { SnapshotLookup } from './lookup.ts';
import type { BackendRef, ObjectMeta, ParentReference, RouteParentStatus } from './resources.ts';
import type {
  BackendNode,
  GatewayNode,
  ListenerBinding,
  ListenerNode,
  ParentNode,
} from './types.ts';
import type { Validators } from './validation.ts';

export type StreamRouteKind = 'TCPRoute' | 'UDPRoute' | 'TLSRoute';

/** TCPRoute, UDPRoute and TLSRoute share one shape (TLSRoute adds `hostnames`). */
export interface StreamRoute {
  kind?: StreamRouteKind;
  metadata: ObjectMeta;
  spec: {
    parentRefs?: ParentReference[];
    hostnames?: string[];
    rules: { name?: string; backendRefs: BackendRef[] }[];
  };
  status?: { parents?: RouteParentStatus[] };
}

/** The listener protocol each stream route kind attaches to. */
export const STREAM_PROTOCOL: Record<StreamRouteKind, string> = {
  TCPRoute: 'TCP',
  UDPRoute: 'UDP',
  TLSRoute: 'TLS',
};

export interface StreamRouteNode {
  kind: StreamRouteKind;
  /** `<ns>/<name>`, unique within the kind. */
  key: string;
  source: StreamRoute;
  /** TLSRoute: valid hostnames (empty: any SNI the listener allows). */
  hostnames: string[];
  refusal: DesiredCondition | undefined;
  partiallyInvalid: undefined;
  resolvedRefs: DesiredCondition;
  /** Weighted backends of the (single, v1) rule, filled by `resolveStreamBackends`. */
  backends: BackendNode[];
  parents: ParentNode[];
}

/** Stream routes that concern us, sorted by kind then `<ns>/<name>`. */
export function processStreamRoutes(
  byKind: Record<StreamRouteKind, readonly StreamRoute[]>,
  gateways: ReadonlyMap<string, GatewayNode>,
  controllerName: string,
  validators: Validators,
): StreamRouteNode[] {
  const nodes: StreamRouteNode[] = [];
  for (const kind of ['TCPRoute', 'TLSRoute', 'UDPRoute'] as const) {
    for (const source of byKind[kind]) {
      const parents = ourParents(source, gateways);
      const ours = (source.status?.parents ?? []).some((p) => p.controllerName === controllerName);
      if (parents.length === 0 && !ours) continue;
      nodes.push(streamRouteNode(kind, source, parents, validators));
    }
  }
  return nodes.sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.key, b.key));
}

function ourParents(route: StreamRoute, gateways: ReadonlyMap<string, GatewayNode>): ParentNode[] {
  const namespace = namespaceOf(route.metadata);
  return (route.spec.parentRefs ?? []).flatMap((raw, index): ParentNode[] => {
    const ref = normalizeParentRef(raw, namespace);
    if (ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway') return [];
    const key = gatewayKey(ref.namespace, ref.name);
    if (!gateways.has(key)) return [];
    const accepted = routeNoMatchingParent('not bound to a listener');
    return [{ index, ref, gatewayKey: key, accepted, bindings: [] }];
  });
}

function streamRouteNode(
  kind: StreamRouteKind,
  source: StreamRoute,
  parents: ParentNode[],
  validators: Validators,
): StreamRouteNode {
  const hostnames = kind === 'TLSRoute' ? (source.spec.hostnames ?? []) : [];
  const bad = hostnames.map((h) => validators.hostname(h)).filter((p) => p !== undefined);
  return {
    kind,
    key: nsName(source.metadata),
    source,
    hostnames,
    refusal: bad.length > 0 ? routeUnsupportedValue(bad.join('; ')) : undefined,
    partiallyInvalid: undefined,
    resolvedRefs: routeResolvedRefs(),
    backends: [],
    parents,
  };
}

/** Sets each parent's `accepted` and `bindings`, and counts `attachedRoutes` per listener. */
export function bindStreamRoutes(
  routes: readonly StreamRouteNode[],
  gateways: ReadonlyMap<string, GatewayNode>,
  lookup: SnapshotLookup,
): void {
  for (const route of routes) {
    const counted = new Set<ListenerNode>();
    for (const parent of route.parents) {
      const gateway = gateways.get(parent.gatewayKey);
      if (gateway === undefined) continue;
      const { accepted, bindings } = bindParent(route, parent, gateway, lookup);
      parent.accepted = accepted;
      parent.bindings = bindings;
      for (const b of bindings) {
        const listener = gateway.listeners.find((l) => l.name === b.listenerName);
        if (listener !== undefined) counted.add(listener);
      }
    }
    for (const listener of counted) listener.attachedRoutes += 1;
  }
}

function bindParent(
  route: StreamRouteNode,
  parent: ParentNode,
  gateway: GatewayNode,
  lookup: SnapshotLookup,
): { accepted: DesiredCondition; bindings: ListenerBinding[] } {
  const { sectionName, port, namespace, name } = parent.ref;
  const selected = gateway.listeners.filter(
    (l) =>
      l.listenerSet === undefined && // stream routes do not attach to ListenerSets yet
      (sectionName === undefined || l.name === sectionName) &&
      (port === undefined || l.source.port === port),
  );
  const none = { bindings: [] };
  if (selected.length === 0) {
    const what = [sectionName && `sectionName "${sectionName}"`, port && `port ${port}`]
      .filter(Boolean)
      .join(' and ');
    return {
      ...none,
      accepted: routeNoMatchingParent(
        `no listener matches ${what} on Gateway ${namespace}/${name}`,
      ),
    };
  }
  const routeNamespace = namespaceOf(route.source.metadata);
  const gatewayNamespace = namespaceOf(gateway.source.metadata);
  const allowing = selected.filter(
    (l) =>
      l.supportedKinds.some((k) => k.kind === route.kind && k.group === GATEWAY_GROUP) &&
      allowsNamespace(l, routeNamespace, gatewayNamespace, lookup),
  );
  if (allowing.length === 0) {
    const names = selected.map((l) => l.name).join(', ');
    return {
      ...none,
      accepted: routeNotAllowedByListeners(`listeners ${names} do not allow this ${route.kind}`),
    };
  }
  const bindings = allowing
    .map((l) => ({
      listenerName: l.name,
      // TCP and UDP listeners have no hostname; a TLS listener's intersects the route's.
      hostnames:
        route.kind === 'TLSRoute' ? servedHostnames(l.source.hostname, route.hostnames) : ['*'],
    }))
    .filter((b) => b.hostnames.length > 0);
  if (bindings.length === 0) {
    return {
      ...none,
      accepted: routeNoMatchingListenerHostname(
        'no route hostname intersects the listener hostnames',
      ),
    };
  }
  if (route.refusal !== undefined) return { ...none, accepted: route.refusal };
  return { accepted: routeAccepted(), bindings };
}
