/**
 * The status-only GATEWAY-UDP tests: a backend that does not exist, a backend in another
 * namespace without a ReferenceGrant, and a UDPRoute naming a listener of another protocol.
 */
import { APP, gateway, INFRA, listener, ref } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { cond } from './expect.ts';
import {
  gatewayAndRoutesAccepted,
  simpleRoute,
  streamGateway,
  toSection,
} from './stream-common.ts';

const UDP = 'UDPRoute';

const invalidBackendNonexistent: Scenario = {
  shortName: 'UDPRouteInvalidBackendRefNonexistent',
  description: 'A backendRef to a Service that does not exist: ResolvedRefs False BackendNotFound.',
  manifests: [
    streamGateway(UDP, ref(INFRA, 'udp-gateway-invalid-backend'), [['udp', 5300]]),
    simpleRoute(
      UDP,
      ref(INFRA, 'udp-route-invalid-backend-ref-nonexistent'),
      [toSection('udp-gateway-invalid-backend', 'udp')],
      { name: 'nonexistent-service' },
    ),
  ],
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('ResolvedRefs False BackendNotFound', () =>
      t.cluster.routeCondition(
        ref(INFRA, 'udp-route-invalid-backend-ref-nonexistent'),
        ref(INFRA, 'udp-gateway-invalid-backend'),
        cond('ResolvedRefs', 'False', 'BackendNotFound'),
        UDP,
      ),
    );
  },
};

const invalidCrossNamespace: Scenario = {
  shortName: 'UDPRouteInvalidCrossNamespaceBackendRef',
  description:
    'A backendRef to another namespace without a ReferenceGrant: the route stays Accepted, ResolvedRefs False RefNotPermitted.',
  manifests: [
    streamGateway(UDP, ref(INFRA, 'udp-gateway-invalid-cross-namespace-backend-ref'), [
      ['udp', 5300],
    ]),
    simpleRoute(
      UDP,
      ref(INFRA, 'udp-route-invalid-cross-namespace-backend-ref'),
      [toSection('udp-gateway-invalid-cross-namespace-backend-ref', 'udp')],
      { name: 'udp-echo-no-reference-grant', namespace: APP },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udp-gateway-invalid-cross-namespace-backend-ref');
    const route = ref(INFRA, 'udp-route-invalid-cross-namespace-backend-ref');
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await gatewayAndRoutesAccepted(t, UDP, gw, [route]);
    await t.step('ResolvedRefs False RefNotPermitted', () =>
      t.cluster.routeCondition(route, gw, cond('ResolvedRefs', 'False', 'RefNotPermitted'), UDP),
    );
  },
};

/**
 * Upstream returns early (passes) when the implementation does not claim TLSRoute; Portico
 * serves TLS passthrough listeners, so the checks always run here.
 */
const notAllowedByListeners: Scenario = {
  shortName: 'UDPRouteNotAllowedByListeners',
  description:
    'A UDPRoute naming a TLS passthrough listener: Accepted False NotAllowedByListeners, no route attached.',
  manifests: [
    gateway(ref(INFRA, 'udproute-tls-only-gateway'), [
      listener({ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } }),
    ]),
    simpleRoute(
      UDP,
      ref(INFRA, 'udproute-not-allowed-by-listeners'),
      [toSection('udproute-tls-only-gateway', 'tls')],
      { name: 'coredns', port: 53 },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udproute-tls-only-gateway');
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('Accepted False NotAllowedByListeners', () =>
      t.cluster.routeCondition(
        ref(INFRA, 'udproute-not-allowed-by-listeners'),
        gw,
        cond('Accepted', 'False', 'NotAllowedByListeners'),
        UDP,
      ),
    );
    await t.step('zero routes attached', () => t.cluster.gatewayZeroRoutes(gw));
  },
};

export const UDPROUTE_STATUS_SCENARIOS: Scenario[] = [
  invalidBackendNonexistent,
  invalidCrossNamespace,
  notAllowedByListeners,
];
