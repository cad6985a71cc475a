/**
 * `buildGatewayIR`: one Gateway of the graph as the IR its data plane serves. Only accepted
 * listeners of an accepted Gateway are served; rules are sorted by Gateway API precedence per
 * virtual host, and of two identical matches only the first by that order is kept.
 */
import { IR_SCHEMA_VERSION } from '@portico/ir';
import type {
  GatewayIR,
  HttpRuleIR,
  HttpServerIR,
  TlsListenerIR,
  UpstreamIR,
  VirtualHostIR,
  WeightedBackendIR,
} from '@portico/ir';
import { compareStrings, namespaceOf } from './keys.ts';
import { ruleId } from './naming.ts';
import { comparePathRules, sameMatch } from './precedence.ts';
import type { PathRuleKey } from './precedence.ts';
import type { BackendNode, Graph, ListenerNode, RouteNode } from './types.ts';
import { collectVirtualHosts, listenerHostname } from './virtual-hosts.ts';

interface Candidate extends PathRuleKey {
  backends: BackendNode[];
}

/** The IR of `gatewayKey`, or undefined when that Gateway is not ours (nothing to serve). */
export function buildGatewayIR(graph: Graph, gatewayKey: string): GatewayIR | undefined {
  const gateway = graph.gateways.get(gatewayKey);
  if (gateway === undefined) return undefined;
  const ports = collectVirtualHosts(graph, gateway, candidatesOf);
  const used = new Set<string>();
  const httpServers: HttpServerIR[] = [...ports.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, { protocol, listeners, hosts }]) => {
      const https = protocol === 'HTTPS';
      const virtualHosts = [...hosts.entries()]
        .sort(([a], [b]) => compareStrings(a, b))
        .map(([hostname, host]): VirtualHostIR => {
          const vhost = virtualHost(port, hostname, host.candidates, graph, used);
          return https ? { ...vhost, listener: host.listener } : vhost;
        });
      return {
        port,
        protocol,
        virtualHosts,
        ...(https ? { listeners: tlsListenersIR(listeners) } : {}),
      };
    });
  return {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: {
      namespace: namespaceOf(gateway.source.metadata),
      name: gateway.source.metadata.name,
    },
    httpServers,
    upstreams: upstreamsIR(graph, used),
  };
}

/** HTTPS listeners of one port with their certificates, sorted by name. */
function tlsListenersIR(listeners: readonly ListenerNode[]): TlsListenerIR[] {
  return listeners
    .map((l) => ({
      name: l.name,
      hostname: listenerHostname(l),
      certificates: l.certificates.map((c) => ({ ...c })),
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
}

function candidatesOf(route: RouteNode): Candidate[] {
  const meta = route.source.metadata;
  return route.rules.flatMap((rule) =>
    rule.matches.map((match) => ({
      path: match.path,
      creationTimestamp: meta.creationTimestamp,
      namespace: namespaceOf(meta),
      name: meta.name,
      ruleIndex: rule.index,
      matchIndex: match.index,
      backends: rule.backends,
    })),
  );
}

function virtualHost(
  port: number,
  hostname: string,
  candidates: Candidate[],
  graph: Graph,
  used: Set<string>,
): VirtualHostIR {
  const kept: Candidate[] = [];
  for (const c of [...candidates].sort(comparePathRules)) {
    if (!kept.some((k) => sameMatch(k, c))) kept.push(c);
  }
  const rules = kept.map((c): HttpRuleIR => {
    const backends = backendsIR(c.backends, graph);
    for (const b of backends) if (b.upstream !== null) used.add(b.upstream);
    const { namespace, name, ruleIndex, matchIndex } = c;
    return {
      id: ruleId({ port, hostname, namespace, name, ruleIndex, matchIndex }),
      source: { kind: 'HTTPRoute', namespace, name, ruleIndex, matchIndex },
      match: { path: c.path },
      backends,
    };
  });
  return { hostname, rules };
}

/** Weighted backends; zero weights dropped, equal upstreams merged (first-seen order). */
function backendsIR(backends: readonly BackendNode[], graph: Graph): WeightedBackendIR[] {
  const merged: WeightedBackendIR[] = [];
  for (const b of backends) {
    if (b.weight === 0) continue;
    const upstream =
      b.upstreamKey === null ? null : (graph.upstreams.get(b.upstreamKey)?.name ?? null);
    const same = merged.find((m) => m.upstream === upstream);
    if (same === undefined) merged.push({ upstream, weight: b.weight });
    else same.weight += b.weight;
  }
  return merged;
}

function upstreamsIR(graph: Graph, used: ReadonlySet<string>): UpstreamIR[] {
  return [...graph.upstreams.values()]
    .filter((u) => used.has(u.name))
    .map((u) => ({
      name: u.name,
      service: { ...u.service },
      endpoints: u.endpoints.map((e) => ({ ...e })),
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
}
