/** Scenarios of basic HTTPRoute attachment and routing: one Gateway, paths, weights. */
import { RESOURCES } from '@portico/kube';
import {
  backend,
  exact,
  gateway,
  http,
  httpRoute,
  INFRA,
  parent,
  prefix,
  ref,
  rule,
  service,
  WEB,
} from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { answers, reaches } from './expect.ts';

const SAME = ref(INFRA, 'same-namespace');
const V1 = 'infra-backend-v1';
const V2 = 'infra-backend-v2';
const V3 = 'infra-backend-v3';

const simpleSameNamespace: Scenario = {
  shortName: 'HTTPRouteSimpleSameNamespace',
  description:
    'A route in the infra namespace attaches to the same-namespace Gateway and reaches infra-backend-v1.',
  manifests: [
    httpRoute(ref(INFRA, 'gateway-conformance-infra-test'), {
      parents: [parent('same-namespace')],
      rules: [rule({ backends: [backend(V1, 8080)] })],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'gateway-conformance-infra-test');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('request', () => t.http.expect(address, reaches('/', V1, INFRA)));
  },
};

const crossNamespace: Scenario = {
  shortName: 'HTTPRouteCrossNamespace',
  description:
    'A route in the web-backend namespace attaches to backend-namespaces (selector) in infra.',
  manifests: [
    httpRoute(ref(WEB, 'cross-namespace'), {
      parents: [parent('backend-namespaces', { namespace: INFRA })],
      rules: [rule({ backends: [backend('web-backend', 8080)] })],
    }),
  ],
  async run(t) {
    const route = ref(WEB, 'cross-namespace');
    const gw = ref(INFRA, 'backend-namespaces');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(gw, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, gw));
    await t.step('request', () => t.http.expect(address, reaches('/', 'web-backend', WEB)));
  },
};

const exactPathMatching: Scenario = {
  shortName: 'HTTPRouteExactPathMatching',
  description:
    'Exact matches for /one and /two reach v1 and v2; other paths, longer or differently cased, get 404.',
  manifests: [
    httpRoute(ref(INFRA, 'exact-matching'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({ matches: [exact('/one')], backends: [backend(V1, 8080)] }),
        rule({ matches: [exact('/two')], backends: [backend(V2, 8080)] }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'exact-matching');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches('/one', V1, INFRA),
        reaches('/two', V2, INFRA),
        answers('/', 404),
        answers('/one/example', 404),
        answers('/two/', 404),
        answers('/Two', 404),
      ]),
    );
  },
};

const pathMatchOrder: Scenario = {
  shortName: 'HTTPRoutePathMatchOrder',
  description: 'Exact beats prefix, and the longest prefix wins, whatever the order of the rules.',
  manifests: [
    httpRoute(ref(INFRA, 'path-matching-order'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({ matches: [exact('/match')], backends: [backend(V1, 8080)] }),
        rule({ matches: [exact('/match/exact')], backends: [backend(V2, 8080)] }),
        rule({ matches: [exact('/match/exact/one')], backends: [backend(V3, 8080)] }),
        rule({ matches: [prefix('/match/')], backends: [backend(V3, 8080)] }),
        rule({ matches: [prefix('/match/prefix/')], backends: [backend(V1, 8080)] }),
        rule({ matches: [prefix('/match/prefix/one')], backends: [backend(V2, 8080)] }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'path-matching-order');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches('/match/exact/one', V3, INFRA),
        reaches('/match/exact', V2, INFRA),
        reaches('/match', V1, INFRA),
        reaches('/match/prefix/one/any', V2, INFRA),
        reaches('/match/prefix/any', V1, INFRA),
        reaches('/match/any', V3, INFRA),
      ]),
    );
  },
};

