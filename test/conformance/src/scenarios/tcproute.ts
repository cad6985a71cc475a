/**
 * The GATEWAY-TCP tests (TCPRoute*): status of invalid references and listeners, attachment
 * by sectionName, port or to every listener, several routes on one listener (the oldest gets
 * the connections), ReferenceGrant, and weights, with real TCP connections (`node:net`)
 * through the Gateway's data plane to local TCP echo pods.
 */
import { RESOURCES } from '@portico/kube';
import {
  backend,
  gateway,
  INFRA,
  listener,
  parent,
  referenceGrant,
  ref,
  streamRoute,
  WEB,
} from '../builders.ts';
import { withEchoPods } from '../echo-pods.ts';
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

const TCP = 'TCPRoute';

const invalidBackendNonexistent: Scenario = {
  shortName: 'TCPRouteInvalidBackendRefNonexistent',
  description: 'A backendRef to a Service that does not exist: ResolvedRefs False BackendNotFound.',
  manifests: [
    streamGateway(TCP, ref(INFRA, 'tcp-gateway-invalid-backend'), [['tcp', 9300]]),
    simpleRoute(
      TCP,
      ref(INFRA, 'tcp-route-invalid-backend-ref-nonexistent'),
      [toSection('tcp-gateway-invalid-backend', 'tcp')],
      { name: 'nonexistent-service', port: 8080 },
    ),
  ],
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('ResolvedRefs False BackendNotFound', () =>
      t.cluster.routeCondition(
        ref(INFRA, 'tcp-route-invalid-backend-ref-nonexistent'),
        ref(INFRA, 'tcp-gateway-invalid-backend'),
        cond('ResolvedRefs', 'False', 'BackendNotFound'),
        TCP,
      ),
    );
  },
};

const invalidCrossNamespace: Scenario = {
  shortName: 'TCPRouteInvalidCrossNamespaceBackendRef',
  description:
    'A backendRef to another namespace without a ReferenceGrant: the route stays Accepted, ResolvedRefs False RefNotPermitted.',
  manifests: [
    echoService(TCP, ref(WEB, 'tcp-invalid-xns-backend')),
    streamGateway(TCP, ref(INFRA, 'tcp-invalid-cross-namespace-backend-ref-gateway'), [
      ['tcp', 9321],
    ]),
    simpleRoute(
      TCP,
      ref(INFRA, 'tcp-invalid-cross-namespace-backend-ref'),
      [toSection('tcp-invalid-cross-namespace-backend-ref-gateway', 'tcp')],
      { name: 'tcp-invalid-xns-backend', namespace: WEB },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'tcp-invalid-cross-namespace-backend-ref-gateway');
    const route = ref(INFRA, 'tcp-invalid-cross-namespace-backend-ref');
    await withEchoPods(t, echoPods(TCP, [ref(WEB, 'tcp-invalid-xns-backend')]), async () => {
      await t.step('namespaces ready', () => t.cluster.namespacesReady([INFRA, WEB]));
      await gatewayAndRoutesAccepted(t, TCP, gw, [route], ['tcp']);
      await t.step('ResolvedRefs False RefNotPermitted', () =>
        t.cluster.routeCondition(route, gw, cond('ResolvedRefs', 'False', 'RefNotPermitted'), TCP),
      );
    });
  },
};

const invalidNonTcpListener: Scenario = {
  shortName: 'TCPRouteInvalidNonTCPListener',
  description:
    'A TCPRoute naming an HTTP listener (which allows only HTTPRoute): Accepted False NotAllowedByListeners, no route attached.',
  manifests: [
    gateway(ref(INFRA, 'tcp-mixed-protocol-gateway'), [
      listener({
        name: 'only-allow-http-routes',
        protocol: 'HTTP',
        port: 5300,
        kinds: [{ kind: 'HTTPRoute' }],
      }),
    ]),
    simpleRoute(
      TCP,
      ref(INFRA, 'tcp-route'),
      [toSection('tcp-mixed-protocol-gateway', 'only-allow-http-routes')],
      { name: 'tcp-echo-backend', port: 8080 },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'tcp-mixed-protocol-gateway');
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('Accepted False NotAllowedByListeners', () =>
      t.cluster.routeCondition(
        ref(INFRA, 'tcp-route'),
        gw,
        cond('Accepted', 'False', 'NotAllowedByListeners'),
        TCP,
      ),
    );
    await t.step('zero routes attached', () => t.cluster.gatewayZeroRoutes(gw));
  },
};

