/**
 * Memoised steps (frozen-memo.ts) on deep-frozen snapshots, as the store lists them: every
 * golden case gives the same graph as from plain objects, on the first build and on the
 * builds after it, and no two builds share what later steps fill in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGatewayIR, buildGraph, defaultValidators, type Snapshot } from '../src/index.ts';
import { deepFreeze } from '../src/frozen-memo.ts';
import { describeGraph } from './describe-graph.ts';
import { loadSnapshot } from './load-snapshot.ts';

const root = join(import.meta.dirname, 'golden');
const cases = readdirSync(root).sort();
const deps = { controllerName: 'portico.dev/gateway-controller', validators: defaultValidators };

const read = (name: string): Snapshot =>
  loadSnapshot(readFileSync(join(root, name, 'in.yaml'), 'utf8'));

describe('buildGraph on deep-frozen snapshots', () => {
  it.each(cases)('%s: same graph and IR as from plain objects, build after build', (name) => {
    const plain = buildGraph(read(name), deps);
    const frozen = deepFreeze(read(name));
    const first = buildGraph(frozen, deps);
    const second = buildGraph(frozen, deps);
    for (const graph of [first, second]) {
      expect(describeGraph(graph)).toEqual(describeGraph(plain));
      for (const key of plain.gateways.keys())
        expect(buildGatewayIR(graph, key)).toEqual(buildGatewayIR(plain, key));
    }
    for (const [key, route] of second.routes) {
      const earlier = first.routes.get(key);
      route.rules.forEach((rule, i) => expect(rule).not.toBe(earlier?.rules[i]));
    }
  });

  it('reuses the validation of a spec kept across a status change, and only then', () => {
    const snapshot = deepFreeze(read('seed'));
    const route = snapshot.httpRoutes[0];
    if (route === undefined) throw new Error('the seed case has a route');
    const echo = deepFreeze({ ...route, status: { parents: [] } }); // same spec object
    const edited = deepFreeze({ ...route, spec: structuredClone(route.spec) });
    const matchesOf = (r: typeof route) =>
      buildGraph({ ...snapshot, httpRoutes: [r] }, deps)
        .routes.values()
        .next().value?.rules[0]?.matches;
    const matches = matchesOf(route);
    expect(matchesOf(echo)).toBe(matches);
    expect(matchesOf(edited)).not.toBe(matches);
    expect(matchesOf(edited)).toEqual(matches);
    expect(Object.isFrozen(matches)).toBe(true);
  });
});
