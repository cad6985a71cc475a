/**
 * ListenerSet scenarios with routes: routes reach set listeners only through a parentRef of
 * kind ListenerSet (a Gateway parentRef sees the Gateway's own listeners), `allowedRoutes`
 * of a set listener counts from the set's namespace, and route status is per parentRef.
 */
import {
  backend,
  CONTROLLER_NAME,
  gateway,
  GATEWAY_GROUP,
  http,
  httpRoute,
  INFRA,
  namespace,
  parent,
  prefix,
  ref,
  rule,
} from '../builders.ts';
import type { Ref } from '../builders.ts';
import {
  ACCEPTED_LISTENER,
  allowedListeners,
  attachedListenerSets,
  listenerSet,
  routesAndSetAccepted,
  setListeners,
  setParent,
} from '../listenerset.ts';
import type { Scenario } from '../scenario.ts';
import { answers, at, cond, reaches } from './expect.ts';

const V1 = 'infra-backend-v1';
const V2 = 'infra-backend-v2';
const V3 = 'infra-backend-v3';

/** A route in `at.namespace` with one PathPrefix rule to `service` (in infra). */
function routeTo(route: Ref, parents: Record<string, unknown>[], path: string, service: string) {
  const ns = route.namespace === INFRA ? {} : { namespace: INFRA };
  return httpRoute(route, {
    parents,
    rules: [rule({ matches: [prefix(path)], backends: [backend(service, 8080, ns)] })],
  });
}

const gwParent = (gw: Ref, sectionName?: string): Record<string, unknown> =>
  parent(gw.name, { namespace: gw.namespace, ...(sectionName ? { sectionName } : {}) });

/** A set listener's expected status: HTTPRoute supported, `routes` attached, accepted. */
const entry = (name: string, routes: number) => ({
  name,
  attachedRoutes: routes,
  supportedKinds: [{ kind: 'HTTPRoute' }],
  conditions: ACCEPTED_LISTENER,
});

const ROUTING_GW = ref(INFRA, 'gateway-with-listener-sets-http-routing');
const LS1 = ref(INFRA, 'listener-set-http-routing-1');
const LS2 = ref(INFRA, 'listener-set-http-routing-2');
const allHttp = (name: string) => http(name, { hostname: `${name}.com`, from: 'All' });