const multipleRoutesAttachment: Scenario = {
  shortName: 'TCPRouteMultipleRoutesAttachment',
  description:
    'Two TCPRoutes on one listener: both Accepted, attachedRoutes 2, and only the older one gets connections (100 sampled).',
  manifests: [
    echoService(TCP, ref(INFRA, 'tcp-attach-backend-1')),
    echoService(TCP, ref(INFRA, 'tcp-attach-backend-2')),
    streamGateway(TCP, ref(INFRA, 'tcp-multi-route-attach-gateway'), [['tcp', 9310]]),
    simpleRoute(
      TCP,
      ref(INFRA, 'tcproute-attach-older'),
      [toSection('tcp-multi-route-attach-gateway', 'tcp')],
      { name: 'tcp-attach-backend-1' },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'tcp-multi-route-attach-gateway');
    const older = ref(INFRA, 'tcproute-attach-older');
    const newer = ref(INFRA, 'tcproute-attach-newer');
    const newerRoute = simpleRoute(TCP, newer, [toSection(gw.name, 'tcp')], {
      name: 'tcp-attach-backend-2',
    });
    const backends = [ref(INFRA, 'tcp-attach-backend-1'), ref(INFRA, 'tcp-attach-backend-2')];
    await withEchoPods(t, echoPods(TCP, backends), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      const address = await gatewayAndRoutesAccepted(t, TCP, gw, [older], ['tcp']);
      // creationTimestamp has second precision: the newer route must be strictly newer.
      await new Promise((r) => setTimeout(r, 1100));
      try {
        await t.step('apply the newer route', () => t.cluster.apply([newerRoute]));
        const accepted = cond('Accepted', 'True', 'Accepted');
        await t.step('both routes Accepted', async () => {
          await t.cluster.routeCondition(older, gw, accepted, TCP);
          await t.cluster.routeCondition(newer, gw, accepted, TCP);
        });
        await t.step('listener has 2 attached routes', () =>
          t.cluster.gatewayListeners(gw, [
            listenerStatus('tcp', 2, [cond('Accepted', 'True', 'Accepted')], [TCP]),
          ]),
        );
        const expected = { namespace: INFRA, backend: 'tcp-attach-backend-1' };
        await t.step('traffic reaches the older route', () =>
          expectStreamBackend('tcp', address, expected),
        );
        await t.step('only the older route, 100 connections', () =>
          expectOnlyBackend('tcp', address, expected, 100),
        );
      } finally {
        await t.cluster.remove([newerRoute]).catch(() => undefined);
      }
    });
  },
};

const attachAll: Scenario = {
  shortName: 'TCPRouteParentRefAttachAll',
  description:
    'A parentRef without sectionName or port attaches to all four TCP listeners; each one reaches the backend.',
  manifests: [
    echoService(TCP, ref(INFRA, 'tcp-echo-attach-all')),
    streamGateway(TCP, ref(INFRA, 'tcp-attach-all-gateway'), [
      ['one', 9310],
      ['two', 9311],
      ['three', 9312],
      ['four', 9313],
    ]),
    simpleRoute(TCP, ref(INFRA, 'tcp-route-attach-all'), [parent('tcp-attach-all-gateway')], {
      name: 'tcp-echo-attach-all',
    }),
  ],
  async run(t) {
    const gw = ref(INFRA, 'tcp-attach-all-gateway');
    const route = ref(INFRA, 'tcp-route-attach-all');
    await withEchoPods(t, echoPods(TCP, [ref(INFRA, 'tcp-echo-attach-all')]), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      await t.step('route Accepted', () =>
        t.cluster.routeParents(route, [anyListenerParent(gw)], false, TCP),
      );
      for (const name of ['one', 'two', 'three', 'four']) {
        await t.step(`listener ${name}`, async () => {
          const address = await t.cluster.gatewayAddress(gw, name);
          await expectStreamBackend('tcp', address, {
            namespace: INFRA,
            backend: 'tcp-echo-attach-all',
          });
        });
      }
    });
  },
};

const portAndSectionName: Scenario = {
  shortName: 'TCPRouteParentRefPortAndSectionName',
  description:
    'Three routes attach by port, by sectionName and by both; each listener reaches its own backend.',
  manifests: [
    ...['one', 'two', 'three'].map((n) => echoService(TCP, ref(INFRA, `tcp-echo-${n}`))),
    streamGateway(TCP, ref(INFRA, 'tcp-multi-listener-gateway'), [
      ['one', 9300],
      ['two', 9301],
      ['three', 9302],
    ]),
    simpleRoute(
      TCP,
      ref(INFRA, 'tcp-route-by-port'),
      [parent('tcp-multi-listener-gateway', { port: 9300 })],
      { name: 'tcp-echo-one' },
    ),
    simpleRoute(
      TCP,
      ref(INFRA, 'tcp-route-by-section'),
      [toSection('tcp-multi-listener-gateway', 'two')],
      { name: 'tcp-echo-two' },
    ),
    simpleRoute(
      TCP,
      ref(INFRA, 'tcp-route-by-section-and-port'),
      [parent('tcp-multi-listener-gateway', { sectionName: 'three', port: 9302 })],
      { name: 'tcp-echo-three' },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'tcp-multi-listener-gateway');
    const backends = ['one', 'two', 'three'].map((n) => ref(INFRA, `tcp-echo-${n}`));
    await withEchoPods(t, echoPods(TCP, backends), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      const cases: Array<[route: string, listener: string, backend: string]> = [
        ['tcp-route-by-port', 'one', 'tcp-echo-one'],
        ['tcp-route-by-section', 'two', 'tcp-echo-two'],
        ['tcp-route-by-section-and-port', 'three', 'tcp-echo-three'],
      ];
      for (const [route, listenerName, backend] of cases) {
        await t.step(route, async () => {
          await t.cluster.routeParents(ref(INFRA, route), [anyListenerParent(gw)], false, TCP);
          const address = await t.cluster.gatewayAddress(gw, listenerName);
          await expectStreamBackend('tcp', address, { namespace: INFRA, backend });
        });
      }
    });
  },
};

