/**
 * The GATEWAY-UDP tests (UDPRoute*): a datagram answered through a UDP listener, status of
 * invalid references and listeners, attachment by sectionName, port or to every listener,
 * several routes on one listener (the oldest gets the datagrams), ReferenceGrant, and weights,
 * with real datagrams (`node:dgram`) through the Gateway's data plane to local UDP echo pods.
 * The shapes, shared with the TCPRoute tests, are in stream-scenarios.ts and
 * stream-status-scenarios.ts.
 */
import { APP, INFRA, ref, service } from '../builders.ts';
import { withEchoPods } from '../echo-pods.ts';
import type { Scenario } from '../scenario.ts';
import { expectStreamBackend } from '../stream-expect.ts';
import {
  gatewayAndRoutesAccepted,
  simpleRoute,
  streamGateway,
  toSection,
} from './stream-common.ts';
import {
  attachAllListeners,
  multipleRoutesAttachment,
  portAndSectionName,
  referenceGrantScenario,
  UDP,
  weightedRouting,
} from './stream-scenarios.ts';
import {
  invalidBackendNonexistent,
  invalidCrossNamespace,
  notAllowedByListeners,
} from './stream-status-scenarios.ts';

/**
 * Upstream `UDPRoute` sends a DNS query for foo.bar.com through the Gateway to a CoreDNS
 * backend (Service `coredns`, port 53) and passes on any DNS answer. Its intent, a datagram
 * through a UDP listener reaching the route's backend and answered back, is reproduced with a
 * UDP echo pod behind the same Service name and port (no CoreDNS on this machine): the answer
 * must come from that pod and carry the datagram back.
 */
const simple: Scenario = {
  shortName: 'UDPRoute',
  description:
    'A datagram through a UDP listener reaches the route backend (coredns:53) and is answered.',
  manifests: [
    service(
      ref(INFRA, 'coredns'),
      [{ name: 'udp-dns', port: 53, targetPort: 53, protocol: 'UDP' }],
      { selector: { app: 'coredns' } },
    ),
    streamGateway(UDP.kind, ref(INFRA, 'udp-gateway'), [['coredns', 5300]]),
    simpleRoute(UDP.kind, ref(INFRA, 'udp-coredns'), [toSection('udp-gateway', 'coredns')], {
      name: 'coredns',
      port: 53,
    }),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udp-gateway');
    const pods = [{ namespace: INFRA, app: 'coredns', kind: 'udp' as const, portName: 'udp-dns' }];
    await withEchoPods(t, pods, async () => {
      const address = await gatewayAndRoutesAccepted(t, UDP.kind, gw, [ref(INFRA, 'udp-coredns')]);
      await t.step('datagram answered by the backend', () =>
        expectStreamBackend('udp', address, { namespace: INFRA, backend: 'coredns' }),
      );
    });
  },
};

export const UDPROUTE_SCENARIOS: Scenario[] = [
  simple,
  invalidBackendNonexistent(UDP, 5300),
  invalidCrossNamespace(UDP, {
    gateway: 'udp-gateway-invalid-cross-namespace-backend-ref',
    port: 5300,
    route: 'udp-route-invalid-cross-namespace-backend-ref',
    backend: ref(APP, 'udp-echo-no-reference-grant'),
    deployed: false,
  }),
  /**
   * Upstream returns early (passes) when the implementation does not claim TLSRoute; Portico
   * serves TLS passthrough listeners, so the checks always run here.
   */
  notAllowedByListeners(UDP, {
    shortName: 'UDPRouteNotAllowedByListeners',
    description:
      'A UDPRoute naming a TLS passthrough listener: Accepted False NotAllowedByListeners, no route attached.',
    gateway: 'udproute-tls-only-gateway',
    listener: { name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
    route: 'udproute-not-allowed-by-listeners',
    backend: { name: 'coredns', port: 53 },
  }),
  multipleRoutesAttachment(UDP, 5301, 20),
  attachAllListeners(UDP, {
    shortName: 'UDPRouteParentRefAttachAllListeners',
    gateway: 'udp-attach-all-listeners-gateway',
    listeners: [
      ['udp-1', 5310],
      ['udp-2', 5311],
      ['udp-3', 5312],
    ],
  }),
  portAndSectionName(UDP, ['by-port', 'by-section', 'by-section-and-port'], 5300),
  referenceGrantScenario(UDP, {
    backend: ref(APP, 'udp-echo-reference-grant'),
    grant: 'udp-reference-grant',
    gateway: 'udp-gateway-reference-grant',
    port: 5300,
    route: 'udp-route-reference-grant',
  }),
  weightedRouting(UDP, 5300),
];
