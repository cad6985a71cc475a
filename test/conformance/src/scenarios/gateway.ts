/** Scenarios about Gateways and GatewayClasses themselves: listener validity, generations, attachment. */
import { RESOURCES } from '@portico/kube';
import {
  backend,
  gateway,
  gatewayClass,
  http,
  httpRoute,
  INFRA,
  listener,
  parent,
  ref,
  rule,
  SKIP_READINESS,
  terminate,
} from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { cond, listenerStatus } from './expect.ts';

const inInfra = {
  selector: { 'kubernetes.io/metadata.name': INFRA },
  from: 'Selector' as const,
  kinds: [{ kind: 'HTTPRoute' }],
};
const toV1 = [rule({ backends: [backend('infra-backend-v1', 8080)] })];
const gwParent = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  parent(name, { kind: 'Gateway', namespace: INFRA, ...extra });

const listenerUnsupportedProtocol: Scenario = {
  shortName: 'GatewayListenerUnsupportedProtocol',
  description:
    'A listener with an unknown protocol is Accepted False UnsupportedProtocol; the Gateway is Accepted only if another listener is.',
  manifests: [
    gateway(
      ref(INFRA, 'gateway-only-unsupported-protocols'),
      [listener({ name: 'invalid', port: 1111, protocol: 'INVALID' })],
      {
        annotations: SKIP_READINESS,
      },
    ),
    gateway(ref(INFRA, 'gateway-supported-and-unsupported-protocols'), [
      http('http'),
      listener({ name: 'invalid', port: 1111, protocol: 'INVALID' }),
    ]),
  ],
  async run(t) {
    const invalid = listenerStatus(
      'invalid',
      0,
      [cond('Accepted', 'False', 'UnsupportedProtocol')],
      [],
    );
    await t.step('only unsupported', async () => {
      const gw = ref(INFRA, 'gateway-only-unsupported-protocols');
      await t.cluster.gatewayLatestConditions(gw);
      await t.cluster.gatewayCondition(gw, cond('Accepted', 'False', 'ListenersNotValid'));
      await t.cluster.gatewayListeners(gw, [invalid]);
    });
    await t.step('supported and unsupported', async () => {
      const gw = ref(INFRA, 'gateway-supported-and-unsupported-protocols');
      await t.cluster.gatewayLatestConditions(gw);
      await t.cluster.gatewayCondition(gw, cond('Accepted', 'True', 'ListenersNotValid'));
      await t.cluster.gatewayListeners(gw, [
        listenerStatus('http', 0, [cond('Accepted', 'True', 'Accepted')]),
        invalid,
      ]);
    });
  },
};

const invalidParametersRef: Scenario = {
  shortName: 'GatewayInvalidParametersRef',
  description:
    'infrastructure.parametersRef to a kind that does not exist: Accepted False InvalidParameters.',
  manifests: [
    gateway(ref(INFRA, 'gateway-invalid-parameters-ref'), [http('http')], {
      annotations: SKIP_READINESS,
      spec: {
        infrastructure: {
          parametersRef: { group: 'invalid.io', kind: 'InvalidParameters', name: 'invalid' },
        },
      },
    }),
  ],
  async run(t) {
    const gw = ref(INFRA, 'gateway-invalid-parameters-ref');
    await t.step('latest conditions', () => t.cluster.gatewayLatestConditions(gw));
    await t.step('Accepted False/InvalidParameters', () =>
      t.cluster.gatewayCondition(gw, cond('Accepted', 'False', 'InvalidParameters')),
    );
  },
};

const invalidRouteKind: Scenario = {
  shortName: 'GatewayInvalidRouteKind',
  description:
    'allowedRoutes.kinds with an unknown kind: ResolvedRefs False InvalidRouteKinds; supportedKinds keeps only the valid ones.',
  manifests: [
    gateway(
      ref(INFRA, 'gateway-only-invalid-route-kind'),
      [http('http', { from: 'All', kinds: [{ kind: 'InvalidRoute' }] })],
      {
        annotations: SKIP_READINESS,
      },
    ),
    gateway(
      ref(INFRA, 'gateway-supported-and-invalid-route-kind'),
      [http('http', { from: 'All', kinds: [{ kind: 'InvalidRoute' }, { kind: 'HTTPRoute' }] })],
      { annotations: SKIP_READINESS },
    ),
  ],
  async run(t) {
    const invalidKinds = [cond('ResolvedRefs', 'False', 'InvalidRouteKinds')];
    await t.step('only an invalid kind', () =>
      t.cluster.gatewayListeners(ref(INFRA, 'gateway-only-invalid-route-kind'), [
        listenerStatus('http', 0, invalidKinds, []),
      ]),
    );
    await t.step('a valid and an invalid kind', () =>
      t.cluster.gatewayListeners(ref(INFRA, 'gateway-supported-and-invalid-route-kind'), [
        listenerStatus('http', 0, invalidKinds),
      ]),
    );
  },
};

