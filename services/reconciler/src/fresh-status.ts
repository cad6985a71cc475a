/**
 * Status is computed from the store's snapshot, but written onto the object as the API server
 * has it at write time: another reconciler (of another Gateway) may have written its own slice
 * of a route's status meanwhile, and the watcher does not mirror status-only changes. So the
 * writer hands the fresh status back to the same pure functions, which merge into it (keeping
 * other entries and unchanged `lastTransitionTime`s) and say whether anything changed.
 */
import type { Graph } from '@portico/graph';
import type { KubeObject } from '@portico/kube';
import { gatewayClassStatus, gatewayStatuses, type GatewayStatusOptions } from '@portico/status';

type WithStatus<T> = T & { source: { status?: unknown } };

function withStatus<T extends { source: object }>(node: T, fresh: KubeObject): WithStatus<T> {
  return { ...node, source: { ...node.source, status: fresh.status } } as WithStatus<T>;
}

export function freshGatewayClassStatus(
  graph: Graph,
  name: string,
  fresh: KubeObject,
  options: { now: Date; supportedFeatures: string[] },
): unknown {
  const node = graph.gatewayClasses.get(name);
  if (!node) return undefined;
  const view: Graph = { ...graph, gatewayClasses: new Map([[name, withStatus(node, fresh)]]) };
  const result = gatewayClassStatus(view, name, options);
  return result?.changed ? result.status : undefined;
}

export function freshGatewayStatus(
  graph: Graph,
  key: string,
  fresh: KubeObject,
  options: GatewayStatusOptions,
): unknown {
  const node = graph.gateways.get(key);
  if (!node) return undefined;
  const view: Graph = {
    ...graph,
    gateways: new Map([[key, withStatus(node, fresh)]]),
    routes: new Map(),
  };
  const result = gatewayStatuses(view, key, options).gateway;
  return result?.changed ? result.status : undefined;
}

export function freshRouteStatus(
  graph: Graph,
  gatewayKey: string,
  routeKey: string,
  fresh: KubeObject,
  options: GatewayStatusOptions,
): unknown {
  const node = graph.routes.get(routeKey);
  if (!node) return undefined;
  const view: Graph = { ...graph, routes: new Map([[routeKey, withStatus(node, fresh)]]) };
  const result = gatewayStatuses(view, gatewayKey, options).routes[0];
  return result?.changed ? result.status : undefined;
}
