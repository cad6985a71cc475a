/** Scenario of named route rules: a rule with `name` serves like one without. */
import { backend, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { reaches } from './expect.ts';

const SAME = ref(INFRA, 'same-namespace');
const V1 = 'infra-backend-v1';

export const namedRule: Scenario = {
  shortName: 'HTTPRouteNamedRule',
  description: 'One named and one unnamed rule: the route is accepted and both serve.',
  manifests: [
    httpRoute(ref(INFRA, 'http-named-rules'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({
          matches: [prefix('/named')],
          backends: [backend(V1, 8080)],
          extra: { name: 'named-rule' },
        }),
        rule({ matches: [prefix('/unnamed')], backends: [backend(V1, 8080)] }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'http-named-rules');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('requests', () =>
      t.http.expectAll(address, [reaches('/named', V1, INFRA), reaches('/unnamed', V1, INFRA)]),
    );
  },
};