const httpRouting: Scenario = {
  shortName: 'ListenerSetHTTPRouting',
  description:
    'Routes on the Gateway reach only its listeners, routes on a set only that set (or one of its listeners by sectionName); a route naming all three reaches every listener.',
  manifests: [
    gateway(ROUTING_GW, [allHttp('gateway-listener-1'), allHttp('gateway-listener-2')], {
      spec: allowedListeners('All'),
    }),
    listenerSet(LS1, ROUTING_GW, [
      allHttp(`${LS1.name}-listener-1`),
      allHttp(`${LS1.name}-listener-2`),
    ]),
    listenerSet(LS2, ROUTING_GW, [
      allHttp(`${LS2.name}-listener-1`),
      allHttp(`${LS2.name}-listener-2`),
    ]),
    routeTo(
      ref(INFRA, 'attaches-to-all-listeners'),
      [gwParent(ROUTING_GW), setParent(LS1), setParent(LS2)],
      '/route',
      V1,
    ),
    routeTo(ref(INFRA, 'gateway-route'), [gwParent(ROUTING_GW)], '/gateway-route', V2),
    routeTo(
      ref(INFRA, 'gateway-section-route'),
      [gwParent(ROUTING_GW, 'gateway-listener-1')],
      '/gateway-section-route',
      V3,
    ),
    routeTo(ref(INFRA, `${LS1.name}-route`), [setParent(LS1)], `/${LS1.name}-route`, V2),
    routeTo(
      ref(INFRA, `${LS1.name}-section-route`),
      [setParent(LS1, `${LS1.name}-listener-1`)],
      `/${LS1.name}-section-route`,
      V3,
    ),
    routeTo(ref(INFRA, `${LS2.name}-route`), [setParent(LS2)], `/${LS2.name}-route`, V2),
  ],
  async run(t) {
    const gwRoutes = ['attaches-to-all-listeners', 'gateway-route', 'gateway-section-route'];
    const address = await t.step('Gateway and its routes accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(
        ROUTING_GW,
        gwRoutes.map((n) => ref(INFRA, n)),
        ['gateway-listener-1'],
      ),
    );
    await t.step('2 attached ListenerSets', () => attachedListenerSets(t.cluster, ROUTING_GW, 2));
    await t.step('set 1 routes', () =>
      routesAndSetAccepted(
        t.cluster,
        LS1,
        ['attaches-to-all-listeners', `${LS1.name}-route`, `${LS1.name}-section-route`].map((n) =>
          ref(INFRA, n),
        ),
      ),
    );
    await t.step('set 1 listeners', () =>
      setListeners(t.cluster, LS1, [
        entry(`${LS1.name}-listener-1`, 3),
        entry(`${LS1.name}-listener-2`, 2),
      ]),
    );
    await t.step('set 2 routes', () =>
      routesAndSetAccepted(
        t.cluster,
        LS2,
        ['attaches-to-all-listeners', `${LS2.name}-route`].map((n) => ref(INFRA, n)),
      ),
    );
    await t.step('set 2 listeners', () =>
      setListeners(t.cluster, LS2, [
        entry(`${LS2.name}-listener-1`, 2),
        entry(`${LS2.name}-listener-2`, 2),
      ]),
    );
    const hosts = [
      'gateway-listener-1',
      'gateway-listener-2',
      `${LS1.name}-listener-1`,
      `${LS1.name}-listener-2`,
      `${LS2.name}-listener-1`,
      `${LS2.name}-listener-2`,
    ];
    // Path → [backend, hosts that reach it]; every other host answers 404.
    const table: Array<[string, string, string[]]> = [
      ['/route', V1, hosts],
      ['/gateway-route', V2, hosts.slice(0, 2)],
      ['/gateway-section-route', V3, hosts.slice(0, 1)],
      [`/${LS1.name}-route`, V2, hosts.slice(2, 4)],
      [`/${LS1.name}-section-route`, V3, hosts.slice(2, 3)],
      [`/${LS2.name}-route`, V2, hosts.slice(4, 6)],
    ];
    const cases = table.flatMap(([path, service, reaching]) =>
      hosts.map((h) =>
        reaching.includes(h)
          ? reaches(at(`${h}.com`, path), service, INFRA)
          : answers(at(`${h}.com`, path), 404),
      ),
    );
    await t.step('requests', () => t.http.expectAll(address, cases));
  },
};

const DUAL_GW = ref(INFRA, 'gateway-dual-parentref');
const DUAL_LS = ref(INFRA, 'ls-dual-parentref');

const dualParentRef: Scenario = {
  shortName: 'ListenerSetDualParentRefIndependence',
  description:
    "A route naming the Gateway and its set is accepted by both; a Gateway parentRef with a set listener's sectionName is NoMatchingParent while the set parentRef is accepted.",
  manifests: [
    gateway(DUAL_GW, [http('gw-dual-parentref-listener', { hostname: 'gw-dual.com' })], {
      spec: allowedListeners('Same'),
    }),
    listenerSet(DUAL_LS, DUAL_GW, [
      http('ls-dual-parentref-listener', { hostname: 'ls-dual.com' }),
    ]),
    routeTo(
      ref(INFRA, 'route-dual-parentref-both'),
      [gwParent(DUAL_GW), setParent(DUAL_LS)],
      '/dualboth',
      V1,
    ),
    routeTo(
      ref(INFRA, 'route-dual-parentref-one'),
      [
        gwParent(DUAL_GW, 'ls-dual-parentref-listener'),
        setParent(DUAL_LS, 'ls-dual-parentref-listener'),
      ],
      '/dualone',
      V2,
    ),
  ],
  async run(t) {
    const address = await t.step('address', () =>
      t.cluster.gatewayAddress(DUAL_GW, 'gw-dual-parentref-listener'),
    );
    await t.step('Gateway Accepted', () =>
      t.cluster.gatewayCondition(DUAL_GW, cond('Accepted', 'True')),
    );
    await t.step('1 attached ListenerSet', () => attachedListenerSets(t.cluster, DUAL_GW, 1));
    await t.step('set listener', () =>
      setListeners(t.cluster, DUAL_LS, [entry('ls-dual-parentref-listener', 2)]),
    );
    const both = ref(INFRA, 'route-dual-parentref-both');
    await t.step('both parents accepted', async () => {
      await t.cluster.routeCondition(both, DUAL_GW, cond('Accepted', 'True'));
      await t.cluster.routeCondition(both, DUAL_LS, cond('Accepted', 'True'));
    });
    await t.step('both: requests', () =>
      t.http.expectAll(address, [
        reaches(at('gw-dual.com', '/dualboth'), V1, INFRA),
        reaches(at('ls-dual.com', '/dualboth'), V1, INFRA),
      ]),
    );
    const one = ref(INFRA, 'route-dual-parentref-one');
    await t.step('one: Gateway parent NoMatchingParent', () =>
      t.cluster.routeCondition(one, DUAL_GW, cond('Accepted', 'False', 'NoMatchingParent')),
    );
    await t.step('one: set parent accepted', () => routesAndSetAccepted(t.cluster, DUAL_LS, [one]));
    await t.step('one: requests', () =>
      t.http.expectAll(address, [
        reaches(at('ls-dual.com', '/dualone'), V2, INFRA),
        answers(at('gw-dual.com', '/dualone'), 404),
      ]),
    );
  },
};

