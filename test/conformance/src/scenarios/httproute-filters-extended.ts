/** Scenarios of the extended filters: response header modifier and the redirect variants. */
import { backend, filter, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario } from '../scenario.ts';
import { routeRequestsScenario } from './route-requests.ts';

type Json = Record<string, unknown>;

const SAME = ref(INFRA, 'same-namespace');
const V1 = 'infra-backend-v1';

const pairs = (o: Record<string, string>): Array<{ name: string; value: string }> =>
  Object.entries(o).map(([name, value]) => ({ name, value }));

/** A rule on `path` modifying the backend's response headers. */
const responseRule = (path: string, modifier: Json): Json =>
  rule({
    matches: [prefix(path)],
    filters: [filter('ResponseHeaderModifier', modifier)],
    backends: [backend(V1, 8080)],
  });

/**
 * A request on `path` whose backend answers with `backendSets` (asked for with
 * `X-Echo-Set-Header`); the client must get `seen` and not `absent`.
 */
function responseModified(
  path: string,
  backendSets: Record<string, string>,
  seen: Record<string, string>,
  absent: string[] = [],
): Expected {
  const echo = Object.entries(backendSets)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return {
    request: { path, headers: { 'X-Echo-Set-Header': echo } },
    responseHeaders: seen,
    absentResponseHeaders: absent,
    backend: V1,
    namespace: INFRA,
  };
}

