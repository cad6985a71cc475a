/**
 * Route status for one Gateway key: our `status.parents` entries for THIS Gateway are
 * replaced by the desired ones; entries of other controllers, and ours for other Gateways,
 * are kept as they are, in place; our entries for parentRefs the route no longer has are
 * removed. Each reconcile of a Gateway thus owns exactly its slice of every route's status.
 */
import { mergeConditions } from '@portico/conditions';
import type { Graph, ParentReference, RouteNode, RouteParentStatus } from '@portico/graph';
import {
  GATEWAY_GROUP,
  gatewayKey,
  namespaceOf,
  normalizeParentRef,
  routeParentConditions,
  statusParentRef,
} from '@portico/graph';
import { differs } from './changed.ts';
import { listenerSetGatewayKey } from './listenerset.ts';
import type { RouteStatusResult } from './types.ts';

/** Statuses of the routes that are, or were, attached to `key`, sorted by ns/name. */
export function routeStatuses(graph: Graph, key: string, now: Date): RouteStatusResult[] {
  const results: RouteStatusResult[] = [];
  for (const route of graph.routes.values()) {
    const ours = route.parents.some((p) => p.gatewayKey === key);
    const current = route.source.status?.parents ?? [];
    const stale = current.some((e) => isOurEntryFor(graph, route, e, key));
    if (!ours && !stale) continue;
    const status = { parents: mergeParents(graph, route, key, now) };
    results.push({
      kind: route.kind,
      key: route.key,
      namespace: namespaceOf(route.source.metadata),
      name: route.source.metadata.name,
      status,
      changed: differs({ parents: current }, status),
    });
  }
  return results;
}

function mergeParents(graph: Graph, route: RouteNode, key: string, now: Date): RouteParentStatus[] {
  const current = route.source.status?.parents ?? [];
  const generation = route.source.metadata.generation ?? 0;
  const desired = route.parents
    .filter((p) => p.gatewayKey === key)
    .map((p) => {
      const parentRef = statusParentRef(p);
      const previous = current.find(
        (e) => e.controllerName === graph.controllerName && sameRef(route, e.parentRef, parentRef),
      );
      const conditions = routeParentConditions(route, p);
      return {
        parentRef,
        controllerName: graph.controllerName,
        conditions: mergeConditions(previous?.conditions, conditions, now, generation),
      };
    });
  const placed = new Set<RouteParentStatus>();
  const merged: RouteParentStatus[] = [];
  for (const entry of current) {
    if (!isOurEntryFor(graph, route, entry, key)) {
      merged.push(entry); // another controller's, or ours for another Gateway: untouched
      continue;
    }
    const replacement = desired.find(
      (d) => !placed.has(d) && sameRef(route, entry.parentRef, d.parentRef),
    );
    if (replacement === undefined) continue; // a parentRef the route no longer has
    placed.add(replacement);
    merged.push(replacement);
  }
  return [...merged, ...desired.filter((d) => !placed.has(d))];
}

function isOurEntryFor(
  graph: Graph,
  route: RouteNode,
  entry: RouteParentStatus,
  key: string,
): boolean {
  if (entry.controllerName !== graph.controllerName) return false;
  const ref = normalizeParentRef(entry.parentRef, namespaceOf(route.source.metadata));
  if (ref.group === GATEWAY_GROUP && ref.kind === 'ListenerSet') {
    // A set no Gateway of ours has any more (deleted, or moved away): any reconcile cleans it.
    const owner = listenerSetGatewayKey(graph, ref.namespace, ref.name);
    return owner === undefined || owner === key;
  }
  return (
    ref.group === GATEWAY_GROUP &&
    ref.kind === 'Gateway' &&
    gatewayKey(ref.namespace, ref.name) === key
  );
}

/** Two parentRefs are the same after defaults (an old entry may omit group or namespace). */
function sameRef(route: RouteNode, a: ParentReference, b: ParentReference): boolean {
  const ns = namespaceOf(route.source.metadata);
  const x = normalizeParentRef(a, ns);
  const y = normalizeParentRef(b, ns);
  return (
    x.group === y.group &&
    x.kind === y.kind &&
    x.namespace === y.namespace &&
    x.name === y.name &&
    x.sectionName === y.sectionName &&
    x.port === y.port
  );
}
