/**
 * The API side of the scenarios: apply and delete objects with the real kubectl, read and patch
 * them over REST, and wait for status the way the upstream suite's `kubernetes` helpers do
 * (same conditions, same observedGeneration rule), failing with what was last seen.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  collectionPath,
  objectPath,
  RESOURCES,
  type KubeList,
  type KubeObject,
  type KubeRest,
  type ResourceType,
} from '@portico/kube';
import { waitFor } from '@portico/testing';
import { CONTROLLER_NAME, GATEWAY_GROUP, type Ref } from './builders.ts';
import {
  conditionsMatch,
  findCondition,
  listenersMatch,
  parentsMatch,
  staleConditions,
  type Condition,
  type ListenerStatus,
  type RouteParentStatus,
} from './status-match.ts';

export interface ClusterDeps {
  rest: KubeRest;
  kubectl(args: readonly string[]): Promise<string>;
  /** Where manifests are written before `kubectl apply -f`. */
  workDir: string;
  /** Listener port -> the port NGINX really listens on for this Gateway. */
  listenerPort(gateway: Ref, port: number): Promise<number>;
  statusTimeoutMs: number;
}

interface Status {
  conditions?: Condition[];
  listeners?: ListenerStatus[];
  parents?: RouteParentStatus[];
  addresses?: Array<{ type?: string; value: string }>;
}

type Resource = ResourceType;

/** The route kinds whose status the scenarios read (upstream has one helper set per kind). */
export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute' | 'UDPRoute' | 'TLSRoute';

const statusOf = (object: KubeObject): Status => (object.status ?? {}) as Status;

/** Upstream's expected parent: Accepted=True by our controller for a Gateway. */
export function acceptedParent(gateway: Ref, sectionName?: string): RouteParentStatus {
  return {
    parentRef: {
      group: GATEWAY_GROUP,
      kind: 'Gateway',
      namespace: gateway.namespace,
      name: gateway.name,
      ...(sectionName ? { sectionName } : {}),
    },
    controllerName: CONTROLLER_NAME,
    conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }],
  };
}

export class Cluster {
  readonly #deps: ClusterDeps;
  #applied = 0;

  constructor(deps: ClusterDeps) {
    this.#deps = deps;
  }

  get rest(): KubeRest {
    return this.#deps.rest;
  }

