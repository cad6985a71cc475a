/**
 * The shape of the upstream HTTPRoute tests that apply one route to the shared Gateway and
 * then send a table of requests (timeouts, redirects, ...): one factory for all of them.
 */
import { httpRoute, INFRA, parent, ref } from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario } from '../scenario.ts';

const SAME = ref(INFRA, 'same-namespace');

/**
 * One route `routeName` of `rules` on the `same-namespace` Gateway: the Gateway and route
 * accepted, its refs resolved, then every case of `cases` in order.
 */
export function routeRequestsScenario(
  shortName: string,
  description: string,
  routeName: string,
  rules: Array<Record<string, unknown>>,
  cases: Expected[],
): Scenario {
  const route = ref(INFRA, routeName);
  return {
    shortName,
    description,
    manifests: [httpRoute(route, { parents: [parent(SAME.name)], rules })],
    async run(t) {
      const address = await t.step('gateway and route accepted', () =>
        t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
      );
      await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
      await t.step('requests', () => t.http.expectAll(address, cases));
    },
  };
}
