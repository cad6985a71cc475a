/**
 * ListenerSetAllowedRoutesNamespaces: `allowedRoutes` of set listeners (All, Same, Selector)
 * decide which routes attach, and `Same` means the set's namespace, not the Gateway's.
 */
import { gateway, GATEWAY_GROUP, http, INFRA, namespace, ref } from '../builders.ts';
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
import { entry, routeTo, V1, V2, V3 } from './listenerset-common.ts';

const ROUTES_GW = ref(INFRA, 'gateway-with-listener-sets-test-allowed-routes');
const ROUTES_LS = ref(INFRA, 'listenerset-test-allowed-routes-namespaces');
const ALLOWED_NS = 'gateway-api-routes-allowed-ns';
const NOT_ALLOWED_NS = 'gateway-api-routes-not-allowed-ns';
const CROSS_NS = 'gateway-api-ls-cross-ns';
const CROSS_LS = ref(CROSS_NS, 'listenerset-test-allowed-routes-cross-ns');
const PREFIX = 'listener-set-listener-allowed-routes';

export const allowedRoutesNamespaces: Scenario = {
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