const SECTION_GW = ref(INFRA, 'gateway-section-name');
const SECTION_LS = ref(INFRA, 'listenerset-section-name');

const sectionNameNotFound: Scenario = {
  shortName: 'ListenerSetGatewayParentSectionNameNotFound',
  description:
    'A set listener is reachable by its sectionName through the set; naming it through the Gateway is NoMatchingParent and serves nothing.',
  manifests: [
    gateway(SECTION_GW, [http('gw-listener', { hostname: 'gw-section.com' })], {
      spec: allowedListeners('Same'),
    }),
    listenerSet(SECTION_LS, SECTION_GW, [
      http('ls-only-listener', { hostname: 'ls-section-name.com' }),
    ]),
    routeTo(
      ref(INFRA, 'route-via-listenerset'),
      [setParent(SECTION_LS, 'ls-only-listener')],
      '/goodsection',
      V1,
    ),
    routeTo(
      ref(INFRA, 'route-via-gateway'),
      [gwParent(SECTION_GW, 'ls-only-listener')],
      '/badsection',
      V2,
    ),
  ],
  async run(t) {
    const address = await t.step('address', () =>
      t.cluster.gatewayAddress(SECTION_GW, 'gw-listener'),
    );
    await t.step('Gateway Accepted', () =>
      t.cluster.gatewayCondition(SECTION_GW, cond('Accepted', 'True')),
    );
    await t.step('1 attached ListenerSet', () => attachedListenerSets(t.cluster, SECTION_GW, 1));
    await t.step('route via the set accepted', () =>
      routesAndSetAccepted(t.cluster, SECTION_LS, [ref(INFRA, 'route-via-listenerset')]),
    );
    await t.step('route via the Gateway NoMatchingParent', () =>
      t.cluster.routeCondition(
        ref(INFRA, 'route-via-gateway'),
        SECTION_GW,
        cond('Accepted', 'False', 'NoMatchingParent'),
      ),
    );
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches(at('ls-section-name.com', '/goodsection'), V1, INFRA),
        answers(at('gw-section.com', '/badsection'), 404),
      ]),
    );
  },
};

const SCOPED_GW = ref(INFRA, 'gateway-parentref');
const SCOPED_LS = ref(INFRA, 'listenerset-parentref');

