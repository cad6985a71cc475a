/**
 * Listener isolation: a request is served only by the most specific listener whose hostname
 * matches it, on HTTP (by Host) and on HTTPS (by SNI and Host, where a Host of another
 * listener than the SNI's is a misdirected request, 421).
 */
import {
  backend,
  gateway,
  http,
  httpRoute,
  INFRA,
  parent,
  prefix,
  ref,
  rule,
  type Ref,
} from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';
import { answers, at, reaches } from './expect.ts';
import { serverCa } from './frontend-tls-support.ts';

/** The four listeners of the isolation Gateways: name and hostname. */
const ISOLATION_LISTENERS: Array<[name: string, hostname: string | undefined]> = [
  ['empty-hostname', undefined],
  ['wildcard-example-com', '*.example.com'],
  ['wildcard-foo-example-com', '*.foo.example.com'],
  ['abc-foo-example-com', 'abc.foo.example.com'],
];

/** A request host that each listener (same order) is the most specific match for. */
const HOST_OF_LISTENER = [
  'bar.com',
  'bar.example.com',
  'bar.foo.example.com',
  'abc.foo.example.com',
];

/** Every host against every listener's path: only the host's own listener answers. */
function isolationCases(): Expected[] {
  return HOST_OF_LISTENER.flatMap((host, hostIndex) =>
    ISOLATION_LISTENERS.map(([name], listenerIndex) =>
      hostIndex === listenerIndex
        ? reaches(at(host, `/${name}`), 'infra-backend-v1', INFRA)
        : answers(at(host, `/${name}`), 404),
    ),
  );
}

/** Routes name hostnames (each listener's intersection keeps some) in the second Gateway. */
const INTERSECTING_HOSTNAMES = [
  'bar.com',
  '*.example.com',
  '*.foo.example.com',
  'abc.foo.example.com',
];

function isolationObjects(gwName: string, suffix: string, hostnames?: string[]) {
  const listeners = ISOLATION_LISTENERS.map(([name, hostname]) =>
    http(name, { from: 'All', ...(hostname ? { hostname } : {}) }),
  );
  const routes = ISOLATION_LISTENERS.map(([name]) =>
    httpRoute(ref(INFRA, `attaches-to-${name}${suffix}`), {
      parents: [parent(gwName, { namespace: INFRA, sectionName: name })],
      ...(hostnames ? { hostnames } : {}),
      rules: [
        rule({ matches: [prefix(`/${name}`)], backends: [backend('infra-backend-v1', 8080)] }),
      ],
    }),
  );
  return [gateway(ref(INFRA, gwName), listeners), ...routes];
}

const ISOLATION_GW = 'http-listener-isolation';
const INTERSECTION_GW = 'http-listener-isolation-with-hostname-intersection';
const INTERSECTION_SUFFIX = '-with-hostname-intersection';

async function isolationStep(t: ScenarioContext, gw: Ref, suffix: string): Promise<void> {
  const routes = ISOLATION_LISTENERS.map(([name]) => ref(INFRA, `attaches-to-${name}${suffix}`));
  const address = await t.step('gateway and routes accepted', () =>
    t.cluster.gatewayAndRoutesAccepted(gw, routes),
  );
  for (const route of routes)
    await t.step(`ResolvedRefs ${route.name}`, () => t.cluster.routeResolvedRefs(route, gw));
  for (const expected of isolationCases())
    await t.step(`${expected.request.host ?? ''}${expected.request.path}`, () =>
      t.http.expect(address, expected),
    );
}

const httpListenerIsolation: Scenario = {
  shortName: 'GatewayHTTPListenerIsolation',
  description:
    'Four HTTP listeners on one port (none, *.example.com, *.foo.example.com, abc.foo.example.com): each host reaches only its most specific listener, with and without route hostnames.',
  manifests: [
    ...isolationObjects(ISOLATION_GW, ''),
    ...isolationObjects(INTERSECTION_GW, INTERSECTION_SUFFIX, INTERSECTING_HOSTNAMES),
  ],
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('hostnames only in listeners', () =>
      isolationStep(t, ref(INFRA, ISOLATION_GW), ''),
    );
    await t.step('hostnames in listeners and routes', () =>
      isolationStep(t, ref(INFRA, INTERSECTION_GW), INTERSECTION_SUFFIX),
    );
  },
};

