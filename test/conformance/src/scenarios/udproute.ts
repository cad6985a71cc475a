/**
 * The GATEWAY-UDP tests (UDPRoute*; the status-only ones are in udproute-status.ts): attachment
 * by sectionName, port or to every listener, several routes on one listener (the oldest gets
 * the datagrams), ReferenceGrant, and weights, with real datagrams (`node:dgram`) through the
 * Gateway's data plane to local UDP echo pods.
 */
import { RESOURCES } from '@portico/kube';
import {
  APP,
  backend,
  INFRA,
  parent,
  referenceGrant,
  ref,
  service,
  streamRoute,
} from '../builders.ts';
import { withEchoPods } from '../echo-pods.ts';
import { UDPROUTE_STATUS_SCENARIOS } from './udproute-status.ts';
import type { Scenario } from '../scenario.ts';
import { expectOnlyBackend, expectStreamBackend, sendStreamProbe } from '../stream-expect.ts';
import { expectWeightedDistribution } from '../weights.ts';
import { cond, listenerStatus } from './expect.ts';
import {
  anyListenerParent,
  echoPods,
  echoService,
  gatewayAndRoutesAccepted,
  simpleRoute,
  streamGateway,
  toSection,
} from './stream-common.ts';

const UDP = 'UDPRoute';

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
      {
        selector: { app: 'coredns' },
      },
    ),
    streamGateway(UDP, ref(INFRA, 'udp-gateway'), [['coredns', 5300]]),
    simpleRoute(UDP, ref(INFRA, 'udp-coredns'), [toSection('udp-gateway', 'coredns')], {
      name: 'coredns',
      port: 53,
    }),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udp-gateway');
    const pods = [{ namespace: INFRA, app: 'coredns', kind: 'udp' as const, portName: 'udp-dns' }];
    await withEchoPods(t, pods, async () => {
      const address = await gatewayAndRoutesAccepted(t, UDP, gw, [ref(INFRA, 'udp-coredns')]);
      await t.step('datagram answered by the backend', () =>
        expectStreamBackend('udp', address, { namespace: INFRA, backend: 'coredns' }),
      );
    });
  },
};

const multipleRoutesAttachment: Scenario = {
  shortName: 'UDPRouteMultipleRoutesAttachment',
  description:
    'Two UDPRoutes on one listener: both Accepted, attachedRoutes 2, and only the older one gets datagrams.',
  manifests: [
    echoService(UDP, ref(INFRA, 'udp-attach-backend-1')),
    echoService(UDP, ref(INFRA, 'udp-attach-backend-2')),
    streamGateway(UDP, ref(INFRA, 'udp-multi-route-attach-gateway'), [['udp', 5301]]),
    simpleRoute(
      UDP,
      ref(INFRA, 'udproute-attach-older'),
      [toSection('udp-multi-route-attach-gateway', 'udp')],
      { name: 'udp-attach-backend-1' },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udp-multi-route-attach-gateway');
    const older = ref(INFRA, 'udproute-attach-older');
    const newer = ref(INFRA, 'udproute-attach-newer');
    const newerRoute = simpleRoute(UDP, newer, [toSection(gw.name, 'udp')], {
      name: 'udp-attach-backend-2',
    });
    const backends = [ref(INFRA, 'udp-attach-backend-1'), ref(INFRA, 'udp-attach-backend-2')];
    await withEchoPods(t, echoPods(UDP, backends), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      const address = await gatewayAndRoutesAccepted(t, UDP, gw, [older], ['udp']);
      // creationTimestamp has second precision: the newer route must be strictly newer.
      await new Promise((r) => setTimeout(r, 1100));
      try {
        await t.step('apply the newer route', () => t.cluster.apply([newerRoute]));
        const accepted = cond('Accepted', 'True', 'Accepted');
        await t.step('both routes Accepted', async () => {
          await t.cluster.routeCondition(older, gw, accepted, UDP);
          await t.cluster.routeCondition(newer, gw, accepted, UDP);
        });
        await t.step('listener has 2 attached routes', () =>
          t.cluster.gatewayListeners(gw, [
            listenerStatus('udp', 2, [cond('Accepted', 'True', 'Accepted')], [UDP]),
          ]),
        );
        const expected = { namespace: INFRA, backend: 'udp-attach-backend-1' };
        await t.step('traffic reaches the older route', () =>
          expectStreamBackend('udp', address, expected),
        );
        await t.step('only the older route, 20 datagrams', () =>
          expectOnlyBackend('udp', address, expected, 20),
        );
      } finally {
        await t.cluster.remove([newerRoute]).catch(() => undefined);
      }
    });
  },
};