const observedGenerationBump: Scenario = {
  shortName: 'GatewayObservedGenerationBump',
  description: 'Adding a listener moves the generation; every condition then carries it.',
  manifests: [
    gateway(ref(INFRA, 'gateway-observed-generation-bump'), [
      http('http', { hostname: 'bar.com', from: 'All' }),
    ]),
  ],
  async run(t) {
    const gw = ref(INFRA, 'gateway-observed-generation-bump');
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('latest conditions before', () => t.cluster.gatewayLatestConditions(gw));
    const original = await t.cluster.get(RESOURCES.Gateway, gw);
    const listeners = (original.spec as { listeners: unknown[] }).listeners;
    await t.cluster.mergePatch(RESOURCES.Gateway, gw, {
      spec: { listeners: [...listeners, http('alternate', { hostname: 'foo.com', from: 'All' })] },
    });
    await t.step('namespace ready after', () => t.cluster.namespacesReady([INFRA]));
    await t.step('latest conditions after', () => t.cluster.gatewayLatestConditions(gw));
    const updated = await t.cluster.get(RESOURCES.Gateway, gw);
    if (updated.metadata.generation === original.metadata.generation)
      throw new Error('generation did not change after a spec update');
  },
};

const classObservedGenerationBump: Scenario = {
  shortName: 'GatewayClassObservedGenerationBump',
  description:
    'Changing a GatewayClass description moves its generation; Accepted then carries it.',
  manifests: [gatewayClass('gatewayclass-observed-generation-bump', { description: 'old' })],
  async run(t) {
    const name = 'gatewayclass-observed-generation-bump';
    await t.step('Accepted (any)', () => t.cluster.classAccepted(name));
    const original = await t.cluster.get(RESOURCES.GatewayClass, { name });
    await t.step('latest conditions before', () => t.cluster.classLatestConditions(name));
    await t.cluster.mergePatch(RESOURCES.GatewayClass, { name }, { spec: { description: 'new' } });
    await t.step('Accepted (any) after', () => t.cluster.classAccepted(name));
    await t.step('latest conditions after', () => t.cluster.classLatestConditions(name));
    const updated = await t.cluster.get(RESOURCES.GatewayClass, { name });
    if (updated.metadata.generation === original.metadata.generation)
      throw new Error('generation did not change after a spec update');
  },
};

