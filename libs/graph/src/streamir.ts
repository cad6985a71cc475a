/**
 * Stream routes of the graph and their IR: `buildStreamGraph` runs after `buildGraph` (it
 * needs the processed Gateways and adds to their listeners' `attachedRoutes`), and
 * `buildStreamIR` turns one Gateway's TCP, UDP and TLS listeners (Passthrough and Terminate)
 * into `streamServers`. Pure and deterministic, like the rest of the graph.
 */
import type { StreamBackendIR, StreamRouteIR, StreamServerIR, UpstreamIR } from '@portico/ir';
import { compareStrings, namespaceOf } from './keys.ts';
import { indexSnapshot } from './lookup.ts';
import type { Snapshot } from './snapshot.ts';
import { resolveStreamBackends } from './streambackends.ts';
import { terminatesTls } from './tls.ts';
import { bindStreamRoutes, processStreamRoutes } from './streamroute.ts';
import type { StreamRouteNode } from './streamroute.ts';
import type { Graph, GraphDeps, ListenerNode, UpstreamNode } from './types.ts';

export interface StreamGraph {
  /** Stream routes that concern us, sorted by kind then `<ns>/<name>`. */
  routes: StreamRouteNode[];
  /** Upstreams of stream routes, by `<ns>/<name>:<port>`, sorted. */
  upstreams: Map<string, UpstreamNode>;
}

/**
 * Processes, binds and resolves the snapshot's TCPRoutes, UDPRoutes and TLSRoutes against
 * the Gateways of `graph`. Order: binding before backends does not matter for status, but
 * both need every Gateway's listeners, hence after `buildGraph`.
 */
export function buildStreamGraph(snapshot: Snapshot, graph: Graph, deps: GraphDeps): StreamGraph {
  const lookup = indexSnapshot(snapshot);
  const routes = processStreamRoutes(
    {
      TCPRoute: snapshot.tcpRoutes ?? [],
      UDPRoute: snapshot.udpRoutes ?? [],
      TLSRoute: snapshot.tlsRoutes ?? [],
    },
    graph.gateways,
    deps.controllerName,
    deps.validators,
  );
  bindStreamRoutes(routes, graph.gateways, lookup);
  const upstreams = resolveStreamBackends(routes, lookup, deps.validators);
  return { routes, upstreams };
}

/** Whether a listener is served by the `stream` module, and how. */
function streamProtocol(listener: ListenerNode): StreamServerIR['protocol'] | undefined {
  switch (listener.source.protocol) {
    case 'TCP':
      return 'TCP';
    case 'UDP':
      return 'UDP';
    case 'TLS':
      return 'TLS';
    default:
      return undefined;
  }
}

/**
 * The stream servers of one Gateway and the upstreams they use. Of several routes serving
 * the same listener (TCP/UDP) or SNI hostname (TLS), the oldest by creation time, then by
 * `<ns>/<name>`, gets the connections (Gateway API conflict resolution).
 */
export function buildStreamIR(
  graph: Graph,
  stream: StreamGraph,
  gatewayKey: string,
): { streamServers: StreamServerIR[]; upstreams: UpstreamIR[] } {
  const gateway = graph.gateways.get(gatewayKey);
  if (gateway === undefined || !gateway.accepted) return { streamServers: [], upstreams: [] };
  const servers = new Map<string, StreamServerIR>();
  const used = new Set<string>();
  for (const listener of gateway.listeners) {
    const protocol = streamProtocol(listener);
    if (protocol === undefined || !listener.served) continue;
    const transport = protocol === 'UDP' ? 'udp' : 'tcp';
    const socket = `${listener.source.port}/${transport}`;
    const server = servers.get(socket) ?? {
      port: listener.source.port,
      transport,
      protocol,
      routes: [],
    };
    servers.set(socket, server);
    for (const [hostname, route] of winners(stream.routes, gatewayKey, listener)) {
      if (server.routes.some((r) => r.hostname === hostname)) continue;
      const backends = backendsIR(route, stream, used);
      const source = {
        kind: route.kind,
        namespace: namespaceOf(route.source.metadata),
        name: route.source.metadata.name,
      };
      server.routes.push({ hostname, source, backends, ...terminateIR(listener) });
    }
  }
  const streamServers = [...servers.values()]
    .map((s) => ({ ...s, routes: sortRoutes(s.routes) }))
    .sort((a, b) => a.port - b.port || compareStrings(a.transport, b.transport));
  const upstreams = [...stream.upstreams.values()]
    .filter((u) => used.has(u.name))
    .map((u) => ({
      name: u.name,
      service: { ...u.service },
      endpoints: u.endpoints.map((e) => ({ ...e })),
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
  return { streamServers, upstreams };
}

/** A TLS `Terminate` listener's certificates, which its routes' connections are ended with. */
function terminateIR(listener: ListenerNode): Pick<StreamRouteIR, 'terminate'> {
  if (!terminatesTls(listener.source)) return {};
  return { terminate: listener.certificates.map((c) => ({ ...c })) };
}

/** The route that gets each hostname of the listener: the oldest accepted one. */
function winners(
  routes: readonly StreamRouteNode[],
  gatewayKey: string,
  listener: ListenerNode,
): Map<string, StreamRouteNode> {
  const result = new Map<string, StreamRouteNode>();
  const bound = routes
    .flatMap((route) =>
      route.parents
        .filter((p) => p.gatewayKey === gatewayKey)
        .flatMap((p) => p.bindings.filter((b) => b.listenerName === listener.name))
        .map((binding) => ({ route, binding })),
    )
    .sort((a, b) => compareAge(a.route, b.route));
  for (const { route, binding } of bound) {
    for (const hostname of binding.hostnames)
      if (!result.has(hostname)) result.set(hostname, route);
  }
  return result;
}

function compareAge(a: StreamRouteNode, b: StreamRouteNode): number {
  return (
    compareStrings(
      a.source.metadata.creationTimestamp ?? '',
      b.source.metadata.creationTimestamp ?? '',
    ) ||
    compareStrings(namespaceOf(a.source.metadata), namespaceOf(b.source.metadata)) ||
    compareStrings(a.source.metadata.name, b.source.metadata.name)
  );
}

/** Zero weights dropped, equal upstreams merged (first-seen order). */
function backendsIR(
  route: StreamRouteNode,
  stream: StreamGraph,
  used: Set<string>,
): StreamBackendIR[] {
  const merged: StreamBackendIR[] = [];
  for (const b of route.backends) {
    if (b.weight === 0) continue;
    const upstream =
      b.upstreamKey === null ? null : (stream.upstreams.get(b.upstreamKey)?.name ?? null);
    if (upstream !== null) used.add(upstream);
    const same = merged.find((m) => m.upstream === upstream);
    if (same !== undefined) same.weight += b.weight;
    else merged.push({ upstream, weight: b.weight });
  }
  return merged;
}

function sortRoutes(routes: StreamRouteIR[]): StreamRouteIR[] {
  return [...routes].sort((a, b) => compareStrings(a.hostname, b.hostname));
}
