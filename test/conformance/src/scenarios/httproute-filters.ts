/** Scenarios of the core filters: request header modifier, redirect hostname and status. */
import { backend, filter, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario } from '../scenario.ts';

const SAME = ref(INFRA, 'same-namespace');
const V1 = 'infra-backend-v1';

const headerRule = (path: string, modifier: Record<string, unknown>): Record<string, unknown> =>
  rule({
    matches: [prefix(path)],
    filters: [filter('RequestHeaderModifier', modifier)],
    backends: [backend(V1, 8080)],
  });

const pairs = (o: Record<string, string>): Array<{ name: string; value: string }> =>
  Object.entries(o).map(([name, value]) => ({ name, value }));

/** A request on `path` with `sent` headers; the backend must see `seen` and not `absent`. */
function modified(
  path: string,
  sent: Record<string, string>,
  seen: Record<string, string>,
  absent: string[] = [],
): Expected {
  return {
    request: { path, headers: sent },
    backendRequest: { headers: seen, absentHeaders: absent },
    backend: V1,
    namespace: INFRA,
  };
}

const requestHeaderModifier: Scenario = {
  shortName: 'HTTPRouteRequestHeaderModifier',
  description:
    'set overwrites, add appends, remove drops, several at once, header names case-insensitive.',
  manifests: [
    httpRoute(ref(INFRA, 'request-header-modifier'), {
      parents: [parent('same-namespace')],
      rules: [
        headerRule('/set', { set: pairs({ 'X-Header-Set': 'set-overwrites-values' }) }),
        headerRule('/add', { add: pairs({ 'X-Header-Add': 'add-appends-values' }) }),
        headerRule('/remove', { remove: ['X-Header-Remove'] }),
        headerRule('/multiple', {
          set: pairs({ 'X-Header-Set-1': 'header-set-1', 'X-Header-Set-2': 'header-set-2' }),
          add: pairs({
            'X-Header-Add-1': 'header-add-1',
            'X-Header-Add-2': 'header-add-2',
            'X-Header-Add-3': 'header-add-3',
          }),
          remove: ['X-Header-Remove-1', 'X-Header-Remove-2'],
        }),
        headerRule('/case-insensitivity', {
          set: pairs({ 'X-Header-Set': 'header-set' }),
          add: pairs({ 'X-Header-Add': 'header-add' }),
          remove: ['X-Header-Remove'],
        }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'request-header-modifier');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    const other = { 'Some-Other-Header': 'val' };
    await t.step('requests', () =>
      t.http.expectAll(address, [
        modified('/set', other, { ...other, 'X-Header-Set': 'set-overwrites-values' }),
        modified(
          '/set',
          { ...other, 'X-Header-Set': 'some-other-value' },
          { ...other, 'X-Header-Set': 'set-overwrites-values' },
        ),
        modified('/add', other, { ...other, 'X-Header-Add': 'add-appends-values' }),
        modified(
          '/add',
          { ...other, 'X-Header-Add': 'some-other-value' },
          { ...other, 'X-Header-Add': 'some-other-value,add-appends-values' },
        ),
        modified('/remove', { 'X-Header-Remove': 'val' }, {}, ['X-Header-Remove']),
        modified(
          '/multiple',
          {
            'X-Header-Set-2': 'set-val-2',
            'X-Header-Add-2': 'add-val-2',
            'X-Header-Remove-2': 'remove-val-2',
            'Another-Header': 'another-header-val',
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
        modified(
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
            'Another-Header': 'another-header-val',
          },
          ['x-header-remove', 'X-Header-Remove'],
        ),
      ]),
    );
  },
};

const redirectHostAndStatus: Scenario = {
  shortName: 'HTTPRouteRedirectHostAndStatus',
  description:
    'RequestRedirect to hostname example.org: 302 by default, 301 when asked; path and scheme kept.',
  manifests: [
    httpRoute(ref(INFRA, 'redirect-host-and-status'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({
          matches: [prefix('/hostname-redirect')],
          filters: [filter('RequestRedirect', { hostname: 'example.org' })],
        }),
        rule({
          matches: [prefix('/host-and-status')],
          filters: [filter('RequestRedirect', { statusCode: 301, hostname: 'example.org' })],
        }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'redirect-host-and-status');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('requests', () =>
      t.http.expectAll(address, [
        {
          request: { path: '/hostname-redirect' },
          status: [302],
          redirect: { host: 'example.org' },
          namespace: INFRA,
        },
        {
          request: { path: '/host-and-status' },
          status: [301],
          redirect: { host: 'example.org' },
          namespace: INFRA,
        },
      ]),
    );
  },
};

export const FILTER_SCENARIOS: Scenario[] = [requestHeaderModifier, redirectHostAndStatus];