  /** `kubectl apply -f` of the objects, as one multi-document file. */
  async apply(objects: readonly KubeObject[]): Promise<void> {
    if (objects.length === 0) return;
    const file = join(this.#deps.workDir, `apply-${++this.#applied}.yaml`);
    await writeFile(file, objects.map((o) => stringify(o)).join('---\n'));
    await this.#deps.kubectl(['apply', '-f', file]);
  }

  /** `kubectl delete` of the objects (missing ones are fine), in reverse order. */
  async remove(objects: readonly KubeObject[]): Promise<void> {
    if (objects.length === 0) return;
    const file = join(this.#deps.workDir, `delete-${++this.#applied}.yaml`);
    await writeFile(
      file,
      [...objects]
        .reverse()
        .map((o) => stringify(o))
        .join('---\n'),
    );
    await this.#deps.kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', file]);
  }

  get(type: Resource, at: Ref | { name: string; namespace?: string }): Promise<KubeObject> {
    return this.rest.request<KubeObject>('GET', objectPath(type, at.namespace, at.name));
  }

  async list(type: Resource, namespace?: string): Promise<KubeObject[]> {
    const list = await this.rest.request<KubeList<KubeObject>>(
      'GET',
      collectionPath(type, namespace),
    );
    return list.items;
  }

  /** A JSON merge patch (what controller-runtime's `client.MergeFrom` sends). */
  async mergePatch(
    type: Resource,
    at: { name: string; namespace?: string },
    patch: object,
  ): Promise<KubeObject> {
    return this.rest.request<KubeObject>('PATCH', objectPath(type, at.namespace, at.name), {
      body: patch,
      contentType: 'application/merge-patch+json',
    });
  }

  async delete(type: Resource, at: Ref): Promise<void> {
    await this.rest.request('DELETE', objectPath(type, at.namespace, at.name));
  }

  /**
   * Polls `check` until it returns `undefined` (met); on timeout fails with `what` and the
   * last reason it gave.
   */
  async until(
    what: string,
    check: () => Promise<string | undefined>,
    timeoutMs?: number,
  ): Promise<void> {
    let last = 'not checked yet';
    try {
      await waitFor(
        async () => {
          last = (await check()) ?? '';
          return last === '';
        },
        { description: what, timeoutMs: timeoutMs ?? this.#deps.statusTimeoutMs, intervalMs: 200 },
      );
    } catch {
      throw new Error(`${what}: ${last}`);
    }
  }

  /** Upstream `GatewayMustHaveLatestConditions`. */
  gatewayLatestConditions(gw: Ref): Promise<void> {
    return this.until(`Gateway ${gw.name} conditions at the latest generation`, async () => {
      const object = await this.get(RESOURCES.Gateway, gw);
      return staleConditions(object.metadata.generation, statusOf(object).conditions ?? []);
    });
  }

  /** Upstream `GatewayMustHaveCondition`. */
  gatewayCondition(gw: Ref, expected: Condition): Promise<void> {
    return this.until(`Gateway ${gw.name} condition`, async () => {
      const object = await this.get(RESOURCES.Gateway, gw);
      const conditions = statusOf(object).conditions ?? [];
      return (
        staleConditions(object.metadata.generation, conditions) ??
        findCondition(conditions, expected)
      );
    });
  }

  /** Upstream `GatewayStatusMustHaveListeners`. */
  gatewayListeners(gw: Ref, expected: ListenerStatus[]): Promise<void> {
    return this.until(`Gateway ${gw.name} listener status`, async () => {
      const object = await this.get(RESOURCES.Gateway, gw);
      return listenersMatch(statusOf(object).listeners ?? [], expected);
    });
  }

  /** Upstream `GatewayMustHaveZeroRoutes`: no listener status, or one with 0 routes. */
  gatewayZeroRoutes(gw: Ref): Promise<void> {
    return this.until(`Gateway ${gw.name} to have zero attached routes`, async () => {
      const object = await this.get(RESOURCES.Gateway, gw);
      const status = statusOf(object);
      const stale = staleConditions(object.metadata.generation, status.conditions ?? []);
      if (stale) return stale;
      const listeners = status.listeners ?? [];
      if (listeners.length === 0) return undefined;
      if (listeners.length === 1 && (listeners[0]?.attachedRoutes ?? 0) === 0) return undefined;
      return `listeners: ${listeners.map((l) => `${l.name}=${l.attachedRoutes ?? 0}`).join(', ')}`;
    });
  }

  /**
   * Upstream `WaitForGatewayAddress`: a typed address once the conditions are current; the
   * port is the (first or named) listener's, mapped to where NGINX listens locally.
   */
  async gatewayAddress(gw: Ref, listenerName?: string): Promise<string> {
    let address = '';
    await this.until(`Gateway ${gw.name} to have an address`, async () => {
      const object = await this.get(RESOURCES.Gateway, gw);
      const status = statusOf(object);
      const stale = staleConditions(object.metadata.generation, status.conditions ?? []);
      if (stale) return stale;
      const listeners =
        (object.spec as { listeners?: Array<{ name: string; port: number }> }).listeners ?? [];
      const listener = listeners.find((l) => l.name === listenerName) ?? listeners[0];
      const typed = (status.addresses ?? []).find((a) => a.type !== undefined);
      if (!listener || !typed) return 'no typed address in status yet';
      const port = await this.#deps.listenerPort(gw, listener.port);
      address = `${typed.value}:${port}`;
      return undefined;
    });
    return address;
  }

  /**
   * Upstream `GatewayAndHTTPRoutesMustBeAccepted`: the address, each route Accepted by this
   * Gateway (one expected parent per listener name given), and every listener of the Gateway
   * Accepted, ResolvedRefs and Programmed.
   */
  async gatewayAndRoutesAccepted(
    gw: Ref,
    routes: Ref[],
    listenerNames: string[] = [],
    kind: RouteKind = 'HTTPRoute',
  ): Promise<string> {
    const address = await this.gatewayAddress(gw, listenerNames[0]);
    const sections = listenerNames.length === 0 ? [undefined] : listenerNames;
    for (const route of routes) {
      const parents = sections.map((s) => acceptedParent(gw, s));
      await this.routeParents(route, parents, route.namespace !== gw.namespace, kind);
    }
    await this.listenersHaveConditions(gw, [
      { type: 'ResolvedRefs', status: 'True' },
      { type: 'Accepted', status: 'True' },
      { type: 'Programmed', status: 'True' },
    ]);
    return address;
  }

  /** Upstream `GatewayListenersMustHaveConditions` over all (or the named) listeners. */
  listenersHaveConditions(gw: Ref, expected: Condition[], names?: string[]): Promise<void> {
    return this.until(
      `Gateway ${gw.name} listeners to have ${expected.map((c) => c.type).join(', ')}`,
      async () => {
        const object = await this.get(RESOURCES.Gateway, gw);
        const listeners = statusOf(object).listeners ?? [];
        if (listeners.length === 0) return 'no listener status yet';
        for (const l of listeners) {
          if (names && !names.includes(l.name)) continue;
          const miss = conditionsMatch(l.conditions ?? [], expected);
          if (miss) return `listener ${l.name}: ${miss}`;
        }
        return undefined;
      },
    );
  }

  /** Upstream `HTTPRouteMustHaveParents` / `RouteMustHaveParents` (and the TCP/UDP ones). */
  routeParents(
    route: Ref,
    expected: RouteParentStatus[],
    namespaceRequired: boolean,
    kind: RouteKind = 'HTTPRoute',
  ): Promise<void> {
    return this.until(`${kind} ${route.name} parents`, async () => {
      const object = await this.get(RESOURCES[kind], route);
      const parents = statusOf(object).parents ?? [];
      for (const p of parents) {
        const stale = staleConditions(object.metadata.generation, p.conditions ?? []);
        if (stale) return `parent ${p.parentRef.name}: ${stale}`;
      }
      return parentsMatch(parents, expected, namespaceRequired);
    });
  }

  /**
   * Upstream `HTTPRouteMustHaveCondition` (and `TCPRouteMustHaveCondition`, ...): the
   * condition on the parent status for `gw`.
   */
  routeCondition(
    route: Ref,
    gw: Ref,
    expected: Condition,
    kind: RouteKind = 'HTTPRoute',
  ): Promise<void> {
    return this.until(`${kind} ${route.name} condition for ${gw.name}`, async () => {
      const object = await this.get(RESOURCES[kind], route);
      const parents = statusOf(object).parents ?? [];
      let miss = `no parent status for Gateway ${gw.name}`;
      for (const p of parents) {
        const stale = staleConditions(object.metadata.generation, p.conditions ?? []);
        if (stale) return `parent ${p.parentRef.name}: ${stale}`;
        const sameGateway =
          p.parentRef.name === gw.name &&
          (p.parentRef.namespace === undefined || p.parentRef.namespace === gw.namespace);
        if (!sameGateway) continue;
        const found = findCondition(p.conditions ?? [], expected);
        if (!found) return undefined;
        miss = found;
      }
      return miss;
    });
  }

  /** Upstream `HTTPRouteMustHaveResolvedRefsConditionsTrue`. */
  routeResolvedRefs(route: Ref, gw: Ref): Promise<void> {
    return this.routeCondition(route, gw, {
      type: 'ResolvedRefs',
      status: 'True',
      reason: 'ResolvedRefs',
    });
  }

  /** Upstream `HTTPRouteMustHaveLatestConditions`. */
  routeLatestConditions(route: Ref): Promise<void> {
    return this.until(`HTTPRoute ${route.name} conditions at the latest generation`, async () => {
      const object = await this.get(RESOURCES.HTTPRoute, route);
      for (const p of statusOf(object).parents ?? []) {
        const stale = staleConditions(object.metadata.generation, p.conditions ?? []);
        if (stale) return stale;
      }
      return undefined;
    });
  }

  /**
   * Upstream `HTTPRouteMustHaveNoAcceptedParents` (and the TLSRoute one): no parents (seen twice), or exactly one
   * whose Accepted is False.
   */
  async routeNoAcceptedParents(route: Ref, kind: RouteKind = 'HTTPRoute'): Promise<void> {
    let emptySeen = false;
    await this.until(`${kind} ${route.name} to have no accepted parents`, async () => {
      const object = await this.get(RESOURCES[kind], route);
      const parents = statusOf(object).parents ?? [];
      if (parents.length === 0) {
        if (emptySeen) return undefined;
        emptySeen = true;
        return 'no parents (checking again)';
      }
      if (parents.length > 1) return `${parents.length} parents in status, expected at most one`;
      const only = parents[0]?.conditions ?? [];
      return (
        staleConditions(object.metadata.generation, only) ??
        findCondition(only, { type: 'Accepted', status: 'False' })
      );
    });
  }

  /** Upstream `GWCMustHaveAcceptedConditionAny` / `...True` (status '' = any). */
  classAccepted(name: string, status = ''): Promise<void> {
    return this.until(`GatewayClass ${name} Accepted`, async () => {
      const object = await this.get(RESOURCES.GatewayClass, { name });
      const conditions = statusOf(object).conditions ?? [];
      return (
        staleConditions(object.metadata.generation, conditions) ??
        findCondition(conditions, { type: 'Accepted', status })
      );
    });
  }

  /** Upstream `GatewayClassMustHaveLatestConditions`. */
  classLatestConditions(name: string): Promise<void> {
    return this.until(`GatewayClass ${name} conditions at the latest generation`, async () => {
      const object = await this.get(RESOURCES.GatewayClass, { name });
      return staleConditions(object.metadata.generation, statusOf(object).conditions ?? []);
    });
  }

  /**
   * Upstream `NamespacesMustBeReady`: every Gateway in the namespaces (except those annotated
   * to be skipped) Accepted and Programmed at its latest generation. Pods: the local backends
   * are ready before any scenario runs.
   */
  namespacesReady(namespaces: string[]): Promise<void> {
    return this.until(`namespaces ${namespaces.join(', ')} to be ready`, async () => {
      for (const ns of namespaces) {
        for (const gw of await this.list(RESOURCES.Gateway, ns)) {
          if (gw.metadata.annotations?.['gateway-api/skip-this-for-readiness'] === 'true') continue;
          const conditions = statusOf(gw).conditions ?? [];
          const miss =
            staleConditions(gw.metadata.generation, conditions) ??
            conditionsMatch(conditions, [
              { type: 'Accepted', status: 'True' },
              { type: 'Programmed', status: 'True' },
            ]);
          if (miss) return `Gateway ${ns}/${gw.metadata.name}: ${miss}`;
        }
      }
      return undefined;
    });
  }
}
