/**
 * TCPRoutes, UDPRoutes and TLSRoutes in a Gateway's reconcile: their stream servers join the
 * Gateway's IR, and their `status.parents` are written like HTTPRoutes' (the status functions
 * read the same node fields: source, parents, refusal, resolvedRefs), one kind at a time so
 * that an HTTPRoute and a TCPRoute of the same name never meet in one view.
 */
import type { Graph, RouteNode, StreamGraph, StreamRouteKind } from '@portico/graph';
import { buildStreamIR } from '@portico/graph';
import type { GatewayIR } from '@portico/ir';
import { RESOURCES, writeStatus, type KubeObject, type KubeRest } from '@portico/kube';
import { gatewayStatuses, type GatewayStatusOptions } from '@portico/status';
import { forEachLimited } from './parallel.ts';

const LANES = 8;

/** The IR with the Gateway's stream servers and the upstreams they add (sorted by name). */
export function withStreamServers(
  ir: GatewayIR | undefined,
  graph: Graph,
  stream: StreamGraph,
  key: string,
): GatewayIR | undefined {
  if (ir === undefined) return undefined;
  const { streamServers, upstreams } = buildStreamIR(graph, stream, key);
  if (streamServers.length === 0) return ir;
  const byName = new Map(ir.upstreams.map((u) => [u.name, u]));
  for (const u of upstreams) if (!byName.has(u.name)) byName.set(u.name, u);
  const merged = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return { ...ir, streamServers, upstreams: merged };
}

/** One kind's stream routes as the route view the status functions take. */
function viewOf(graph: Graph, stream: StreamGraph, kind: StreamRouteKind): Graph {
  const routes = stream.routes
    .filter((r) => r.kind === kind)
    .map((r) => [r.key, r as unknown as RouteNode] as const);
  return { ...graph, routes: new Map(routes) };
}

/** Writes the changed `status.parents` of stream routes that name this Gateway. */
export async function writeStreamRouteStatuses(
  graph: Graph,
  stream: StreamGraph,
  gatewayKey: string,
  options: GatewayStatusOptions,
  rest: KubeRest,
): Promise<void> {
  for (const kind of ['TCPRoute', 'TLSRoute', 'UDPRoute'] as const) {
    const view = viewOf(graph, stream, kind);
    const stale = gatewayStatuses(view, gatewayKey, options).routes.filter((r) => r.changed);
    await forEachLimited(stale, LANES, (route) =>
      writeStatus(rest, RESOURCES[kind], route.namespace, route.name, (fresh: KubeObject) => {
        const routeKey = `${route.namespace ?? ''}/${route.name}`;
        const node = view.routes.get(routeKey);
        if (node === undefined) return undefined;
        const withFresh = { ...node, source: { ...node.source, status: fresh.status } };
        const one: Graph = { ...view, routes: new Map([[routeKey, withFresh as RouteNode]]) };
        const result = gatewayStatuses(one, gatewayKey, options).routes[0];
        return result?.changed ? result.status : undefined;
      }),
    );
  }
}