const multipleGateways: Scenario = {
  shortName: 'HTTPRouteMultipleGateways',
  description:
    'A route shared by two Gateways serves on both; each dedicated route only on its own.',
  manifests: [
    httpRoute(ref(INFRA, 'multiple-gateways-shared-route'), {
      parents: [parent('same-namespace'), parent('all-namespaces')],
      rules: [rule({ matches: [prefix('/shared')], backends: [backend(V1, 8080)] })],
    }),
    httpRoute(ref(INFRA, 'same-namespace-dedicated-route'), {
      parents: [parent('same-namespace')],
      rules: [rule({ matches: [prefix('/')], backends: [backend(V2, 8080)] })],
    }),
    httpRoute(ref(INFRA, 'all-namespaces-dedicated-route'), {
      parents: [parent('all-namespaces')],
      rules: [rule({ matches: [prefix('/')], backends: [backend(V3, 8080)] })],
    }),
  ],
  async run(t) {
    const shared = ref(INFRA, 'multiple-gateways-shared-route');
    const plans: Array<[string, string, string]> = [
      ['same-namespace', 'same-namespace-dedicated-route', V2],
      ['all-namespaces', 'all-namespaces-dedicated-route', V3],
    ];
    for (const [gwName, dedicated, dedicatedBackend] of plans) {
      const gw = ref(INFRA, gwName);
      await t.step(`Gateway ${gwName}`, async () => {
        const address = await t.cluster.gatewayAndRoutesAccepted(gw, [
          shared,
          ref(INFRA, dedicated),
        ]);
        await t.http.expect(address, reaches('/shared', V1, INFRA));
        await t.http.expect(address, reaches('/', dedicatedBackend, INFRA));
      });
    }
  },
};

