/**
 * Scenarios about listener ports: a second listener on 8080, routes that pick listeners by
 * `parentRef.port` (alone or with `sectionName`), and parentRefs whose port matches nothing.
 */
import {
  backend,
  gateway,
  http,
  httpRoute,
  INFRA,
  parent,
  ref,
  rule,
  type Ref,
} from '../builders.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';
import { answers, at, cond, listenerStatus, reaches } from './expect.ts';

const httpRouteKind = [{ kind: 'HTTPRoute' }];
const toBackend = (name: string): Record<string, unknown>[] => [
  rule({ backends: [backend(name, 8080)] }),
];
const ok = [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')];

const withPort8080: Scenario = {
  shortName: 'GatewayWithAttachedRoutesWithPort8080',
  description:
    'Listeners on 8080 and 80; a route naming the 80 one by sectionName counts there only (1 and 0).',
  manifests: [
    gateway(ref(INFRA, 'gateway-with-two-listeners-and-one-attached-route'), [
      http('http-unattached', { port: 8080, from: 'All', kinds: httpRouteKind }),
      http('http', { from: 'All', kinds: httpRouteKind }),
    ]),
    httpRoute(ref(INFRA, 'http-route-4-port-8080'), {
      parents: [
        parent('gateway-with-two-listeners-and-one-attached-route', {
          kind: 'Gateway',
          namespace: INFRA,
          sectionName: 'http',
        }),
      ],
      rules: toBackend('infra-backend-v1'),
    }),
  ],
  async run(t) {
    await t.step('listener status', () =>
      t.cluster.gatewayListeners(ref(INFRA, 'gateway-with-two-listeners-and-one-attached-route'), [
        listenerStatus('http-unattached', 0, ok),
        listenerStatus('http', 1, ok),
      ]),
    );
  },
};

const PORT_MATCHING_GW = 'httproute-listener-port-matching';

/** Accepted routes on the Gateway, resolved refs, and the address of `listenerName`. */
async function acceptedAt(
  t: ScenarioContext,
  gw: Ref,
  listenerName: string,
  route: Ref,
): Promise<string> {
  const address = await t.step(`accepted (${listenerName})`, () =>
    t.cluster.gatewayAndRoutesAccepted(gw, [route], [listenerName]),
  );
  await t.step(`ResolvedRefs ${route.name}`, () => t.cluster.routeResolvedRefs(route, gw));
  return address;
}

const listenerPortMatching: Scenario = {
  shortName: 'HTTPRouteListenerPortMatching',
  description:
    'Five listeners on 80/8080/8090 with two hostnames; parentRef.port (and port+sectionName) chooses them; requests land by port and Host.',
  manifests: [
    gateway(ref(INFRA, PORT_MATCHING_GW), [
      http('listener-1', { hostname: 'foo.com' }),
      http('listener-2', { port: 8080, hostname: 'foo.com' }),
      http('listener-3', { port: 8080, hostname: 'bar.com' }),
      http('listener-4', { port: 8090, hostname: 'foo.com' }),
      http('listener-5', { port: 8090, hostname: 'bar.com' }),
    ]),
    httpRoute(ref(INFRA, 'backend-v1'), {
      parents: [parent(PORT_MATCHING_GW, { namespace: INFRA, port: 80 })],
      rules: toBackend('infra-backend-v1'),
    }),
    httpRoute(ref(INFRA, 'backend-v2'), {
      parents: [parent(PORT_MATCHING_GW, { namespace: INFRA, port: 8080 })],
      rules: toBackend('infra-backend-v2'),
    }),
    httpRoute(ref(INFRA, 'backend-v3'), {
      parents: [
        parent(PORT_MATCHING_GW, { namespace: INFRA, port: 8090, sectionName: 'listener-4' }),
      ],
      rules: toBackend('infra-backend-v3'),
    }),
  ],
  async run(t) {
    const gw = ref(INFRA, PORT_MATCHING_GW);
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    const on80 = await acceptedAt(t, gw, 'listener-1', ref(INFRA, 'backend-v1'));
    const on8080 = await acceptedAt(t, gw, 'listener-2', ref(INFRA, 'backend-v2'));
    const on8090 = await acceptedAt(t, gw, 'listener-4', ref(INFRA, 'backend-v3'));
    const cases: Array<[string, string, ReturnType<typeof reaches>]> = [
      [on80, 'foo.com', reaches(at('foo.com', '/'), 'infra-backend-v1', INFRA)],
      [on8080, 'foo.com:8080', reaches(at('foo.com:8080', '/'), 'infra-backend-v2', INFRA)],
      [on8080, 'bar.com:8080', reaches(at('bar.com:8080', '/'), 'infra-backend-v2', INFRA)],
      [on8090, 'foo.com:8090', reaches(at('foo.com:8090', '/'), 'infra-backend-v3', INFRA)],
      [on8090, 'bar.com:8090', answers(at('bar.com:8090', '/'), 404)],
    ];
    for (const [address, host, expected] of cases)
      await t.step(`request ${host}`, () => t.http.expect(address, expected));
  },
};

/** A route whose only parentRef matches no listener: NoMatchingParent, nothing attached. */
async function expectNoMatchingParent(t: ScenarioContext, route: Ref, gw: Ref): Promise<void> {
  await t.step('Accepted False/NoMatchingParent', () =>
    t.cluster.routeCondition(route, gw, cond('Accepted', 'False', 'NoMatchingParent')),
  );
  await t.step('no accepted parents', () => t.cluster.routeNoAcceptedParents(route));
  await t.step('Gateway has zero routes', () => t.cluster.gatewayZeroRoutes(gw));
}

const notMatchingListenerPort: Scenario = {
  shortName: 'HTTPRouteInvalidParentRefNotMatchingListenerPort',
  description:
    'parentRef.port 81 on a Gateway listening on 80 only: ResolvedRefs True, Accepted False NoMatchingParent, zero routes.',
  manifests: [
    httpRoute(ref(INFRA, 'httproute-listener-not-matching-route-port'), {
      parents: [parent('same-namespace', { namespace: INFRA, port: 81 })],
      rules: [rule({ backends: [backend('infra-backend-v1', 8080, { kind: 'Service' })] })],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'httproute-listener-not-matching-route-port');
    const gw = ref(INFRA, 'same-namespace');
    await t.step('ResolvedRefs True', () => t.cluster.routeResolvedRefs(route, gw));
    await expectNoMatchingParent(t, route, gw);
  },
};

const SECTION_PORT_GW = 'gateway-with-one-not-matching-port-and-section-name-route';

const sectionNameNotMatchingPort: Scenario = {
  shortName: 'HTTPRouteInvalidParentRefSectionNameNotMatchingPort',
  description:
    'sectionName http (port 80) with parentRef.port 81: both must match, so Accepted False NoMatchingParent and zero routes.',
  manifests: [
    gateway(ref(INFRA, SECTION_PORT_GW), [http('http', { from: 'All', kinds: httpRouteKind })]),
    httpRoute(ref(INFRA, 'httproute-listener-section-name-not-matching-port'), {
      parents: [parent(SECTION_PORT_GW, { namespace: INFRA, sectionName: 'http', port: 81 })],
      rules: [rule({ backends: [backend('infra-backend-v1', 8080, { kind: 'Service' })] })],
    }),
  ],
  async run(t) {
    await expectNoMatchingParent(
      t,
      ref(INFRA, 'httproute-listener-section-name-not-matching-port'),
      ref(INFRA, SECTION_PORT_GW),
    );
  },
};

export const PORT_SCENARIOS: Scenario[] = [
  withPort8080,
  listenerPortMatching,
  notMatchingListenerPort,
  sectionNameNotMatchingPort,
];
