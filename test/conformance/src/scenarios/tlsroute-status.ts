/**
 * TLSRoute scenarios that check status only (GATEWAY-TLS): routes that no listener takes
 * (hostnames, protocols, section names), a backend in another namespace without a grant,
 * the supported kinds of Passthrough and Terminate listeners, and the two "not supported"
 * tests, which upstream skips when the GatewayClass claims the mode (Portico does).
 */
import { APP, backend, gateway, INFRA, listener, parent, ref, terminate } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { cond, listenerStatus } from './expect.ts';
import { nearMissGrants } from './httproute-invalid.ts';
import {
  acceptedWithAddress,
  claimedFeatures,
  tlsListener,
  tlsRoute,
  withTlsBase,
} from './tlsroute-common.ts';

const infra = (name: string) => ref(INFRA, name);
const TO_TLS_BACKEND = [backend('tls-backend', 443)];

const noMatchingListenerHostname: Scenario = {
  shortName: 'TLSRouteInvalidNoMatchingListenerHostname',
  description:
    'TLSRoutes whose hostnames intersect neither an exact nor a wildcard listener hostname: Accepted False NoMatchingListenerHostname, no accepted parent, no attached route.',
  get manifests() {
    return withTlsBase([
      gateway(infra('gateway-tls-exact-hostname'), [
        tlsListener('tls', 443, { hostname: 'www.example.com' }),
      ]),
      gateway(infra('gateway-tls-wildcard-hostname'), [
        tlsListener('tls', 443, { hostname: '*.example.com' }),
      ]),
      tlsRoute(infra('tlsroute-hostname-mismatch-1'), {
        parents: [parent('gateway-tls-exact-hostname')],
        hostnames: ['www.nomatch.com', '*.nomatch.com'],
        backends: TO_TLS_BACKEND,
      }),
      tlsRoute(infra('tlsroute-hostname-mismatch-2'), {
        parents: [parent('gateway-tls-wildcard-hostname')],
        hostnames: ['www.different.com', '*.different.com'],
        backends: TO_TLS_BACKEND,
      }),
    ]);
  },
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    const refused = cond('Accepted', 'False', 'NoMatchingListenerHostname');
    const pairs: Array<[string, string]> = [
      ['tlsroute-hostname-mismatch-1', 'gateway-tls-exact-hostname'],
      ['tlsroute-hostname-mismatch-2', 'gateway-tls-wildcard-hostname'],
    ];
    for (const [route, gw] of pairs) {
      await t.step(`${route} refused by ${gw}`, () =>
        t.cluster.routeCondition(infra(route), infra(gw), refused, 'TLSRoute'),
      );
    }
    for (const [route] of pairs) {
      await t.step(`${route} has no accepted parent`, () =>
        t.cluster.routeNoAcceptedParents(infra(route), 'TLSRoute'),
      );
    }
    for (const [, gw] of pairs) {
      await t.step(`${gw} has no route`, () => t.cluster.gatewayZeroRoutes(infra(gw)));
    }
  },
};

const noMatchingListener: Scenario = {
  shortName: 'TLSRouteInvalidNoMatchingListener',
  description:
    'TLSRoutes on an HTTP-only and an HTTPS-only Gateway are NotAllowedByListeners; one naming a missing sectionName gets NoMatchingParent; none is accepted or counted.',
  get manifests() {
    return withTlsBase([
      gateway(infra('gateway-tlsroute-tls-passthrough-only'), [
        { ...tlsListener('tls-passthrough', 443), allowedRoutes: { namespaces: { from: 'Same' } } },
      ]),
      gateway(infra('gateway-tlsroute-http-only'), [
        listener({ name: 'http', port: 80, protocol: 'HTTP' }),
      ]),
      gateway(infra('gateway-tlsroute-https-only'), [
        listener({
          name: 'https',
          port: 443,
          protocol: 'HTTPS',
          tls: terminate(`${INFRA}/tls-validity-checks-certificate`),
        }),
      ]),
      tlsRoute(infra('tlsroute-not-allowed-protocol-http'), {
        parents: [parent('gateway-tlsroute-http-only')],
        hostnames: ['tls.example.com'],
        backends: TO_TLS_BACKEND,
      }),
      tlsRoute(infra('tlsroute-not-allowed-protocol-https'), {
        parents: [parent('gateway-tlsroute-https-only')],
        hostnames: ['tls.example.com'],
        backends: TO_TLS_BACKEND,
      }),
      tlsRoute(infra('tlsroute-no-matching-section-name'), {
        parents: [
          parent('gateway-tlsroute-tls-passthrough-only', { sectionName: 'nonexistent-listener' }),
        ],
        hostnames: ['tls.example.com'],
        backends: TO_TLS_BACKEND,
      }),
    ]);
  },
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    const cases: Array<[route: string, gw: string, reason: string]> = [
      ['tlsroute-not-allowed-protocol-http', 'gateway-tlsroute-http-only', 'NotAllowedByListeners'],
      [
        'tlsroute-not-allowed-protocol-https',
        'gateway-tlsroute-https-only',
        'NotAllowedByListeners',
      ],
      [
        'tlsroute-no-matching-section-name',
        'gateway-tlsroute-tls-passthrough-only',
        'NoMatchingParent',
      ],
    ];
    for (const [route, gw, reason] of cases) {
      await t.step(`${route}: Accepted False ${reason}`, () =>
        t.cluster.routeCondition(
          infra(route),
          infra(gw),
          cond('Accepted', 'False', reason),
          'TLSRoute',
        ),
      );
    }
    for (const [route] of cases) {
      await t.step(`${route} has no accepted parent`, () =>
        t.cluster.routeNoAcceptedParents(infra(route), 'TLSRoute'),
      );
    }
    for (const gw of ['gateway-tlsroute-http-only', 'gateway-tlsroute-https-only']) {
      await t.step(`${gw} has no route`, () => t.cluster.gatewayZeroRoutes(infra(gw)));
    }
  },
};

