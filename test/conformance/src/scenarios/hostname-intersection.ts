/** HTTPRouteHostnameIntersection: routes attach only where their hostnames meet a listener's. */
import {
  CONTROLLER_NAME,
  GATEWAY_GROUP,
  backend,
  gateway,
  http,
  httpRoute,
  INFRA,
  parent,
  prefix,
  ref,
  rule,
} from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario } from '../scenario.ts';
import { answers, at, cond, listenerStatus, reaches } from './expect.ts';

const GW = ref(INFRA, 'httproute-hostname-intersection');
const GW_ALL = ref(INFRA, 'httproute-hostname-intersection-all');
const V1 = 'infra-backend-v1';
const V2 = 'infra-backend-v2';
const V3 = 'infra-backend-v3';

const routeOn = (
  name: string,
  hostnames: string[],
  path: string,
  svc: string,
  gw = GW.name,
): ReturnType<typeof httpRoute> =>
  httpRoute(ref(INFRA, name), {
    parents: [parent(gw, { namespace: INFRA })],
    hostnames,
    rules: [rule({ ...(path ? { matches: [prefix(path)] } : {}), backends: [backend(svc, 8080)] })],
  });

const INTERSECTING = [
  'specific-host-matches-listener-specific-host',
  'specific-host-matches-listener-wildcard-host',
  'wildcard-host-matches-listener-specific-host',
  'wildcard-host-matches-listener-wildcard-host',
];

/** What the attached routes serve, and what they must not. */
const CASES: Expected[] = [
  reaches(at('very.specific.com', '/s1'), V1, INFRA),
  reaches(at('very.specific.com:1234', '/s1'), V1, INFRA),
  answers(at('non.matching.com', '/s1'), 404),
  answers(at('foo.nonmatchingwildcard.io', '/s1'), 404),
  answers(at('foo.wildcard.io', '/s1'), 404),
  answers(at('very.specific.com', '/non-matching-prefix'), 404),
  reaches(at('foo.wildcard.io', '/s2'), V2, INFRA),
  reaches(at('bar.wildcard.io', '/s2'), V2, INFRA),
  reaches(at('foo.bar.wildcard.io', '/s2'), V2, INFRA),
  answers(at('non.matching.com', '/s2'), 404),
  answers(at('wildcard.io', '/s2'), 404),
  answers(at('very.specific.com', '/s2'), 404),
  answers(at('foo.wildcard.io', '/non-matching-prefix'), 404),
  reaches(at('very.specific.com', '/s3'), V3, INFRA),
  answers(at('non.matching.com', '/s3'), 404),
  answers(at('foo.specific.com', '/s3'), 404),
  answers(at('foo.wildcard.io', '/s3'), 404),
  answers(at('very.specific.com', '/non-matching-prefix'), 404),
  reaches(at('foo.anotherwildcard.io', '/s4'), V1, INFRA),
  reaches(at('bar.anotherwildcard.io', '/s4'), V1, INFRA),
  reaches(at('foo.bar.anotherwildcard.io', '/s4'), V1, INFRA),
  answers(at('anotherwildcard.io', '/s4'), 404),
  answers(at('foo.wildcard.io', '/s4'), 404),
  answers(at('very.specific.com', '/s4'), 404),
  answers(at('foo.anotherwildcard.io', '/non-matching-prefix'), 404),
];

const ACCEPTED = [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')];

export const hostnameIntersection: Scenario = {
  shortName: 'HTTPRouteHostnameIntersection',
  description:
    'Routes attach to listeners whose hostnames intersect theirs and serve only the intersection; the others are NoMatchingListenerHostname and not counted.',
  manifests: [
    gateway(GW, [
      http('listener-1', { hostname: 'very.specific.com' }),
      http('listener-2', { hostname: '*.wildcard.io' }),
      http('listener-3', { hostname: '*.anotherwildcard.io' }),
    ]),
    gateway(GW_ALL, [http('listener-1')]),
    routeOn(
      INTERSECTING[0] ?? '',
      ['non.matching.com', '*.nonmatchingwildcard.io', 'very.specific.com'],
      '/s1',
      V1,
    ),
    routeOn(
      INTERSECTING[1] ?? '',
      [
        'non.matching.com',
        'wildcard.io',
        'foo.wildcard.io',
        'bar.wildcard.io',
        'foo.bar.wildcard.io',
      ],
      '/s2',
      V2,
    ),
    routeOn(INTERSECTING[2] ?? '', ['non.matching.com', '*.specific.com'], '/s3', V3),
    routeOn(INTERSECTING[3] ?? '', ['*.anotherwildcard.io'], '/s4', V1),
    routeOn('no-intersecting-hosts', ['specific.but.wrong.com', 'wildcard.io'], '/s5', V2),
    routeOn(
      'httproute-hostname-intersection-all',
      ['first.com', 'sub.first.com', 'second.com', 'sub.second.com'],
      '',
      V2,
      GW_ALL.name,
    ),
  ],
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('intersecting routes', async () => {
      const routes = INTERSECTING.map((name) => ref(INFRA, name));
      const address = await t.cluster.gatewayAndRoutesAccepted(GW, routes);
      for (const route of routes) await t.cluster.routeResolvedRefs(route, GW);
      await t.http.expectAll(address, CASES);
    });
    await t.step('route without intersection', async () => {
      const address = await t.cluster.gatewayAndRoutesAccepted(GW, []);
      await t.cluster.routeParents(
        ref(INFRA, 'no-intersecting-hosts'),
        [
          {
            parentRef: { group: GATEWAY_GROUP, kind: 'Gateway', namespace: INFRA, name: GW.name },
            controllerName: CONTROLLER_NAME,
            conditions: [cond('Accepted', 'False', 'NoMatchingListenerHostname')],
          },
        ],
        true,
      );
      await t.http.expectAll(address, [
        answers(at('specific.but.wrong.com', '/s5'), 404),
        answers(at('wildcard.io', '/s5'), 404),
      ]);
    });
    await t.step('attachedRoutes counts accepted routes only', () =>
      t.cluster.gatewayListeners(GW, [
        listenerStatus('listener-1', 2, ACCEPTED),
        listenerStatus('listener-2', 1, ACCEPTED),
        listenerStatus('listener-3', 1, ACCEPTED),
      ]),
    );
    await t.step('listener without hostname', async () => {
      const route = ref(INFRA, 'httproute-hostname-intersection-all');
      const address = await t.cluster.gatewayAndRoutesAccepted(GW_ALL, [route]);
      await t.cluster.routeResolvedRefs(route, GW_ALL);
      await t.http.expectAll(address, [
        reaches(at('first.com', '/'), V2, INFRA),
        reaches(at('sub.first.com', '/'), V2, INFRA),
        reaches(at('second.com', '/'), V2, INFRA),
        reaches(at('sub.second.com', '/'), V2, INFRA),
        answers(at('third.com', '/'), 404),
        answers(at('sub.third.com', '/'), 404),
      ]);
    });
  },
};