const statusScoped: Scenario = {
  shortName: 'ListenerSetRouteStatusScopedToParentRef',
  description:
    'A route naming only the Gateway has one parent status (kind Gateway); one naming only the set has one of kind ListenerSet, and only it counts on the set listener.',
  manifests: [
    gateway(SCOPED_GW, [http('gw-parentref-listener', { hostname: 'gw-parentref.com' })], {
      spec: allowedListeners('Same'),
    }),
    listenerSet(SCOPED_LS, SCOPED_GW, [
      http('listenerset-parentref-listener', { hostname: 'listenerset-parentref.com' }),
    ]),
    routeTo(ref(INFRA, 'route-parentref-gwonly'), [gwParent(SCOPED_GW)], '/gwonly', V1),
    routeTo(ref(INFRA, 'route-parentref-lsonly'), [setParent(SCOPED_LS)], '/lsonly', V2),
  ],
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('Gateway Accepted', () =>
      t.cluster.gatewayCondition(SCOPED_GW, cond('Accepted', 'True')),
    );
    await t.step('1 attached ListenerSet', () => attachedListenerSets(t.cluster, SCOPED_GW, 1));
    await t.step('set listener', () =>
      setListeners(t.cluster, SCOPED_LS, [entry('listenerset-parentref-listener', 1)]),
    );
    const gwOnly = ref(INFRA, 'route-parentref-gwonly');
    await t.step('Gateway-only route', async () => {
      await t.cluster.routeCondition(gwOnly, SCOPED_GW, cond('Accepted', 'True'));
      await t.cluster.routeParents(gwOnly, [scopedParent('Gateway', SCOPED_GW)], true);
    });
    const lsOnly = ref(INFRA, 'route-parentref-lsonly');
    await t.step('ListenerSet-only route', async () => {
      await routesAndSetAccepted(t.cluster, SCOPED_LS, [lsOnly]);
      await t.cluster.routeParents(lsOnly, [scopedParent('ListenerSet', SCOPED_LS)], true);
    });
  },
};

function scopedParent(kind: string, of: Ref) {
  return {
    parentRef: { group: GATEWAY_GROUP, kind, ...of },
    controllerName: CONTROLLER_NAME,
    conditions: [{ type: 'Accepted', status: 'True' }],
  };
}

const ROUTES_GW = ref(INFRA, 'gateway-with-listener-sets-test-allowed-routes');
const ROUTES_LS = ref(INFRA, 'listenerset-test-allowed-routes-namespaces');
const ALLOWED_NS = 'gateway-api-routes-allowed-ns';
const NOT_ALLOWED_NS = 'gateway-api-routes-not-allowed-ns';
const CROSS_NS = 'gateway-api-ls-cross-ns';
const CROSS_LS = ref(CROSS_NS, 'listenerset-test-allowed-routes-cross-ns');
const PREFIX = 'listener-set-listener-allowed-routes';

