/**
 * TLSRoute scenarios with traffic (GATEWAY-TLS): passthrough by SNI, termination
 * (TLSRouteModeTerminate), both on one port (TLSRouteModeMixed), hostname intersection, and
 * invalid backends whose connections are refused. Real `node:tls` clients verify the
 * Gateway's (or the backend's) certificate against the suite's CA.
 */
import { backend, gateway, INFRA, parent, ref } from '../builders.ts';
import { cond, listenerStatus } from './expect.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';
import { startTlsBackends } from '../tls-backends.ts';
import { httpsConsistently, rejectedEventually, streamEventually } from '../tls-expect.ts';
import { tlsPki } from '../tls-pki.ts';
import { acceptedWithAddress, tlsListener, tlsRoute, withTlsBase } from './tlsroute-common.ts';

/** Upstream's MaxTimeToConsistency is 30 s; our data planes converge well within it. */
const CONSISTENCY_MS = 30_000;
const infra = (name: string) => ref(INFRA, name);

/** Runs `fn` with the named backends up, stopping them afterwards whatever happens. */
async function withBackends(
  t: ScenarioContext,
  apps: string[],
  fn: () => Promise<void>,
): Promise<void> {
  const pods = await t.step('backends', () => startTlsBackends(t.cluster.rest, apps));
  try {
    await fn();
  } finally {
    await pods.stop();
  }
}

const target = (address: string, servername: string) => ({
  address,
  servername,
  ca: tlsPki().caPem,
});

const simpleSameNamespace: Scenario = {
  shortName: 'TLSRouteSimpleSameNamespace',
  description:
    'A passthrough listener on *.example.com: a TLSRoute for abc.example.com reaches the TLS port of tcp-backend, which ends TLS itself and saw the SNI.',
  get manifests() {
    return withTlsBase([
      gateway(infra('gateway-tlsroute'), [
        tlsListener('https', 443, { hostname: '*.example.com' }),
      ]),
      tlsRoute(infra('gateway-conformance-infra-test'), {
        parents: [parent('gateway-tlsroute', { namespace: INFRA })],
        hostnames: ['abc.example.com'],
        backends: [backend('tcp-backend', 8443)],
      }),
    ]);
  },
  async run(t) {
    await withBackends(t, ['tcp-backend'], async () => {
      const gw = infra('gateway-tlsroute');
      const address = await acceptedWithAddress(t, gw, [infra('gateway-conformance-infra-test')]);
      await t.step('abc.example.com reaches tcp-backend encrypted', () =>
        streamEventually(
          target(address, 'abc.example.com'),
          { backend: 'tcp-backend', namespace: INFRA, backendSni: 'abc.example.com' },
          CONSISTENCY_MS,
        ),
      );
    });
  },
};

const terminateSimpleSameNamespace: Scenario = {
  shortName: 'TLSRouteTerminateSimpleSameNamespace',
  description:
    'A Terminate TLS listener for tls.example.com: the Gateway presents its certificate and forwards plain bytes to the plain port of tcp-backend.',
  get manifests() {
    return withTlsBase([
      gateway(infra('gateway-tlsroute-terminate'), [
        tlsListener('tlsterminate', 8443, {
          hostname: 'tls.example.com',
          certificate: 'tls-terminate-checks-certificate',
        }),
      ]),
      tlsRoute(infra('tlsroute-terminated-test'), {
        parents: [parent('gateway-tlsroute-terminate', { namespace: INFRA })],
        hostnames: ['tls.example.com'],
        backends: [backend('tcp-backend', 3000)],
      }),
    ]);
  },
  async run(t) {
    await withBackends(t, ['tcp-backend'], async () => {
      const gw = infra('gateway-tlsroute-terminate');
      const address = await acceptedWithAddress(t, gw, [infra('tlsroute-terminated-test')]);
      await t.step('tls.example.com is terminated and reaches tcp-backend in plain text', () =>
        streamEventually(
          target(address, 'tls.example.com'),
          { backend: 'tcp-backend', namespace: INFRA },
          CONSISTENCY_MS,
        ),
      );
    });
  },
};

