/**
 * The golden view of a graph: what the graph says about each object (the desired conditions
 * @portico/status will write) and the IR of each Gateway. Plain data, sorted, YAML-friendly.
 */
import type { Graph } from '../src/index.ts';
import { buildGatewayIR, routeParentConditions, statusParentRef } from '../src/index.ts';

export function describeGraph(graph: Graph): unknown {
  return {
    gatewayClasses: [...graph.gatewayClasses.values()].map((c) => ({
      name: c.source.metadata.name,
      conditions: c.conditions,
    })),
    gateways: [...graph.gateways.values()].map((g) => ({
      key: g.key,
      conditions: g.conditions,
      listeners: g.listeners.map((l) => ({
        name: l.name,
        supportedKinds: l.supportedKinds,
        attachedRoutes: l.attachedRoutes,
        conditions: l.conditions,
      })),
    })),
    httpRoutes: [...graph.routes.values()].map((r) => ({
      key: r.key,
      parents: r.parents.map((p) => ({
        parentRef: statusParentRef(p),
        conditions: routeParentConditions(r, p),
      })),
    })),
    ...backendTlsPolicies(graph),
    references: {
      services: sortedIndex(graph.references.services),
      secrets: sortedIndex(graph.references.secrets),
    },
    ir: Object.fromEntries(
      [...graph.gateways.keys()].map((key) => [key, buildGatewayIR(graph, key)]),
    ),
  };
}

function sortedIndex(index: ReadonlyMap<string, ReadonlySet<string>>): Record<string, string[]> {
  return Object.fromEntries(
    [...index.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]),
  );
}

/** Policies only where a case has them, so other cases' files stay as they were. */
function backendTlsPolicies(graph: Graph): object {
  const policies = [...(graph.backendTlsPolicies?.values() ?? [])];
  if (policies.length === 0) return {};
  return {
    backendTlsPolicies: policies.map((p) => ({
      key: p.key,
      ancestors: p.ancestors,
      conditions: p.conditions,
    })),
  };
}