const invalidReferenceGrant: Scenario = {
  shortName: 'TLSRouteInvalidReferenceGrant',
  description:
    'A TLSRoute to tls-backend in another namespace, with only near-miss ReferenceGrants: Accepted, ResolvedRefs False RefNotPermitted.',
  get manifests() {
    return withTlsBase([
      ...nearMissGrants('TLSRoute', 'Service', 'tls-backend', APP, INFRA, INFRA),
      gateway(infra('gateway-tlsroute-referencegrant'), [
        tlsListener('https', 443, { hostname: '*.example.com' }),
      ]),
      tlsRoute(infra('gateway-conformance-infra-test'), {
        parents: [parent('gateway-tlsroute-referencegrant')],
        hostnames: ['abc.example.com'],
        backends: [backend('tls-backend', 443, { namespace: APP })],
      }),
    ]);
  },
  async run(t) {
    const gw = infra('gateway-tlsroute-referencegrant');
    const route = infra('gateway-conformance-infra-test');
    await acceptedWithAddress(t, gw, [route]);
    await t.step('ResolvedRefs False RefNotPermitted', () =>
      t.cluster.routeCondition(
        route,
        gw,
        cond('ResolvedRefs', 'False', 'RefNotPermitted'),
        'TLSRoute',
      ),
    );
  },
};

const passthroughSupportedKinds: Scenario = {
  shortName: 'TLSRouteListenerPassthroughSupportedKinds',
  description:
    'A Passthrough listener that allows TCPRoute and TLSRoute: supportedKinds holds TLSRoute only, ResolvedRefs False InvalidRouteKinds.',
  manifests: [
    gateway(infra('gateway-tlsroute-passthrough-supported-kind'), [
      tlsListener('tls-passthrough', 443, { kinds: ['TCPRoute', 'TLSRoute'] }),
    ]),
  ],
  async run(t) {
    await t.step('listener status', () =>
      t.cluster.gatewayListeners(infra('gateway-tlsroute-passthrough-supported-kind'), [
        listenerStatus(
          'tls-passthrough',
          0,
          [cond('ResolvedRefs', 'False', 'InvalidRouteKinds')],
          ['TLSRoute'],
        ),
      ]),
    );
  },
};

const terminateListener = () =>
  tlsListener('tls-terminate', 8443, {
    hostname: 'terminate.example.com',
    certificate: 'tls-terminate-checks-certificate',
  });

const terminateSupportedKinds: Scenario = {
  shortName: 'TLSRouteListenerTerminateSupportedKinds',
  description: 'A Terminate TLS listener is Accepted and lists TLSRoute among its supportedKinds.',
  get manifests() {
    return withTlsBase([
      gateway(infra('gateway-tlsroute-terminate-supported'), [terminateListener()]),
    ]);
  },
  async run(t) {
    await t.step('listener status', () =>
      t.cluster.gatewayListeners(infra('gateway-tlsroute-terminate-supported'), [
        listenerStatus('tls-terminate', 0, [cond('Accepted', 'True', 'Accepted')], ['TLSRoute']),
      ]),
    );
  },
};

/**
 * Upstream's "not supported" tests: they return at once when the GatewayClass claims the
 * mode; otherwise the listeners must say the mode is refused.
 */
function notSupported(
  shortName: string,
  feature: string,
  gwName: string,
  listeners: Record<string, unknown>[],
  reason: string,
): Scenario {
  return {
    shortName,
    description: `Without ${feature}, its listeners are Accepted False ${reason}; with it claimed (as Portico does) upstream checks nothing more.`,
    get manifests() {
      return withTlsBase([gateway(infra(gwName), listeners)]);
    },
    async run(t) {
      if ((await claimedFeatures(t)).has(feature)) return;
      const refused = [cond('Accepted', 'False', reason)];
      await t.step(`listeners Accepted False ${reason}`, () =>
        t.cluster.gatewayListeners(
          infra(gwName),
          listeners.map((l) => ({
            ...listenerStatus(String(l['name']), 0, refused),
            supportedKinds: undefined,
          })),
        ),
      );
    },
  };
}

export const TLSROUTE_STATUS_SCENARIOS: Scenario[] = [
  noMatchingListenerHostname,
  noMatchingListener,
  invalidReferenceGrant,
  passthroughSupportedKinds,
  terminateSupportedKinds,
  notSupported(
    'TLSRouteListenerTerminateNotSupported',
    'TLSRouteModeTerminate',
    'gateway-tlsroute-terminate-unsupported',
    [terminateListener()],
    'UnsupportedValue',
  ),
  notSupported(
    'TLSRouteListenerMixedTerminationNotSupported',
    'TLSRouteModeMixed',
    'gateway-tlsroute-mixed-termination-not-supported',
    [
      terminateListener(),
      tlsListener('tls-passthrough', 8443, { hostname: 'passthrough.example.com' }),
    ],
    'ProtocolConflict',
  ),
];
