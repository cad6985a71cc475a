/**
 * HTTPRouteRedirectPortAndScheme: redirects that set the port, the scheme, both or neither,
 * seen from listeners on 80, 8080 and 443. Without a port the redirect uses the scheme's
 * well-known port when the scheme is set, else the listener's own port (8080 stays 8080).
 */
import { filter, gateway, http, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario } from '../scenario.ts';
import { serverCa } from './frontend-tls-support.ts';

type Json = Record<string, unknown>;

const HOST = 'example.org';
const GW_80 = ref(INFRA, 'same-namespace');
const GW_8080 = ref(INFRA, 'same-namespace-with-http-listener-on-8080');
const GW_443 = ref(INFRA, 'same-namespace-with-https-listener');
const ROUTE_80 = ref(INFRA, 'http-route-for-listener-on-port-80');
const ROUTE_8080 = ref(INFRA, 'http-route-for-listener-on-port-8080');
const ROUTE_443 = ref(INFRA, 'http-route-for-listener-on-port-443');

/**
 * A rule on `/scheme-<scheme or nil>-and-port-<port or nil>` redirecting to example.org with
 * that scheme and port.
 */
function redirectRule(scheme: string | undefined, port: number | undefined): Json {
  const redirect: Json = { hostname: HOST };
  if (scheme !== undefined) redirect['scheme'] = scheme;
  if (port !== undefined) redirect['port'] = port;
  return rule({
    matches: [prefix(pathOf(scheme, port))],
    filters: [filter('RequestRedirect', redirect)],
  });
}

const pathOf = (scheme: string | undefined, port: number | undefined): string =>
  `/scheme-${scheme ?? 'nil'}-and-port-${port ?? 'nil'}`;

/**
 * The request on the rule of (`scheme`, `port`) must be answered 302 to example.org with
 * `want` (a port left out must be the scheme's default or absent).
 */
function redirects(
  rulePath: [string | undefined, number | undefined],
  want: { scheme: string; port?: string },
  host?: string,
): Expected {
  return {
    request: { path: pathOf(...rulePath), ...(host ? { host } : {}) },
    status: [302],
    redirect: { host: HOST, ...want },
    namespace: INFRA,
  };
}

const route = (at: typeof ROUTE_80, gw: string, rules: Json[]) =>
  httpRoute(at, { parents: [parent(gw)], rules });

export const redirectPortAndScheme: Scenario = {
  shortName: 'HTTPRouteRedirectPortAndScheme',
  description:
    'RequestRedirect with and without scheme and port on listeners 80, 8080 and 443: the port follows the scheme, else the listener.',
  manifests: [
    gateway(GW_8080, [http('http', { port: 8080 })]),
    route(ROUTE_80, GW_80.name, [
      redirectRule(undefined, undefined),
      redirectRule(undefined, 80),
      redirectRule(undefined, 8080),
      redirectRule('https', undefined),
      redirectRule('https', 443),
      redirectRule('https', 8443),
    ]),
    route(ROUTE_8080, GW_8080.name, [
      redirectRule(undefined, undefined),
      redirectRule(undefined, 80),
      redirectRule('https', undefined),
    ]),
    route(ROUTE_443, GW_443.name, [
      redirectRule(undefined, undefined),
      redirectRule(undefined, 443),
      redirectRule(undefined, 8443),
      redirectRule('http', undefined),
      redirectRule('http', 80),
      redirectRule('http', 8080),
    ]),
  ],
  async run(t) {
    const pairs: Array<[typeof GW_80, typeof ROUTE_80]> = [
      [GW_80, ROUTE_80],
      [GW_8080, ROUTE_8080],
      [GW_443, ROUTE_443],
    ];
    const addresses: string[] = [];
    for (const [gw, r] of pairs) {
      addresses.push(
        await t.step(`${gw.name} and ${r.name} accepted`, () =>
          t.cluster.gatewayAndRoutesAccepted(gw, [r]),
        ),
      );
      await t.step(`ResolvedRefs ${r.name}`, () => t.cluster.routeResolvedRefs(r, gw));
    }
    const [at80 = '', at8080 = '', at443 = ''] = addresses;
    await t.step('http listener on 80', () =>
      t.http.expectAll(at80, [
        redirects([undefined, undefined], { scheme: 'http' }),
        redirects([undefined, 80], { scheme: 'http' }),
        redirects([undefined, 8080], { scheme: 'http', port: '8080' }),
        redirects(['https', undefined], { scheme: 'https' }),
        redirects(['https', 443], { scheme: 'https' }),
        redirects(['https', 8443], { scheme: 'https', port: '8443' }),
      ]),
    );
    await t.step('http listener on 8080', () =>
      t.http.expectAll(at8080, [
        redirects([undefined, undefined], { scheme: 'http', port: '8080' }),
        redirects([undefined, 80], { scheme: 'http' }),
        redirects(['https', undefined], { scheme: 'https' }),
      ]),
    );
    const ca = await serverCa(t);
    const tls = { ca, serverName: HOST };
    const on443: Expected[] = [
      redirects([undefined, undefined], { scheme: 'https' }, HOST),
      redirects([undefined, 443], { scheme: 'https' }, HOST),
      redirects([undefined, 8443], { scheme: 'https', port: '8443' }, HOST),
      redirects(['http', undefined], { scheme: 'http' }, HOST),
      redirects(['http', 80], { scheme: 'http' }, HOST),
      redirects(['http', 8080], { scheme: 'http', port: '8080' }, HOST),
    ];
    for (const c of on443) {
      await t.step(`https listener on 443 ${c.request.path}`, () => t.http.expect(at443, c, tls));
    }
  },
};