const allowedRoutesNamespaces: Scenario = {
  shortName: 'ListenerSetAllowedRoutesNamespaces',
  description:
    "allowedRoutes of set listeners (All, Same, Selector) decide which routes attach; Same means the set's namespace, not the Gateway's.",
  manifests: [
    gateway(
      ROUTES_GW,
      [http('gateway-listener', { hostname: 'gateway-listener.com', from: 'All' })],
      {
        spec: allowedListeners('All'),
      },
    ),
    listenerSet(ROUTES_LS, ROUTES_GW, [
      http(`${PREFIX}-all`, { hostname: `${PREFIX}-all.com`, from: 'All' }),
      http(`${PREFIX}-same`, { hostname: `${PREFIX}-same.com`, from: 'Same' }),
      http(`${PREFIX}-selector`, {
        hostname: `${PREFIX}-selector.com`,
        from: 'Selector',
        selector: { allowed: 'ns' },
      }),
    ]),
    namespace(ALLOWED_NS, { allowed: 'ns' }),
    namespace(NOT_ALLOWED_NS),
    namespace(CROSS_NS),
    routeTo(
      ref(INFRA, 'route-in-same-namespace'),
      [setParent(ROUTES_LS)],
      '/route-in-same-namespace',
      V1,
    ),
    routeTo(
      ref(ALLOWED_NS, 'route-in-selected-namespace'),
      [setParent(ROUTES_LS)],
      '/route-in-selected-namespace',
      V2,
    ),
    routeTo(
      ref(NOT_ALLOWED_NS, 'route-not-in-selected-namespace'),
      [setParent(ROUTES_LS)],
      '/route-not-in-selected-namespace',
      V3,
    ),
    listenerSet(CROSS_LS, ROUTES_GW, [
      http(`${PREFIX}-cross-ns-same`, { hostname: `${PREFIX}-cross-ns-same.com`, from: 'Same' }),
    ]),
    routeTo(
      ref(CROSS_NS, 'route-in-listenerset-namespace'),
      [setParent(CROSS_LS)],
      '/route-in-listenerset-namespace',
      V1,
    ),
    routeTo(
      ref(INFRA, 'route-in-gateway-namespace'),
      [setParent(CROSS_LS)],
      '/route-in-gateway-namespace',
      V2,
    ),
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ReferenceGrant',
      metadata: {
        namespace: INFRA,
        name: 'listenerset-test-allowed-routes-namespaces-reference-grant',
      },
      spec: {
        from: [ALLOWED_NS, NOT_ALLOWED_NS, CROSS_NS].map((ns) => ({
          group: GATEWAY_GROUP,
          kind: 'HTTPRoute',
          namespace: ns,
        })),
        to: [{ group: '', kind: 'Service' }],
      },
    },
  ],
  async run(t) {
    const address = await t.step('address', () =>
      t.cluster.gatewayAddress(ROUTES_GW, 'gateway-listener'),
    );
    await t.step('Gateway Accepted', () =>
      t.cluster.gatewayCondition(ROUTES_GW, cond('Accepted', 'True')),
    );
    await t.step('2 attached ListenerSets', () => attachedListenerSets(t.cluster, ROUTES_GW, 2));
    await t.step('same-namespace set: routes', () =>
      routesAndSetAccepted(t.cluster, ROUTES_LS, [
        ref(INFRA, 'route-in-same-namespace'),
        ref(ALLOWED_NS, 'route-in-selected-namespace'),
        ref(NOT_ALLOWED_NS, 'route-not-in-selected-namespace'),
      ]),
    );
    await t.step('same-namespace set: listeners', () =>
      setListeners(t.cluster, ROUTES_LS, [
        entry(`${PREFIX}-all`, 3),
        entry(`${PREFIX}-same`, 1),
        entry(`${PREFIX}-selector`, 1),
      ]),
    );
    const host = (suffix: string): string => `${PREFIX}-${suffix}.com`;
    await t.step('same-namespace set: requests', () =>
      t.http.expectAll(address, [
        reaches(at(host('all'), '/route-in-same-namespace'), V1, INFRA),
        reaches(at(host('all'), '/route-in-selected-namespace'), V2, INFRA),
        reaches(at(host('all'), '/route-not-in-selected-namespace'), V3, INFRA),
        reaches(at(host('same'), '/route-in-same-namespace'), V1, INFRA),
        answers(at(host('same'), '/route-in-selected-namespace'), 404),
        answers(at(host('same'), '/route-not-in-selected-namespace'), 404),
        answers(at(host('selector'), '/route-in-same-namespace'), 404),
        reaches(at(host('selector'), '/route-in-selected-namespace'), V2, INFRA),
        answers(at(host('selector'), '/route-not-in-selected-namespace'), 404),
      ]),
    );
    await t.step('cross-namespace set: route of its namespace', () =>
      routesAndSetAccepted(t.cluster, CROSS_LS, [ref(CROSS_NS, 'route-in-listenerset-namespace')]),
    );
    await t.step('cross-namespace set: route of the Gateway namespace refused', () =>
      t.cluster.routeCondition(
        ref(INFRA, 'route-in-gateway-namespace'),
        CROSS_LS,
        cond('Accepted', 'False', 'NotAllowedByListeners'),
      ),
    );
    await t.step('cross-namespace set: listener', () =>
      setListeners(t.cluster, CROSS_LS, [entry(`${PREFIX}-cross-ns-same`, 1)]),
    );
    await t.step('cross-namespace set: requests', () =>
      t.http.expectAll(address, [
        reaches(at(host('cross-ns-same'), '/route-in-listenerset-namespace'), V1, INFRA),
        answers(at(host('cross-ns-same'), '/route-in-gateway-namespace'), 404),
      ]),
    );
  },
};

export const LISTENERSET_ROUTING_SCENARIOS: Scenario[] = [
  allowedRoutesNamespaces,
  dualParentRef,
  sectionNameNotFound,
  httpRouting,
  statusScoped,
];