const withAttachedRoutes: Scenario = {
  shortName: 'GatewayWithAttachedRoutes',
  description:
    'attachedRoutes counts accepted routes (1, then 2 with a third refused on hostname), also on a listener with unresolved refs.',
  manifests: [
    gateway(ref(INFRA, 'gateway-with-one-attached-route'), [http('http', inInfra)]),
    httpRoute(ref(INFRA, 'http-route-1'), {
      parents: [gwParent('gateway-with-one-attached-route')],
      rules: toV1,
    }),
    gateway(ref(INFRA, 'gateway-with-two-attached-routes'), [
      http('http', { ...inInfra, hostname: 'foo.example.com' }),
    ]),
    httpRoute(ref(INFRA, 'http-route-2'), {
      parents: [gwParent('gateway-with-two-attached-routes')],
      rules: toV1,
    }),
    httpRoute(ref(INFRA, 'http-route-3'), {
      parents: [gwParent('gateway-with-two-attached-routes')],
      rules: toV1,
    }),
    httpRoute(ref(INFRA, 'http-route-not-accepted'), {
      parents: [gwParent('gateway-with-two-attached-routes')],
      hostnames: ['not-accepted.test.com'],
      rules: toV1,
    }),
    gateway(
      ref(INFRA, 'unresolved-gateway-with-one-attached-unresolved-route'),
      [
        listener({
          name: 'tls',
          port: 443,
          protocol: 'HTTPS',
          ...inInfra,
          tls: terminate('does-not-exist'),
        }),
      ],
      { annotations: SKIP_READINESS },
    ),
    httpRoute(ref(INFRA, 'http-route-4'), {
      parents: [
        gwParent('unresolved-gateway-with-one-attached-unresolved-route', { sectionName: 'tls' }),
      ],
      rules: [rule({ backends: [backend('does-not-exist', 8080)] })],
    }),
  ],
  async run(t) {
    const ok = [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')];
    await t.step('one route', () =>
      t.cluster.gatewayListeners(ref(INFRA, 'gateway-with-one-attached-route'), [
        listenerStatus('http', 1, ok),
      ]),
    );
    await t.step('two routes', async () => {
      const gw = ref(INFRA, 'gateway-with-two-attached-routes');
      await t.cluster.gatewayListeners(gw, [listenerStatus('http', 2, ok)]);
      await t.cluster.routeCondition(
        ref(INFRA, 'http-route-not-accepted'),
        gw,
        cond('Accepted', 'False', 'NoMatchingListenerHostname'),
      );
    });
    await t.step('unresolved listener', async () => {
      const gw = ref(INFRA, 'unresolved-gateway-with-one-attached-unresolved-route');
      await t.cluster.gatewayListeners(gw, [
        listenerStatus('tls', 1, [cond('Programmed', 'False'), cond('ResolvedRefs', 'False')]),
      ]);
      await t.cluster.routeCondition(ref(INFRA, 'http-route-4'), gw, cond('ResolvedRefs', 'False'));
    });
  },
};

const secureListener = (): Record<string, unknown> =>
  listener({
    name: 'https',
    port: 443,
    protocol: 'HTTPS',
    hostname: 'secure.test.com',
    from: 'All',
    tls: terminate(`${INFRA}/tls-validity-checks-certificate`),
  });

const modifyListeners: Scenario = {
  shortName: 'GatewayModifyListeners',
  description:
    'Adding a listener attaches the route to it too; removing one leaves the other serving.',
  manifests: [
    gateway(ref(INFRA, 'gateway-add-listener'), [secureListener()]),
    httpRoute(ref(INFRA, 'http-route-1'), {
      parents: [gwParent('gateway-add-listener')],
      rules: toV1,
    }),
    gateway(ref(INFRA, 'gateway-remove-listener'), [
      secureListener(),
      http('http', { from: 'All' }),
    ]),
    httpRoute(ref(INFRA, 'http-route-2'), {
      parents: [gwParent('gateway-remove-listener')],
      rules: toV1,
    }),
  ],
  async run(t) {
    const ok = [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')];
    await t.step('add a listener', async () => {
      const gw = ref(INFRA, 'gateway-add-listener');
      await t.cluster.namespacesReady([INFRA]);
      await t.cluster.gatewayLatestConditions(gw);
      const original = await t.cluster.get(RESOURCES.Gateway, gw);
      const listeners = (original.spec as { listeners: unknown[] }).listeners;
      await t.cluster.mergePatch(RESOURCES.Gateway, gw, {
        spec: {
          listeners: [...listeners, http('http', { hostname: 'data.test.com', from: 'All' })],
        },
      });
      await t.cluster.namespacesReady([INFRA]);
      await t.cluster.gatewayListeners(gw, [
        listenerStatus('https', 1, ok),
        listenerStatus('http', 1, ok),
      ]);
      await t.cluster.gatewayLatestConditions(gw);
      const updated = await t.cluster.get(RESOURCES.Gateway, gw);
      if (updated.metadata.generation === original.metadata.generation)
        throw new Error('generation did not change');
    });
    await t.step('remove a listener', async () => {
      const gw = ref(INFRA, 'gateway-remove-listener');
      await t.cluster.namespacesReady([INFRA]);
      await t.cluster.gatewayLatestConditions(gw);
      const original = await t.cluster.get(RESOURCES.Gateway, gw);
      const listeners = (original.spec as { listeners: Array<{ name: string }> }).listeners;
      if (listeners.length !== 2) throw new Error(`expected 2 listeners, have ${listeners.length}`);
      await t.cluster.mergePatch(RESOURCES.Gateway, gw, {
        spec: { listeners: listeners.filter((l) => l.name === 'http') },
      });
      await t.cluster.namespacesReady([INFRA]);
      await t.cluster.gatewayListeners(gw, [listenerStatus('http', 1, ok)]);
      await t.cluster.gatewayLatestConditions(gw);
      const updated = await t.cluster.get(RESOURCES.Gateway, gw);
      if (updated.metadata.generation === original.metadata.generation)
        throw new Error('generation did not change');
    });
  },
};

export const GATEWAY_SCENARIOS: Scenario[] = [
  listenerUnsupportedProtocol,
  invalidParametersRef,
  invalidRouteKind,
  observedGenerationBump,
  classObservedGenerationBump,
  withAttachedRoutes,
  modifyListeners,
];
