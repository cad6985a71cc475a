/**
 * Route attachment: for each parentRef of ours, select listeners by `sectionName` and `port`,
 * keep those whose `allowedRoutes` admit the route, then those whose hostnames intersect the
 * route's. The first empty step names the reason (NoMatchingParent, NotAllowedByListeners,
 * NoMatchingListenerHostname). Attachment ignores whether the listener is valid: the spec
 * counts `attachedRoutes` even on listeners that are not accepted.
 */
import {
  routeAccepted,
  routeNoMatchingListenerHostname,
  routeNoMatchingParent,
  routeNotAllowedByListeners,
} from '@portico/conditions';
import type { DesiredCondition } from '@portico/conditions';
import { servedHostnames } from './hostnames.ts';
import { GATEWAY_GROUP, namespaceOf } from './keys.ts';
import { selectorMatches } from './labels.ts';
import { listenerOfParent, ownerNamespace } from './listenerset.ts';
import type { SnapshotLookup } from './lookup.ts';
import type { GatewayNode, ListenerBinding, ListenerNode, ParentNode, RouteNode } from './types.ts';

/** Sets each parent's `accepted` and `bindings`, and counts `attachedRoutes` per listener. */
export function bindRoutesToListeners(
  routes: ReadonlyMap<string, RouteNode>,
  gateways: ReadonlyMap<string, GatewayNode>,
  lookup: SnapshotLookup,
): void {
  for (const route of routes.values()) {
    const counted = new Set<ListenerNode>();
    for (const parent of route.parents) {
      const gateway = gateways.get(parent.gatewayKey);
      if (gateway === undefined) continue;
      const result = bindParent(route, parent, gateway, lookup);
      parent.accepted = result.accepted;
      parent.bindings = result.bindings;
      for (const binding of result.bindings) {
        const listener = gateway.listeners.find((l) => l.name === binding.listenerName);
        if (listener !== undefined) counted.add(listener);
      }
    }
    // A route counts once per listener, even when two parentRefs reach the same one.
    for (const listener of counted) listener.attachedRoutes += 1;
  }
}

interface BindResult {
  accepted: DesiredCondition;
  bindings: ListenerBinding[];
}

function bindParent(
  route: RouteNode,
  parent: ParentNode,
  gateway: GatewayNode,
  lookup: SnapshotLookup,
): BindResult {
  const { sectionName, port } = parent.ref;
  const selected = gateway.listeners.filter(
    (l) =>
      listenerOfParent(l, parent) &&
      (sectionName === undefined || l.source.name === sectionName) &&
      (port === undefined || l.source.port === port),
  );
  if (selected.length === 0) {
    return refused(routeNoMatchingParent(`no listener matches ${describeSelection(parent)}`));
  }
  const routeNamespace = namespaceOf(route.source.metadata);
  const gatewayNamespace = namespaceOf(gateway.source.metadata);
  const allowing = selected.filter(
    (l) =>
      allowsKind(l, route.kind) && allowsNamespace(l, routeNamespace, gatewayNamespace, lookup),
  );
  if (allowing.length === 0) {
    return refused(
      routeNotAllowedByListeners(`listeners ${names(selected)} do not allow this route`),
    );
  }
  const bindings = allowing
    .map((l) => ({
      listenerName: l.name,
      hostnames: servedHostnames(l.source.hostname, route.hostnames),
    }))
    .filter((b) => b.hostnames.length > 0);
  if (bindings.length === 0) {
    return refused(
      routeNoMatchingListenerHostname(
        `no route hostname intersects the hostnames of listeners ${names(allowing)}`,
      ),
    );
  }
  if (route.refusal !== undefined) return refused(route.refusal);
  return { accepted: routeAccepted(), bindings };
}

function refused(accepted: DesiredCondition): BindResult {
  return { accepted, bindings: [] };
}

function allowsKind(listener: ListenerNode, kind: RouteNode['kind']): boolean {
  return listener.supportedKinds.some((k) => k.kind === kind && k.group === GATEWAY_GROUP);
}

/** Whether a listener's `allowedRoutes.namespaces` admits a route of `routeNamespace`. */
export function allowsNamespace(
  listener: ListenerNode,
  routeNamespace: string,
  gatewayNamespace: string,
  lookup: SnapshotLookup,
): boolean {
  const namespaces = listener.source.allowedRoutes?.namespaces;
  switch (namespaces?.from ?? 'Same') {
    case 'All':
      return true;
    case 'Same':
      return routeNamespace === ownerNamespace(listener, gatewayNamespace);
    case 'Selector':
      // The CRD requires a selector with `Selector`; without one, select nothing.
      return (
        namespaces?.selector !== undefined &&
        selectorMatches(namespaces.selector, lookup.namespaceLabels(routeNamespace))
      );
    default:
      return false;
  }
}

function describeSelection(parent: ParentNode): string {
  const { sectionName, port, namespace, name } = parent.ref;
  const parts = [
    sectionName === undefined ? undefined : `sectionName "${sectionName}"`,
    port === undefined ? undefined : `port ${port}`,
  ].filter((p) => p !== undefined);
  return `${parts.join(' and ')} on Gateway ${namespace}/${name}`;
}

function names(listeners: readonly ListenerNode[]): string {
  return listeners.map((l) => l.name).join(', ');
}
