/**
 * Request header modifiers on a backendRef instead of the rule: the same requests and
 * expectations as HTTPRouteRequestHeaderModifier (upstream reuses that test's steps), and a
 * weighted split where each backend's own filter names it.
 */
import { backend, filter, httpRoute, INFRA, parent, ref, rule } from '../builders.ts';
import { roundTrip } from '../http-expect.ts';
import type { Scenario } from '../scenario.ts';
import { FILTER_SCENARIOS } from './httproute-filters.ts';

type Json = Record<string, unknown>;

const SAME = ref(INFRA, 'same-namespace');

/** A copy of `route` whose rules carry their filters on each backendRef instead. */
export function filtersOnBackends(route: Json): Json {
  const copy = structuredClone(route);
  const spec = copy['spec'] as { rules?: Json[] };
  for (const r of spec.rules ?? []) {
    const filters = r['filters'];
    delete r['filters'];
    const refs = (r['backendRefs'] as Json[] | undefined) ?? [];
    for (const b of refs) b['filters'] = filters;
  }
  return copy;
}

const ruleLevel = FILTER_SCENARIOS.find((s) => s.shortName === 'HTTPRouteRequestHeaderModifier');
if (ruleLevel === undefined) throw new Error('HTTPRouteRequestHeaderModifier scenario missing');

export const backendRequestHeaderModifier: Scenario = {
  shortName: 'HTTPRouteBackendRequestHeaderModifier',
  description:
    'RequestHeaderModifier on the backendRef: set, add, remove, several, case-insensitive names, as the rule-level test.',
  manifests: ruleLevel.manifests.map((m) => filtersOnBackends(m) as typeof m),
  run: (t) => ruleLevel.run(t),
};

const setBackend = (name: string): Json =>
  backend(name, 8080, {
    weight: 10,
    filters: [filter('RequestHeaderModifier', { set: [{ name: 'Backend', value: name }] })],
  });

const WEIGHTS_ROUTE = ref(INFRA, 'request-header-modifier-backend-weights');

export const headerModifierBackendWeights: Scenario = {
  shortName: 'HTTPRouteRequestHeaderModifierBackendWeights',
  description:
    'Two weighted backends, each setting a Backend header naming itself: every request lands on the backend its header names.',
  manifests: [
    httpRoute(WEIGHTS_ROUTE, {
      parents: [parent('same-namespace')],
      rules: [rule({ backends: [setBackend('infra-backend-v1'), setBackend('infra-backend-v2')] })],
    }),
  ],
  async run(t) {
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [WEIGHTS_ROUTE]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(WEIGHTS_ROUTE, SAME));
    const expected = { request: { path: '/' }, namespace: INFRA };
    await t.step('served', () => t.http.expect(address, expected));
    await t.step('100 requests land where their Backend header says', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 100; i++) {
        const got = await roundTrip(address, expected);
        if (got.status !== 200 || got.echo === undefined)
          throw new Error(`request ${i}: status ${got.status}, not an echo answer`);
        const named = got.echo.headers['Backend'] ?? [];
        if (named.length !== 1 || named[0] === undefined)
          throw new Error(`request ${i}: expected one Backend header, got ${named.length}`);
        if (!got.echo.pod.startsWith(named[0]))
          throw new Error(`request ${i}: Backend ${named[0]} but answered by ${got.echo.pod}`);
        seen.add(named[0]);
      }
      // Not asked by upstream, but a 50/50 split that never used one side would be a bug.
      if (seen.size !== 2) throw new Error(`only ${[...seen].join(', ')} got requests`);
    });
  },
};
