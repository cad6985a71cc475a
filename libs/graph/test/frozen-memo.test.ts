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

  it.each([
    ['the same objects', (s: Snapshot) => s, ['10.0.0.2:8080', '127.0.0.1:8080']],
    [
      'an EndpointSlice with an endpoint now ready',
      (s: Snapshot) => ({
        ...s,
        endpointSlices: s.endpointSlices.map((slice) =>
          deepFreeze({
            ...slice,
            endpoints: (slice.endpoints ?? []).map((e) => ({ ...e, conditions: { ready: true } })),
          }),
        ),
      }),
      ['10.0.0.2:8080', '10.0.0.9:8080', '127.0.0.1:8080'],
    ],
    [
      'a Service whose port moved',
      (s: Snapshot) => ({
        ...s,
        services: s.services.map((svc) =>
          deepFreeze({ ...svc, spec: { ports: [{ name: 'http', port: 81 }] } }),
        ),
      }),
      [],
    ],
  ])('resolves upstreams again after %s', (_name, change, expected) => {
    const snapshot = deepFreeze(read('seed'));
    const first = buildGraph(snapshot, deps);
    const second = buildGraph(change(snapshot), deps);
    const endpoints = [...second.upstreams.values()].flatMap((u) =>
      u.endpoints.map((e) => `${e.address}:${e.port}`),
    );
    expect(endpoints).toEqual(expected);
    for (const [key, upstream] of second.upstreams) {
      expect(upstream).not.toBe(first.upstreams.get(key)); // later steps may extend it
      expect(Object.isFrozen(upstream)).toBe(false);
    }
  });
});
