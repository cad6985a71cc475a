/** Scenarios of the URLRewrite filter: path and hostname rewrites, alone and with header changes. */
import { backend, filter, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario } from '../scenario.ts';

type Json = Record<string, unknown>;

const SAME = ref(INFRA, 'same-namespace');
const V1 = 'infra-backend-v1';
const V2 = 'infra-backend-v2';

/** The request header changes both rewrite scenarios combine with a rewrite. */
const HEADER_CHANGES = filter('RequestHeaderModifier', {
  set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }],
  add: [
    { name: 'X-Header-Add', value: 'header-val-1' },
    { name: 'X-Header-Add-Append', value: 'header-val-2' },
  ],
  remove: ['X-Header-Remove'],
});

/** What the backend must see after HEADER_CHANGES. */
const CHANGED = {
  'X-Header-Add': 'header-val-1',
  'X-Header-Add-Append': 'append-val-1,header-val-2',
  'X-Header-Set': 'set-overwrites-values',
};

const rewriteRule = (path: string, rewrite: Json, svc: string, extra: Json[] = []): Json =>
  rule({
    matches: [prefix(path)],
    filters: [{ type: 'URLRewrite', urlRewrite: rewrite }, ...extra],
    backends: [backend(svc, 8080)],
  });

const prefixTo = (value: string): Json => ({
  path: { type: 'ReplacePrefixMatch', replacePrefixMatch: value },
});
const fullTo = (value: string): Json => ({
  path: { type: 'ReplaceFullPath', replaceFullPath: value },
});

/** `sent` must reach `svc` as `seen` (path, host, headers), with X-Header-Remove gone if asked. */
function rewritten(
  sent: Expected['request'],
  seen: NonNullable<Expected['backendRequest']>,
  svc: string,
): Expected {
  return { request: sent, backendRequest: seen, backend: svc, namespace: INFRA };
}

const SENT_HEADERS = { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1' };

const rewritePath: Scenario = {
  shortName: 'HTTPRouteRewritePath',
  description:
    'URLRewrite path: prefix and full replacement, and each combined with request header changes.',
  manifests: [
    httpRoute(ref(INFRA, 'rewrite-path'), {
      parents: [parent('same-namespace')],
      rules: [
        rewriteRule('/prefix/one', prefixTo('/one'), V1),
        rewriteRule('/full/one', fullTo('/one'), V1),
        rewriteRule('/full/rewrite-path-and-modify-headers', fullTo('/test'), V1, [HEADER_CHANGES]),
        rewriteRule('/prefix/rewrite-path-and-modify-headers', prefixTo('/prefix'), V1, [
          HEADER_CHANGES,
        ]),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'rewrite-path');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    const sent = { ...SENT_HEADERS, 'X-Header-Set': 'set-val' };
    const gone = ['X-Header-Remove'];
    await t.step('requests', () =>
      t.http.expectAll(address, [
        rewritten({ path: '/prefix/one/two' }, { path: '/one/two' }, V1),
        rewritten({ path: '/full/one/two' }, { path: '/one' }, V1),
        rewritten(
          { path: '/full/rewrite-path-and-modify-headers/test', headers: sent },
          { path: '/test', headers: CHANGED, absentHeaders: gone },
          V1,
        ),
        rewritten(
          { path: '/prefix/rewrite-path-and-modify-headers/one', headers: sent },
          { path: '/prefix/one', headers: CHANGED, absentHeaders: gone },
          V1,
        ),
      ]),
    );
  },
};

const rewriteHost: Scenario = {
  shortName: 'HTTPRouteRewriteHost',
  description:
    'URLRewrite hostname: the backend sees the new Host, also combined with request header changes.',
  manifests: [
    httpRoute(ref(INFRA, 'rewrite-host'), {
      parents: [parent('same-namespace')],
      hostnames: ['rewrite.example'],
      rules: [
        rewriteRule('/one', { hostname: 'one.example.org' }, V1),
        rewriteRule('/two', { hostname: 'example.org' }, V2),
        rewriteRule('/rewrite-host-and-modify-headers', { hostname: 'test.example.org' }, V2, [
          HEADER_CHANGES,
        ]),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'rewrite-host');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    const host = 'rewrite.example';
    await t.step('requests', () =>
      t.http.expectAll(address, [
        rewritten({ host, path: '/one' }, { host: 'one.example.org', path: '/one' }, V1),
        rewritten({ host, path: '/two' }, { host: 'example.org', path: '/two' }, V2),
        rewritten(
          { host, path: '/rewrite-host-and-modify-headers', headers: SENT_HEADERS },
          {
            host: 'test.example.org',
            path: '/rewrite-host-and-modify-headers',
            headers: CHANGED,
            absentHeaders: ['X-Header-Remove'],
          },
          V2,
        ),
      ]),
    );
  },
};

export const REWRITE_SCENARIOS: Scenario[] = [rewriteHost, rewritePath];