const attachAllListeners: Scenario = {
  shortName: 'UDPRouteParentRefAttachAllListeners',
  description:
    'A parentRef without sectionName or port attaches to all three UDP listeners (1 route each); each reaches the backend.',
  manifests: [
    echoService(UDP, ref(INFRA, 'udp-echo-attach-all')),
    streamGateway(UDP, ref(INFRA, 'udp-attach-all-listeners-gateway'), [
      ['udp-1', 5310],
      ['udp-2', 5311],
      ['udp-3', 5312],
    ]),
    simpleRoute(
      UDP,
      ref(INFRA, 'udp-route-attach-all'),
      [parent('udp-attach-all-listeners-gateway')],
      { name: 'udp-echo-attach-all' },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udp-attach-all-listeners-gateway');
    const names = ['udp-1', 'udp-2', 'udp-3'];
    await withEchoPods(t, echoPods(UDP, [ref(INFRA, 'udp-echo-attach-all')]), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      await t.step('route Accepted', () =>
        t.cluster.routeParents(
          ref(INFRA, 'udp-route-attach-all'),
          [anyListenerParent(gw)],
          false,
          UDP,
        ),
      );
      const ready = [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')];
      await t.step('every listener has the route', () =>
        t.cluster.gatewayListeners(
          gw,
          names.map((n) => listenerStatus(n, 1, ready, [UDP])),
        ),
      );
      for (const name of names) {
        await t.step(`listener ${name}`, async () => {
          const address = await t.cluster.gatewayAddress(gw, name);
          await expectStreamBackend('udp', address, {
            namespace: INFRA,
            backend: 'udp-echo-attach-all',
          });
        });
      }
    });
  },
};

const portAndSectionName: Scenario = {
  shortName: 'UDPRouteParentRefPortAndSectionName',
  description:
    'Three routes attach by port, by sectionName and by both; each listener reaches its own backend.',
  manifests: [
    ...['by-port', 'by-section', 'by-section-and-port'].map((n) =>
      echoService(UDP, ref(INFRA, `udp-echo-${n}`)),
    ),
    streamGateway(UDP, ref(INFRA, 'udp-multi-listener-gateway'), [
      ['by-port', 5300],
      ['by-section', 5301],
      ['by-section-and-port', 5302],
    ]),
    simpleRoute(
      UDP,
      ref(INFRA, 'udp-route-by-port'),
      [parent('udp-multi-listener-gateway', { port: 5300 })],
      { name: 'udp-echo-by-port' },
    ),
    simpleRoute(
      UDP,
      ref(INFRA, 'udp-route-by-section'),
      [toSection('udp-multi-listener-gateway', 'by-section')],
      { name: 'udp-echo-by-section' },
    ),
    simpleRoute(
      UDP,
      ref(INFRA, 'udp-route-by-section-and-port'),
      [parent('udp-multi-listener-gateway', { sectionName: 'by-section-and-port', port: 5302 })],
      { name: 'udp-echo-by-section-and-port' },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udp-multi-listener-gateway');
    const names = ['by-port', 'by-section', 'by-section-and-port'];
    const backends = names.map((n) => ref(INFRA, `udp-echo-${n}`));
    await withEchoPods(t, echoPods(UDP, backends), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      for (const name of names) {
        await t.step(`udp-route-${name}`, async () => {
          const route = ref(INFRA, `udp-route-${name}`);
          await t.cluster.routeParents(route, [anyListenerParent(gw)], false, UDP);
          const address = await t.cluster.gatewayAddress(gw, name);
          await expectStreamBackend('udp', address, {
            namespace: INFRA,
            backend: `udp-echo-${name}`,
          });
        });
      }
    });
  },
};

const referenceGrantScenario: Scenario = {
  shortName: 'UDPRouteReferenceGrant',
  description:
    'A backend in another namespace, allowed by a ReferenceGrant: ResolvedRefs True and datagrams answered; deleting the grant turns ResolvedRefs False RefNotPermitted.',
  manifests: [
    echoService(UDP, ref(APP, 'udp-echo-reference-grant')),
    referenceGrant(
      ref(APP, 'udp-reference-grant'),
      { kind: UDP, namespace: INFRA },
      { kind: 'Service', name: 'udp-echo-reference-grant' },
    ),
    streamGateway(UDP, ref(INFRA, 'udp-gateway-reference-grant'), [['udp', 5300]]),
    simpleRoute(
      UDP,
      ref(INFRA, 'udp-route-reference-grant'),
      [toSection('udp-gateway-reference-grant', 'udp')],
      { name: 'udp-echo-reference-grant', namespace: APP },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udp-gateway-reference-grant');
    const route = ref(INFRA, 'udp-route-reference-grant');
    await withEchoPods(t, echoPods(UDP, [ref(APP, 'udp-echo-reference-grant')]), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      const address = await gatewayAndRoutesAccepted(t, UDP, gw, [route]);
      await t.step('ResolvedRefs True', () =>
        t.cluster.routeCondition(route, gw, cond('ResolvedRefs', 'True', 'ResolvedRefs'), UDP),
      );
      // Upstream only asks for an answer here; the answering pod is checked as well.
      await t.step('datagram answered by the cross-namespace backend', () =>
        expectStreamBackend('udp', address, {
          namespace: APP,
          backend: 'udp-echo-reference-grant',
        }),
      );
      await t.step('delete the ReferenceGrant', () =>
        t.cluster.delete(RESOURCES.ReferenceGrant, ref(APP, 'udp-reference-grant')),
      );
      await t.step('ResolvedRefs False RefNotPermitted', () =>
        t.cluster.routeCondition(route, gw, cond('ResolvedRefs', 'False', 'RefNotPermitted'), UDP),
      );
    });
  },
};

const weightedRouting: Scenario = {
  shortName: 'UDPRouteWeightedRouting',
  description:
    'Backends weighted 70/30/0: 500 datagrams (one socket each) split within ±5 %, none to the weight-0 backend.',
  manifests: [
    ...['v1', 'v2', 'v3'].map((v) => echoService(UDP, ref(INFRA, `udp-backend-${v}`))),
    streamGateway(UDP, ref(INFRA, 'udp-weighted-gateway'), [['udp', 5300]]),
    streamRoute(UDP, ref(INFRA, 'udp-weighted-route'), {
      parents: [toSection('udp-weighted-gateway', 'udp')],
      rules: [
        {
          backends: [
            backend('udp-backend-v1', 8080, { weight: 70 }),
            backend('udp-backend-v2', 8080, { weight: 30 }),
            backend('udp-backend-v3', 8080, { weight: 0 }),
          ],
        },
      ],
    }),
  ],
  async run(t) {
    const gw = ref(INFRA, 'udp-weighted-gateway');
    const backends = ['v1', 'v2', 'v3'].map((v) => ref(INFRA, `udp-backend-${v}`));
    await withEchoPods(t, echoPods(UDP, backends), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      const route = ref(INFRA, 'udp-weighted-route');
      const address = await gatewayAndRoutesAccepted(t, UDP, gw, [route], ['udp']);
      await t.step('address answers', () =>
        expectStreamBackend('udp', address, { namespace: INFRA, backend: 'udp-backend' }),
      );
      await t.step('weighted distribution', () =>
        expectWeightedDistribution(async () => (await sendStreamProbe('udp', address)).pod, {
          'udp-backend-v1': 0.7,
          'udp-backend-v2': 0.3,
          'udp-backend-v3': 0,
        }),
      );
    });
  },
};

export const UDPROUTE_SCENARIOS: Scenario[] = [
  simple,
  ...UDPROUTE_STATUS_SCENARIOS,
  multipleRoutesAttachment,
  attachAllListeners,
  portAndSectionName,
  referenceGrantScenario,
  weightedRouting,
];
