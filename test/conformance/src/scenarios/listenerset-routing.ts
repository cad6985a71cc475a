/**
 * ListenerSet scenarios with routes: routes reach set listeners only through a parentRef of
 * kind ListenerSet (a Gateway parentRef sees the Gateway's own listeners), and route status is
 * per parentRef. `allowedRoutes` of set listeners: listenerset-allowed-routes.ts.
 */
import { CONTROLLER_NAME, gateway, GATEWAY_GROUP, http, INFRA, ref } from '../builders.ts';
import type { Ref } from '../builders.ts';
import {
  allowedListeners,
  attachedListenerSets,
  listenerSet,
  routesAndSetAccepted,
  setListeners,
  setParent,
} from '../listenerset.ts';
import type { Scenario } from '../scenario.ts';
import { answers, at, cond, reaches } from './expect.ts';
import { allowedRoutesNamespaces } from './listenerset-allowed-routes.ts';
import { entry, gwParent, routeTo, V1, V2, V3 } from './listenerset-common.ts';

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

export const LISTENERSET_ROUTING_SCENARIOS: Scenario[] = [
  allowedRoutesNamespaces,
  dualParentRef,
  sectionNameNotFound,
  httpRouting,
  statusScoped,
];
