/**
 * ListenerSet pieces of the harness: a builder for the object, and the waits of the upstream
 * `kubernetes` helpers that read ListenerSet status or `attachedListenerSets` (same
 * observedGeneration rule and matching semantics as cluster.ts).
 */
import { RESOURCES, type KubeObject } from '@portico/kube';
import { CONTROLLER_NAME, GATEWAY_API, GATEWAY_GROUP, type Ref } from './builders.ts';
import type { Cluster } from './cluster.ts';
import {
  conditionsMatch,
  findCondition,
  listenersMatch,
  staleConditions,
  type Condition,
  type ListenerStatus,
  type RouteParentStatus,
} from './status-match.ts';

interface SetStatus {
  conditions?: Condition[];
  listeners?: ListenerStatus[];
}

/** A ListenerSet in `at.namespace` attached to the Gateway `gateway`. */
export function listenerSet(
  at: Ref,
  gateway: Ref,
  listeners: Record<string, unknown>[],
): KubeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'ListenerSet',
    metadata: { ...at },
    spec: {
      parentRef: { group: GATEWAY_GROUP, kind: 'Gateway', ...gateway },
      listeners,
    },
  };
}

/** `spec.allowedListeners` for a Gateway's `extra.spec`. */
export function allowedListeners(
  from: 'None' | 'Same' | 'All' | 'Selector',
  matchLabels?: Record<string, string>,
): Record<string, unknown> {
  const namespaces = { from, ...(matchLabels ? { selector: { matchLabels } } : {}) };
  return { allowedListeners: { namespaces } };
}

/** A parentRef of kind ListenerSet (namespace always given, as upstream writes them). */
export function setParent(ls: Ref, sectionName?: string): Record<string, unknown> {
  return {
    group: GATEWAY_GROUP,
    kind: 'ListenerSet',
    ...ls,
    ...(sectionName ? { sectionName } : {}),
  };
}

/** Upstream's expected parent status: Accepted True by our controller for a ListenerSet. */
export function acceptedSetParent(ls: Ref): RouteParentStatus {
  return {
    parentRef: { group: GATEWAY_GROUP, kind: 'ListenerSet', ...ls },
    controllerName: CONTROLLER_NAME,
    conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }],
  };
}

/** The conditions upstream's `generateAcceptedListenerConditions` lists (any reason). */
export const ACCEPTED_LISTENER: Condition[] = [
  { type: 'ResolvedRefs', status: 'True' },
  { type: 'Accepted', status: 'True' },
  { type: 'Programmed', status: 'True' },
];

async function setOf(
  cluster: Cluster,
  ls: Ref,
): Promise<{ generation?: number; status: SetStatus }> {
  const object = await cluster.get(RESOURCES.ListenerSet, ls);
  return {
    ...(object.metadata.generation === undefined ? {} : { generation: object.metadata.generation }),
    status: (object.status ?? {}) as SetStatus,
  };
}

/** Upstream `ListenerSetMustHaveCondition`. */
export function setCondition(cluster: Cluster, ls: Ref, expected: Condition): Promise<void> {
  return cluster.until(`ListenerSet ${ls.name} condition`, async () => {
    const { generation, status } = await setOf(cluster, ls);
    const conditions = status.conditions ?? [];
    return staleConditions(generation, conditions) ?? findCondition(conditions, expected);
  });
}

/** Upstream `ListenerSetListenersMustHaveConditions` (every listener, or the named ones). */
export function setListenerConditions(
  cluster: Cluster,
  ls: Ref,
  expected: Condition[],
  names?: string[],
): Promise<void> {
  return cluster.until(`ListenerSet ${ls.name} listener conditions`, async () => {
    const { generation, status } = await setOf(cluster, ls);
    const stale = staleConditions(generation, status.conditions ?? []);
    if (stale) return stale;
    const listeners = status.listeners ?? [];
    const missing = (names ?? []).filter((n) => !listeners.some((l) => l.name === n));
    if (missing.length > 0) return `no status for listeners ${missing.join(', ')}`;
    for (const l of listeners) {
      if (names && !names.includes(l.name)) continue;
      const miss = conditionsMatch(l.conditions ?? [], expected);
      if (miss) return `listener ${l.name}: ${miss}`;
    }
    return undefined;
  });
}

/** Upstream `ListenerSetStatusMustHaveListeners`. */
export function setListeners(cluster: Cluster, ls: Ref, expected: ListenerStatus[]): Promise<void> {
  return cluster.until(`ListenerSet ${ls.name} listener status`, async () => {
    const { generation, status } = await setOf(cluster, ls);
    return (
      staleConditions(generation, status.conditions ?? []) ??
      listenersMatch(status.listeners ?? [], expected)
    );
  });
}

/** Upstream `GatewayMustHaveAttachedListeners`: `status.attachedListenerSets` (absent = 0). */
export function attachedListenerSets(cluster: Cluster, gw: Ref, count: number): Promise<void> {
  return cluster.until(`Gateway ${gw.name} to have ${count} attached ListenerSets`, async () => {
    const object = await cluster.get(RESOURCES.Gateway, gw);
    const status = (object.status ?? {}) as {
      conditions?: Condition[];
      attachedListenerSets?: number;
    };
    const stale = staleConditions(object.metadata.generation, status.conditions ?? []);
    if (stale) return stale;
    const have = status.attachedListenerSets ?? 0;
    return have === count ? undefined : `attachedListenerSets is ${have}`;
  });
}

/**
 * Upstream `RoutesAndParentMustBeAccepted` with a ListenerSet: each route Accepted by the set
 * (namespace required when the route lives elsewhere), then every listener of the set
 * ResolvedRefs, Accepted and Programmed.
 */
export async function routesAndSetAccepted(
  cluster: Cluster,
  ls: Ref,
  routes: Ref[],
): Promise<void> {
  for (const route of routes) {
    await cluster.routeParents(route, [acceptedSetParent(ls)], route.namespace !== ls.namespace);
  }
  await setListenerConditions(cluster, ls, ACCEPTED_LISTENER);
}