const HTTPS_GW = 'same-namespace-with-https-listener';
const MISDIRECTED_PATH = '/detect-misdirected-requests';

/** The route of each HTTPS listener of the base Gateway, and the backend it sends to. */
const MISDIRECTED_ROUTES: Array<[sectionName: string, service: string, hostnames?: string[]]> = [
  ['https', 'infra-backend-v1', ['example.org']],
  ['https-with-hostname', 'infra-backend-v2'],
  ['https-with-wildcard-hostname', 'infra-backend-v3'],
  ['https-with-hostname-matching-wildcard', 'infra-backend-v1'],
];

const routeName = (i: number): string => `https-listener-detect-misdirected-requests-test-${i + 1}`;

/** SNI name, Host, and the backend (200) or the status code expected. */
const MISDIRECTED_CASES: Array<[sni: string, host: string, outcome: string | number]> = [
  ['example.org', 'example.org', 'infra-backend-v1'],
  ['example.org', 'second-example.org', 421],
  ['example.org', 'unknown-example.org', 404],
  ['second-example.org', 'second-example.org', 'infra-backend-v2'],
  ['second-example.org', 'example.org', 421],
  ['second-example.org', 'unknown-example.org', 421],
  ['third-example.wildcard.org', 'third-example.wildcard.org', 'infra-backend-v3'],
  ['third-example.wildcard.org', 'fith-example.wildcard.org', 'infra-backend-v3'],
  ['third-example.wildcard.org', 'fourth-example.wildcard.org', 421],
  ['third-example.wildcard.org', 'second-example.org', 421],
  ['third-example.wildcard.org', 'unknown-example.org', 421],
  ['fourth-example.wildcard.org', 'fourth-example.wildcard.org', 'infra-backend-v1'],
  ['fourth-example.wildcard.org', 'fith-example.wildcard.org', 421],
  ['unknown-example.org', 'example.org', 'infra-backend-v1'],
  ['unknown-example.org', 'unknown-example.org', 404],
];

const detectMisdirectedRequests: Scenario = {
  shortName: 'HTTPRouteHTTPSListenerDetectMisdirectedRequests',
  description:
    'HTTPS listeners on one port (over HTTP/2): a Host that belongs to another listener than the SNI name answers 421; same listener 200 or 404.',
  manifests: MISDIRECTED_ROUTES.map(([sectionName, service, hostnames], i) =>
    httpRoute(ref(INFRA, routeName(i)), {
      parents: [parent(HTTPS_GW, { sectionName })],
      ...(hostnames ? { hostnames } : {}),
      rules: [rule({ matches: [prefix(MISDIRECTED_PATH)], backends: [backend(service, 8080)] })],
    }),
  ),
  async run(t) {
    const gw = ref(INFRA, HTTPS_GW);
    const routes = MISDIRECTED_ROUTES.map((_, i) => ref(INFRA, routeName(i)));
    const address = await t.step('gateway and routes accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(gw, routes),
    );
    for (const route of routes)
      await t.step(`ResolvedRefs ${route.name}`, () => t.cluster.routeResolvedRefs(route, gw));
    const ca = await serverCa(t);
    for (const [sni, host, outcome] of MISDIRECTED_CASES) {
      const request = at(host, MISDIRECTED_PATH);
      const expected =
        typeof outcome === 'number' ? answers(request, outcome) : reaches(request, outcome, INFRA);
      await t.step(`h2 sni=${sni} host=${host}`, () =>
        t.http.expect(address, expected, { ca, serverName: sni, protocol: 'h2' }),
      );
    }
  },
};

export const ISOLATION_SCENARIOS: Scenario[] = [httpListenerIsolation, detectMisdirectedRequests];
