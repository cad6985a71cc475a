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
  UpstreamIR,
  VirtualHostIR,
  WeightedBackendIR,
} from '@portico/ir';
import { compareStrings, namespaceOf } from './keys.ts';
import { ruleId } from './naming.ts';
import { comparePathRules, sameMatch } from './precedence.ts';
import type { PathRuleKey } from './precedence.ts';
import type { BackendNode, GatewayNode, Graph, RouteNode } from './types.ts';

interface Candidate extends PathRuleKey {
  backends: BackendNode[];
}

/** The IR of `gatewayKey`, or undefined when that Gateway is not ours (nothing to serve). */
export function buildGatewayIR(graph: Graph, gatewayKey: string): GatewayIR | undefined {
  const gateway = graph.gateways.get(gatewayKey);
  if (gateway === undefined) return undefined;
  const hosts = collectCandidates(graph, gateway);
  const used = new Set<string>();
  const httpServers: HttpServerIR[] = [...hosts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, byHost]) => ({
      port,
      protocol: 'HTTP' as const,
      virtualHosts: [...byHost.entries()]
        .sort(([a], [b]) => compareStrings(a, b))
        .map(([hostname, candidates]) => virtualHost(port, hostname, candidates, graph, used)),
    }));
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

/** Port → hostname → rule candidates, from every accepted binding to an accepted listener. */
function collectCandidates(
  graph: Graph,
  gateway: GatewayNode,
): Map<number, Map<string, Candidate[]>> {
  const ports = new Map<number, Map<string, Candidate[]>>();
  if (!gateway.accepted) return ports;
  const served = gateway.listeners.filter((l) => l.accepted);
  for (const listener of served)
    ports.set(listener.source.port, ports.get(listener.source.port) ?? new Map());
  for (const route of graph.routes.values()) {
    for (const parent of route.parents) {
      if (parent.gatewayKey !== gateway.key) continue;
      for (const binding of parent.bindings) {
        const listener = served.find((l) => l.name === binding.listenerName);
        const byHost = listener && ports.get(listener.source.port);
        if (byHost === undefined) continue;
        for (const hostname of binding.hostnames) {
          byHost.set(hostname, [...(byHost.get(hostname) ?? []), ...candidatesOf(route)]);
        }
      }
    }
  }
  return ports;
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