const referenceGrantScenario: Scenario = {
  shortName: 'TCPRouteReferenceGrant',
  description:
    'A backend in another namespace, allowed by a ReferenceGrant, gets the connections; deleting the grant turns ResolvedRefs False RefNotPermitted.',
  manifests: [
    echoService(TCP, ref(WEB, 'tcp-reference-grant-backend')),
    referenceGrant(
      ref(WEB, 'tcp-reference-grant'),
      { kind: TCP, namespace: INFRA },
      { kind: 'Service', name: 'tcp-reference-grant-backend' },
    ),
    streamGateway(TCP, ref(INFRA, 'tcp-reference-grant-gateway'), [['tcp', 9320]]),
    simpleRoute(
      TCP,
      ref(INFRA, 'tcp-reference-grant'),
      [toSection('tcp-reference-grant-gateway', 'tcp')],
      { name: 'tcp-reference-grant-backend', namespace: WEB },
    ),
  ],
  async run(t) {
    const gw = ref(INFRA, 'tcp-reference-grant-gateway');
    const route = ref(INFRA, 'tcp-reference-grant');
    await withEchoPods(t, echoPods(TCP, [ref(WEB, 'tcp-reference-grant-backend')]), async () => {
      await t.step('namespaces ready', () => t.cluster.namespacesReady([INFRA, WEB]));
      const address = await gatewayAndRoutesAccepted(t, TCP, gw, [route], ['tcp']);
      await t.step('traffic reaches the cross-namespace backend', () =>
        expectStreamBackend('tcp', address, {
          namespace: WEB,
          backend: 'tcp-reference-grant-backend',
        }),
      );
      await t.step('delete the ReferenceGrant', () =>
        t.cluster.delete(RESOURCES.ReferenceGrant, ref(WEB, 'tcp-reference-grant')),
      );
      await t.step('ResolvedRefs False RefNotPermitted', () =>
        t.cluster.routeCondition(route, gw, cond('ResolvedRefs', 'False', 'RefNotPermitted'), TCP),
      );
    });
  },
};

const weightedRouting: Scenario = {
  shortName: 'TCPRouteWeightedRouting',
  description:
    'Backends weighted 70/30/0: 500 connections split within ±5 %, none to the weight-0 backend.',
  manifests: [
    ...['v1', 'v2', 'v3'].map((v) => echoService(TCP, ref(INFRA, `tcp-backend-${v}`))),
    streamGateway(TCP, ref(INFRA, 'tcp-weighted-gateway'), [['tcp', 9300]]),
    streamRoute(TCP, ref(INFRA, 'tcp-weighted-route'), {
      parents: [toSection('tcp-weighted-gateway', 'tcp')],
      rules: [
        {
          backends: [
            backend('tcp-backend-v1', 3000, { weight: 70 }),
            backend('tcp-backend-v2', 3000, { weight: 30 }),
            backend('tcp-backend-v3', 3000, { weight: 0 }),
          ],
        },
      ],
    }),
  ],
  async run(t) {
    const gw = ref(INFRA, 'tcp-weighted-gateway');
    const backends = ['v1', 'v2', 'v3'].map((v) => ref(INFRA, `tcp-backend-${v}`));
    await withEchoPods(t, echoPods(TCP, backends), async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      const address = await gatewayAndRoutesAccepted(
        t,
        TCP,
        gw,
        [ref(INFRA, 'tcp-weighted-route')],
        ['tcp'],
      );
      await t.step('address answers', () =>
        expectStreamBackend('tcp', address, { namespace: INFRA, backend: 'tcp-backend' }),
      );
      await t.step('weighted distribution', () =>
        expectWeightedDistribution(async () => (await sendStreamProbe('tcp', address)).pod, {
          'tcp-backend-v1': 0.7,
          'tcp-backend-v2': 0.3,
          'tcp-backend-v3': 0,
        }),
      );
    });
  },
};

export const TCPROUTE_SCENARIOS: Scenario[] = [
  invalidBackendNonexistent,
  invalidCrossNamespace,
  invalidNonTcpListener,
  multipleRoutesAttachment,
  attachAll,
  portAndSectionName,
  referenceGrantScenario,
  weightedRouting,
];