const weight: Scenario = {
  shortName: 'HTTPRouteWeight',
  description: 'Weights 70/30/0 split 500 requests within 5 % of 0.7/0.3/0.',
  manifests: [
    httpRoute(ref(INFRA, 'weighted-backends'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({
          backends: [
            backend(V1, 8080, { weight: 70 }),
            backend(V2, 8080, { weight: 30 }),
            backend(V3, 8080, { weight: 0 }),
          ],
        }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'weighted-backends');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    const expected = { request: { path: '/' }, namespace: INFRA };
    await t.step('first answer', () => t.http.expect(address, expected));
    await t.step('distribution', () =>
      t.http.expectDistribution(address, expected, { [V1]: 0.7, [V2]: 0.3, [V3]: 0 }),
    );
  },
};

const noBackendRefs: Scenario = {
  shortName: 'HTTPRouteNoBackendRefs',
  description:
    'Rules with omitted or empty backendRefs answer 500; a rule with a backend forwards.',
  manifests: [
    httpRoute(ref(INFRA, 'omitted-backendrefs'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({ matches: [exact('/omitted-no-forward')] }),
        rule({ matches: [exact('/empty-no-forward')], backends: [] }),
        rule({ matches: [prefix('/')], backends: [backend(V1, 8080)] }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'omitted-backendrefs');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches('/forward', V1, INFRA),
        answers('/omitted-no-forward', 500),
        answers('/empty-no-forward', 500),
      ]),
    );
  },
};

const observedGenerationBump: Scenario = {
  shortName: 'HTTPRouteObservedGenerationBump',
  description: 'After a spec change the generation moves and every parent condition carries it.',
  manifests: [
    httpRoute(ref(INFRA, 'observed-generation-bump'), {
      parents: [parent('same-namespace')],
      rules: [rule({ backends: [backend(V1, 8080)] })],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'observed-generation-bump');
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    const original = await t.cluster.get(RESOURCES.HTTPRoute, route);
    await t.step('latest conditions before', () => t.cluster.routeLatestConditions(route));
    const rules = structuredClone(
      (original.spec as { rules: Array<{ backendRefs: Array<{ name: string }> }> }).rules,
    );
    const first = rules[0]?.backendRefs[0];
    if (first) first.name = V2;
    await t.cluster.mergePatch(RESOURCES.HTTPRoute, route, { spec: { rules } });
    await t.step('Accepted', () =>
      t.cluster.routeCondition(route, SAME, { type: 'Accepted', status: 'True' }),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('latest conditions after', () => t.cluster.routeLatestConditions(route));
    const updated = await t.cluster.get(RESOURCES.HTTPRoute, route);
    if (updated.metadata.generation === original.metadata.generation)
      throw new Error('generation did not change after a spec update');
  },
};

const serviceTypes: Scenario = {
  shortName: 'HTTPRouteServiceTypes',
  description:
    'Services with hand-written EndpointSlices, headless with a selector, and headless with hand-written slices all reach infra-backend-v1.',
  manifests: [
    service(ref(INFRA, 'manual-endpointslices'), [
      { name: 'first-port', port: 8080, targetPort: 3000 },
    ]),
    service(ref(INFRA, 'headless'), [{ name: 'first-port', port: 8080, targetPort: 3000 }], {
      headless: true,
      selector: { app: V1 },
    }),
    service(
      ref(INFRA, 'headless-manual-endpointslices'),
      [{ name: 'first-port', port: 8080, targetPort: 3000 }],
      {
        headless: true,
      },
    ),
    httpRoute(ref(INFRA, 'service-types'), {
      parents: [parent('same-namespace')],
      rules: ['manual-endpointslices', 'headless', 'headless-manual-endpointslices'].map((name) =>
        rule({ matches: [exact(`/${name}`)], backends: [backend(name, 8080)] }),
      ),
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'service-types');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    // The endpoints controller's part for the selector Service, and the test's own part for
    // the hand-written slices (upstream patches them with the pods' addresses).
    for (const name of ['headless', 'manual-endpointslices', 'headless-manual-endpointslices']) {
      await t.backends.publish(INFRA, name, V1, 'first-port');
    }
    for (const name of ['manual-endpointslices', 'headless', 'headless-manual-endpointslices']) {
      await t.step(`/${name}`, () => t.http.expect(address, reaches(`/${name}`, V1, INFRA)));
    }
  },
};

/** Listener hostnames on one port: exact names and wildcards, one route per listener. */
const listenerHostnameMatching: Scenario = {
  shortName: 'HTTPRouteListenerHostnameMatching',
  description: 'Four listeners on port 80 with different hostnames each serve their own route.',
  manifests: [
    gateway(ref(INFRA, 'httproute-listener-hostname-matching'), [
      http('listener-1', { hostname: 'bar.com' }),
      http('listener-2', { hostname: 'foo.bar.com' }),
      http('listener-3', { hostname: '*.bar.com' }),
      http('listener-4', { hostname: '*.foo.com' }),
    ]),
    ...[
      ['backend-v1', V1, ['listener-1']],
      ['backend-v2', V2, ['listener-2']],
      ['backend-v3', V3, ['listener-3', 'listener-4']],
    ].map(([name, svc, sections]) =>
      httpRoute(ref(INFRA, name as string), {
        parents: (sections as string[]).map((sectionName) =>
          parent('httproute-listener-hostname-matching', { namespace: INFRA, sectionName }),
        ),
        rules: [rule({ backends: [backend(svc as string, 8080)] })],
      }),
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'httproute-listener-hostname-matching');
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('backend-v1 accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(gw, [ref(INFRA, 'backend-v1')], ['listener-1']),
    );
    await t.step('backend-v1 ResolvedRefs', () =>
      t.cluster.routeResolvedRefs(ref(INFRA, 'backend-v1'), gw),
    );
    await t.step('backend-v2 accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(gw, [ref(INFRA, 'backend-v2')], ['listener-2']),
    );
    await t.step('backend-v2 ResolvedRefs', () =>
      t.cluster.routeResolvedRefs(ref(INFRA, 'backend-v2'), gw),
    );
    const address = await t.step('backend-v3 accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(
        gw,
        [ref(INFRA, 'backend-v3')],
        ['listener-3', 'listener-4'],
      ),
    );
    await t.step('backend-v3 ResolvedRefs', () =>
      t.cluster.routeResolvedRefs(ref(INFRA, 'backend-v3'), gw),
    );
    const on = (host: string): { host: string; path: string } => ({ host, path: '/' });
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches(on('bar.com'), V1, INFRA),
        reaches(on('foo.bar.com'), V2, INFRA),
        reaches(on('baz.bar.com'), V3, INFRA),
        reaches(on('boo.bar.com'), V3, INFRA),
        reaches(on('multiple.prefixes.bar.com'), V3, INFRA),
        reaches(on('multiple.prefixes.foo.com'), V3, INFRA),
        answers(on('foo.com'), 404),
        answers(on('no.matching.host'), 404),
      ]),
    );
  },
};

export const BASIC_SCENARIOS: Scenario[] = [
  simpleSameNamespace,
  crossNamespace,
  exactPathMatching,
  pathMatchOrder,
  multipleGateways,
  weight,
  noBackendRefs,
  observedGenerationBump,
  serviceTypes,
  listenerHostnameMatching,
];