const responseHeaderModifier: Scenario = {
  shortName: 'HTTPRouteResponseHeaderModifier',
  description:
    'ResponseHeaderModifier: set overwrites, add appends, remove drops, several at once, names case-insensitive.',
  manifests: [
    httpRoute(ref(INFRA, 'response-header-modifier'), {
      parents: [parent('same-namespace')],
      rules: [
        responseRule('/set', { set: pairs({ 'X-Header-Set': 'set-overwrites-values' }) }),
        responseRule('/add', { add: pairs({ 'X-Header-Add': 'add-appends-values' }) }),
        responseRule('/remove', { remove: ['X-Header-Remove'] }),
        responseRule('/multiple', {
          set: pairs({ 'X-Header-Set-1': 'header-set-1', 'X-Header-Set-2': 'header-set-2' }),
          add: pairs({
            'X-Header-Add-1': 'header-add-1',
            'X-Header-Add-2': 'header-add-2',
            'X-Header-Add-3': 'header-add-3',
          }),
          remove: ['X-Header-Remove-1', 'X-Header-Remove-2'],
        }),
        responseRule('/case-insensitivity', {
          set: pairs({ 'X-Header-Set': 'header-set' }),
          add: pairs({
            'X-Header-Add': 'header-add',
            'x-lowercase-add': 'lowercase-add',
            'x-Mixedcase-ADD-1': 'mixedcase-add-1',
            'X-mixeDcase-add-2': 'mixedcase-add-2',
            'X-UPPERCASE-ADD': 'uppercase-add',
          }),
          remove: ['X-Header-Remove'],
        }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'response-header-modifier');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    const other = { 'Some-Other-Header': 'val' };
    await t.step('requests', () =>
      t.http.expectAll(address, [
        responseModified('/set', other, { ...other, 'X-Header-Set': 'set-overwrites-values' }),
        responseModified(
          '/set',
          { ...other, 'X-Header-Set': 'some-other-value' },
          { ...other, 'X-Header-Set': 'set-overwrites-values' },
        ),
        responseModified('/add', other, { ...other, 'X-Header-Add': 'add-appends-values' }),
        responseModified(
          '/add',
          { ...other, 'X-Header-Add': 'some-other-value' },
          { ...other, 'X-Header-Add': 'some-other-value,add-appends-values' },
        ),
        responseModified('/remove', { 'X-Header-Remove': 'val' }, {}, ['X-Header-Remove']),
        responseModified(
          '/multiple',
          {
            'X-Header-Set-2': 'set-val-2',
            'X-Header-Add-2': 'add-val-2',
            'X-Header-Remove-2': 'remove-val-2',
            'Another-Header': 'another-header-val',
            'X-Header-Remove-1': 'val',
          },
          {
            'X-Header-Set-1': 'header-set-1',
            'X-Header-Set-2': 'header-set-2',
            'X-Header-Add-1': 'header-add-1',
            'X-Header-Add-2': 'add-val-2,header-add-2',
            'X-Header-Add-3': 'header-add-3',
            'Another-Header': 'another-header-val',
          },
          ['X-Header-Remove-1', 'X-Header-Remove-2'],
        ),
        responseModified(
          '/case-insensitivity',
          {
            'x-header-set': 'original-val-set',
            'x-header-add': 'original-val-add',
            'x-header-remove': 'original-val-remove',
            'Another-Header': 'another-header-val',
          },
          {
            'X-Header-Set': 'header-set',
            'X-Header-Add': 'original-val-add,header-add',
            'X-Lowercase-Add': 'lowercase-add',
            'X-Mixedcase-Add-1': 'mixedcase-add-1',
            'X-Mixedcase-Add-2': 'mixedcase-add-2',
            'X-Uppercase-Add': 'uppercase-add',
            'Another-Header': 'another-header-val',
          },
          ['x-header-remove', 'X-Header-Remove'],
        ),
      ]),
    );
  },
};

/** A rule on `path` answering with a redirect configured by `redirect`. */
const redirectRule = (path: string, redirect: Json): Json =>
  rule({ matches: [prefix(path)], filters: [filter('RequestRedirect', redirect)] });

const prefixTo = (value: string): Json => ({
  type: 'ReplacePrefixMatch',
  replacePrefixMatch: value,
});
const fullTo = (value: string): Json => ({ type: 'ReplaceFullPath', replaceFullPath: value });

/** `request` (GET unless `method`) must be redirected with `status` to `target`. */
function redirected(
  path: string,
  status: number,
  target: NonNullable<Expected['redirect']>,
  method?: string,
): Expected {
  return {
    request: { path, ...(method ? { method } : {}) },
    status: [status],
    redirect: target,
    namespace: INFRA,
  };
}

const HOST = 'example.org';

const redirectPath = routeRequestsScenario(
  'HTTPRouteRedirectPath',
  'RequestRedirect path: prefix and full replacement, alone and with hostname or status.',
  'redirect-path',
  [
    redirectRule('/original-prefix', { path: prefixTo('/replacement-prefix') }),
    redirectRule('/full', { path: fullTo('/full-path-replacement') }),
    redirectRule('/path-and-host', { hostname: HOST, path: prefixTo('/replacement-prefix') }),
    redirectRule('/path-and-status', { statusCode: 301, path: prefixTo('/replacement-prefix') }),
    redirectRule('/full-path-and-host', { hostname: HOST, path: fullTo('/replacement-full') }),
    redirectRule('/full-path-and-status', { statusCode: 301, path: fullTo('/replacement-full') }),
  ],
  [
    redirected('/original-prefix/lemon', 302, { path: '/replacement-prefix/lemon' }),
    redirected('/full/path/original', 302, { path: '/full-path-replacement' }),
    redirected('/path-and-host', 302, { host: HOST, path: '/replacement-prefix' }),
    redirected('/path-and-status', 301, { path: '/replacement-prefix' }),
    redirected('/full-path-and-host', 302, { host: HOST, path: '/replacement-full' }),
    redirected('/full-path-and-status', 301, { path: '/replacement-full' }),
  ],
);

const redirectPort = routeRequestsScenario(
  'HTTPRouteRedirectPort',
  'RequestRedirect port 8083, alone and with hostname and/or status.',
  'redirect-port',
  [
    redirectRule('/port', { port: 8083 }),
    redirectRule('/port-and-host', { port: 8083, hostname: HOST }),
    redirectRule('/port-and-status', { port: 8083, statusCode: 301 }),
    redirectRule('/port-and-host-and-status', { port: 8083, hostname: HOST, statusCode: 302 }),
  ],
  [
    redirected('/port', 302, { port: '8083' }),
    redirected('/port-and-host', 302, { host: HOST, port: '8083' }),
    redirected('/port-and-status', 301, { port: '8083' }),
    redirected('/port-and-host-and-status', 302, { host: HOST, port: '8083' }),
  ],
);

const redirectScheme = routeRequestsScenario(
  'HTTPRouteRedirectScheme',
  'RequestRedirect scheme https (default port dropped), alone and with hostname and/or status.',
  'redirect-scheme',
  [
    redirectRule('/scheme', { scheme: 'https' }),
    redirectRule('/scheme-and-host', { scheme: 'https', hostname: HOST }),
    redirectRule('/scheme-and-status', { scheme: 'https', statusCode: 301 }),
    redirectRule('/scheme-and-host-and-status', {
      scheme: 'https',
      hostname: HOST,
      statusCode: 302,
    }),
  ],
  [
    redirected('/scheme', 302, { scheme: 'https' }),
    redirected('/scheme-and-host', 302, { scheme: 'https', host: HOST }),
    redirected('/scheme-and-status', 301, { scheme: 'https' }),
    redirected('/scheme-and-host-and-status', 302, { scheme: 'https', host: HOST }),
  ],
);

const redirect303 = routeRequestsScenario(
  'HTTPRoute303Redirect',
  'RequestRedirect statusCode 303: a POST is answered 303 to the same path.',
  '303-redirect',
  [redirectRule('/see-other', { statusCode: 303 })],
  [redirected('/see-other', 303, { path: '/see-other' }, 'POST')],
);

const redirect307 = routeRequestsScenario(
  'HTTPRoute307Redirect',
  'RequestRedirect statusCode 307 keeps the path.',
  '307-redirect',
  [redirectRule('/temporary', { statusCode: 307 })],
  [redirected('/temporary', 307, { path: '/temporary' })],
);

const redirect308 = routeRequestsScenario(
  'HTTPRoute308Redirect',
  'RequestRedirect statusCode 308 keeps the path.',
  '308-redirect',
  [redirectRule('/permanent', { statusCode: 308 })],
  [redirected('/permanent', 308, { path: '/permanent' })],
);

export const EXTENDED_FILTER_SCENARIOS: Scenario[] = [
  responseHeaderModifier,
  redirectPath,
  redirectPort,
  redirectScheme,
  redirect303,
  redirect307,
  redirect308,
];
