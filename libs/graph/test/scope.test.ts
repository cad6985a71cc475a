/**
 * `GraphDeps.scope`: a graph kept to one Gateway's routes says about that Gateway what the
 * whole graph says (IR, Gateway and listener conditions, attached routes, every route parent
 * on it, policy ancestry), on every golden case and for every Gateway in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildGatewayIR,
  buildGraph,
  defaultValidators,
  routeParentConditions,
  statusParentRef,
  type Graph,
} from '../src/index.ts';
import { loadSnapshot } from './load-snapshot.ts';

const root = join(import.meta.dirname, 'golden');
const deps = { controllerName: 'portico.dev/gateway-controller', validators: defaultValidators };

/** What the graph says about one Gateway. */
function about(graph: Graph, key: string): unknown {
  const gateway = graph.gateways.get(key);
  return {
    ir: buildGatewayIR(graph, key),
    conditions: gateway?.conditions,
    listeners: gateway?.listeners.map((l) => [l.name, l.attachedRoutes, l.conditions]),
    routeParents: [...graph.routes.values()].flatMap((r) =>
      r.parents
        .filter((p) => p.gatewayKey === key)
        .map((p) => [r.key, statusParentRef(p), routeParentConditions(r, p)]),
    ),
    policyAncestry: [...(graph.backendTlsPolicies?.values() ?? [])].map((p) => [
      p.key,
      p.ancestors.includes(key),
      p.conditions,
    ]),
  };
}

const cases = readdirSync(root)
  .sort()
  .flatMap((name) => {
    const snapshot = loadSnapshot(readFileSync(join(root, name, 'in.yaml'), 'utf8'));
    return [...buildGraph(snapshot, deps).gateways.keys()].map((key) => [name, key] as const);
  });

describe('buildGraph scoped to one Gateway', () => {
  it('covers Gateways of many cases', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBeGreaterThan(10);
  });

  it.each(cases)('%s, %s: as the whole graph says', (name, key) => {
    const snapshot = loadSnapshot(readFileSync(join(root, name, 'in.yaml'), 'utf8'));
    const whole = buildGraph(snapshot, deps);
    const scoped = buildGraph(snapshot, { ...deps, scope: key });
    expect(about(scoped, key)).toEqual(about(whole, key));
    for (const route of scoped.routes.values()) expect(whole.routes.has(route.key)).toBe(true);
  });

  it('leaves out routes with no parent on the Gateway and no status entry for it', () => {
    let left = 0;
    for (const [name, key] of cases) {
      const snapshot = loadSnapshot(readFileSync(join(root, name, 'in.yaml'), 'utf8'));
      const whole = buildGraph(snapshot, deps);
      const scoped = buildGraph(snapshot, { ...deps, scope: key });
      for (const route of whole.routes.values()) {
        if (scoped.routes.has(route.key)) continue;
        left += 1;
        expect(route.parents.some((p) => p.gatewayKey === key)).toBe(false);
      }
    }
    expect(left).toBeGreaterThan(0);
  });
});