const mixedTerminationSameNamespace: Scenario = {
  shortName: 'TLSRouteMixedTerminationSameNamespace',
  description:
    'A Terminate and a Passthrough TLS listener on one port: both Accepted with one route each; tls.example.com is terminated, abc.example.com passes through.',
  get manifests() {
    const gw = 'gateway-tlsroute-mixed-termination';
    return withTlsBase([
      gateway(infra(gw), [
        tlsListener('tls-terminate', 8883, {
          hostname: 'tls.example.com',
          certificate: 'tls-terminate-checks-certificate',
        }),
        tlsListener('tls-passthrough', 8883, { hostname: 'abc.example.com' }),
      ]),
      tlsRoute(infra('gateway-conformance-mixed-passthroughroute'), {
        parents: [parent(gw, { namespace: INFRA })],
        hostnames: ['abc.example.com'],
        backends: [backend('tcp-backend', 8443)],
      }),
      tlsRoute(infra('gateway-conformance-mixed-terminateroute'), {
        parents: [parent(gw, { namespace: INFRA })],
        hostnames: ['tls.example.com'],
        backends: [backend('tcp-backend', 3000)],
      }),
    ]);
  },
  async run(t) {
    await withBackends(t, ['tcp-backend'], async () => {
      const gw = infra('gateway-tlsroute-mixed-termination');
      const address = await acceptedWithAddress(t, gw, [
        infra('gateway-conformance-mixed-passthroughroute'),
        infra('gateway-conformance-mixed-terminateroute'),
      ]);
      const accepted = [cond('Accepted', 'True', 'Accepted')];
      await t.step('both listeners Accepted with one route each', () =>
        t.cluster.gatewayListeners(gw, [
          listenerStatus('tls-terminate', 1, accepted, ['TLSRoute']),
          listenerStatus('tls-passthrough', 1, accepted, ['TLSRoute']),
        ]),
      );
      await t.step('tls.example.com is terminated', () =>
        streamEventually(
          target(address, 'tls.example.com'),
          { backend: 'tcp-backend', namespace: INFRA },
          CONSISTENCY_MS,
        ),
      );
      await t.step('abc.example.com passes through', () =>
        streamEventually(
          target(address, 'abc.example.com'),
          { backend: 'tcp-backend', namespace: INFRA, backendSni: 'abc.example.com' },
          CONSISTENCY_MS,
        ),
      );
    });
  },
};

/** One Gateway of the hostname intersection test and the routes that attach to it. */
interface IntersectionCase {
  gateway: string;
  listener: string;
  listenerHostname?: string;
  routes: Array<[name: string, hostname: string, backend: string]>;
  unknown: string;
}

const INTERSECTIONS: IntersectionCase[] = [
  {
    gateway: 'gw-tlsroute-exact-hostname-x-1',
    listener: 'listener-exact-hostname',
    listenerHostname: 'abc.example.com',
    routes: [['tlsroute-more-specific-wc-hostname-x-1', '*.example.com', 'tls-backend']],
    unknown: 'non.matching.com',
  },
  {
    gateway: 'gw-tlsroute-more-specific-wc-hostname-x-2',
    listener: 'listener-more-specific-wc-hostname',
    listenerHostname: '*.example.com',
    routes: [
      ['tlsroute-exact-hostname-x-2', 'abc.example.com', 'tls-backend'],
      ['tlsroute-less-specific-wc-hostname-x-2', '*.com', 'tls-backend-2'],
    ],
    unknown: 'non.matching.com',
  },
  {
    gateway: 'gw-tlsroute-less-specific-wc-hostname-x-3',
    listener: 'listener-less-specific-wc-hostname',
    listenerHostname: '*.com',
    routes: [
      ['tlsroute-exact-hostname-x-3', 'abc.example.com', 'tls-backend'],
      ['tlsroute-more-specific-wc-hostname-x-3', '*.example.com', 'tls-backend-2'],
    ],
    unknown: 'non.matching.com',
  },
  {
    gateway: 'gw-tlsroute-empty-hostname-x-4',
    listener: 'listener-empty-hostname',
    routes: [
      ['tlsroute-exact-hostname-x-4', 'abc.example.com', 'tls-backend'],
      ['tlsroute-less-specific-wc-hostname-x-4', '*.com', 'tls-backend-2'],
    ],
    unknown: 'non.matching.org',
  },
];

const hostnameIntersection: Scenario = {
  shortName: 'TLSRouteHostnameIntersection',
  description:
    'TLSRoutes attach to passthrough listeners whose hostnames intersect theirs and get exactly the intersection: abc.example.com and other.example.com reach their backends over HTTPS, other names are refused.',
  get manifests() {
    return withTlsBase(
      INTERSECTIONS.flatMap((c) => [
        gateway(infra(c.gateway), [
          tlsListener(
            c.listener,
            443,
            c.listenerHostname === undefined ? {} : { hostname: c.listenerHostname },
          ),
        ]),
        ...c.routes.map(([name, hostname, app]) =>
          tlsRoute(infra(name), {
            parents: [parent(c.gateway, { namespace: INFRA })],
            hostnames: [hostname],
            backends: [backend(app, 443)],
          }),
        ),
      ]),
    );
  },
  async run(t) {
    await withBackends(t, ['tls-backend', 'tls-backend-2'], async () => {
      for (const c of INTERSECTIONS) {
        await t.step(c.gateway, () => checkIntersection(t, c));
      }
    });
  },
};

async function checkIntersection(t: ScenarioContext, c: IntersectionCase): Promise<void> {
  const gw = infra(c.gateway);
  const routes = c.routes.map(([name]) => infra(name));
  const address = await acceptedWithAddress(t, gw, routes);
  for (const route of routes) {
    await t.step(`${route.name} ResolvedRefs`, () =>
      t.cluster.routeCondition(route, gw, cond('ResolvedRefs', 'True', 'ResolvedRefs'), 'TLSRoute'),
    );
  }
  const expectations: Array<[string, string]> = [['abc.example.com', 'tls-backend']];
  if (c.routes.length > 1) expectations.push(['other.example.com', 'tls-backend-2']);
  for (const [host, app] of expectations) {
    await t.step(`${host} reaches ${app}`, () =>
      httpsConsistently(
        target(address, host),
        { host, path: '/' },
        { backend: app, namespace: INFRA },
        { timeoutMs: CONSISTENCY_MS, consecutive: 3 },
      ),
    );
  }
  await t.step(`${c.unknown} is refused`, () =>
    rejectedEventually(address, c.unknown, CONSISTENCY_MS),
  );
}

/** A passthrough Gateway with one route to a backend that cannot be used. */
function invalidBackend(shortName: string, reason: string, bad: Record<string, unknown>): Scenario {
  const base =
    shortName === 'TLSRouteInvalidBackendRefNonexistent' ? 'nonexistent' : 'unknown-kind';
  const gwName = `gateway-tlsroute-invalid-backend-ref-${base}`;
  const routeName = `invalid-backend-ref-${base}`;
  return {
    shortName,
    description: `A TLSRoute whose only backend is ${base === 'nonexistent' ? 'a missing Service' : 'of an unknown kind'}: Accepted, ResolvedRefs False ${reason}, and its connections are refused.`,
    get manifests() {
      return withTlsBase([
        gateway(infra(gwName), [
          { ...tlsListener('tls', 443), allowedRoutes: { namespaces: { from: 'Same' } } },
        ]),
        tlsRoute(infra(routeName), {
          parents: [parent(gwName, { namespace: INFRA })],
          hostnames: ['example.com'],
          backends: [bad],
        }),
      ]);
    },
    async run(t) {
      const gw = infra(gwName);
      const address = await acceptedWithAddress(t, gw, [infra(routeName)]);
      await t.step(`ResolvedRefs False ${reason}`, () =>
        t.cluster.routeCondition(
          infra(routeName),
          gw,
          cond('ResolvedRefs', 'False', reason),
          'TLSRoute',
        ),
      );
      await t.step('connections refused', () =>
        rejectedEventually(address, 'example.com', CONSISTENCY_MS),
      );
    },
  };
}

export const TLSROUTE_TRAFFIC_SCENARIOS: Scenario[] = [
  simpleSameNamespace,
  terminateSimpleSameNamespace,
  mixedTerminationSameNamespace,
  hostnameIntersection,
  invalidBackend('TLSRouteInvalidBackendRefNonexistent', 'BackendNotFound', {
    name: 'nonexistent',
    namespace: INFRA,
    port: 443,
  }),
  invalidBackend('TLSRouteInvalidBackendRefUnknownKind', 'InvalidKind', {
    group: 'unknownkind.example.com',
    kind: 'NonExistent',
    name: 'tls-backend',
    port: 443,
  }),
];
