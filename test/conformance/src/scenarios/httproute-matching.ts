/** Scenarios of matching beyond a single path: path OR header matches, across rules and routes. */
import { backend, headers, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { answers, at, reaches } from './expect.ts';

const SAME = ref(INFRA, 'same-namespace');
const V1 = 'infra-backend-v1';
const V2 = 'infra-backend-v2';

/** Rules that match a path prefix OR a `version` header. */
const prefixOrVersion = (path: string, version: string, svc: string): Record<string, unknown> =>
  rule({ matches: [prefix(path), headers({ version })], backends: [backend(svc, 8080)] });

const matching: Scenario = {
  shortName: 'HTTPRouteMatching',
  description:
    'Two rules (prefix / or version: one; prefix /v2 or version: two): longest prefix and header matches pick the backend.',
  manifests: [
    httpRoute(ref(INFRA, 'matching'), {
      parents: [parent('same-namespace')],
      rules: [prefixOrVersion('/', 'one', V1), prefixOrVersion('/v2', 'two', V2)],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'matching');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches('/', V1, INFRA),
        reaches('/example', V1, INFRA),
        reaches({ path: '/', headers: { Version: 'one' } }, V1, INFRA),
        reaches('/v2', V2, INFRA),
        reaches('/v2/example', V2, INFRA),
        reaches({ path: '/', headers: { Version: 'two' } }, V2, INFRA),
        reaches('/v2/', V2, INFRA),
        reaches('/v2example', V1, INFRA),
        reaches('/foo/v2/example', V1, INFRA),
      ]),
    );
  },
};

const matchingAcrossRoutes: Scenario = {
  shortName: 'HTTPRouteMatchingAcrossRoutes',
  description:
    'The same matches split over two routes with different hostnames: precedence holds across routes.',
  manifests: [
    httpRoute(ref(INFRA, 'matching-part1'), {
      parents: [parent('same-namespace')],
      hostnames: ['example.com', 'example.net'],
      rules: [prefixOrVersion('/', 'one', V1)],
    }),
    httpRoute(ref(INFRA, 'matching-part2'), {
      parents: [parent('same-namespace')],
      hostnames: ['example.com'],
      rules: [prefixOrVersion('/v2', 'two', V2)],
    }),
  ],
  async run(t) {
    const routes = [ref(INFRA, 'matching-part1'), ref(INFRA, 'matching-part2')];
    const address = await t.step('gateway and routes accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, routes),
    );
    for (const route of routes)
      await t.step(`ResolvedRefs ${route.name}`, () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches(at('example.com', '/'), V1, INFRA),
        reaches(at('example.com', '/example'), V1, INFRA),
        reaches(at('example.net', '/example'), V1, INFRA),
        reaches({ host: 'example.com', path: '/example', headers: { Version: 'one' } }, V1, INFRA),
        reaches(at('example.com', '/v2'), V2, INFRA),
        reaches(at('example.net', '/v2'), V1, INFRA),
        reaches(at('example.com', '/v2/example'), V2, INFRA),
        reaches({ host: 'example.com', path: '/', headers: { Version: 'two' } }, V2, INFRA),
      ]),
    );
  },
};

const headerMatching: Scenario = {
  shortName: 'HTTPRouteHeaderMatching',
  description:
    'Header-only matches: single headers, two headers ANDed (more specific wins), alternatives ORed.',
  manifests: [
    httpRoute(ref(INFRA, 'header-matching'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({ matches: [headers({ version: 'one' })], backends: [backend(V1, 8080)] }),
        rule({ matches: [headers({ version: 'two' })], backends: [backend(V2, 8080)] }),
        rule({
          matches: [headers({ version: 'two', color: 'orange' })],
          backends: [backend(V1, 8080)],
        }),
        rule({
          matches: [headers({ color: 'blue' }), headers({ color: 'green' })],
          backends: [backend(V1, 8080)],
        }),
        rule({
          matches: [headers({ color: 'red' }), headers({ color: 'yellow' })],
          backends: [backend(V2, 8080)],
        }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'header-matching');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    const with_ = (
      h: Record<string, string>,
    ): { path: string; headers: Record<string, string> } => ({ path: '/', headers: h });
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches(with_({ Version: 'one' }), V1, INFRA),
        reaches(with_({ Version: 'two' }), V2, INFRA),
        reaches(with_({ Version: 'two', Color: 'orange' }), V1, INFRA),
        reaches(with_({ Version: 'two', Color: 'blue' }), V2, INFRA),
        answers(with_({ Color: 'orange' }), 404),
        answers(with_({ 'Some-Other-Header': 'one' }), 404),
        reaches(with_({ Color: 'blue' }), V1, INFRA),
        reaches(with_({ Color: 'green' }), V1, INFRA),
        reaches(with_({ Color: 'red' }), V2, INFRA),
        reaches(with_({ Color: 'yellow' }), V2, INFRA),
        answers(with_({ Color: 'purple' }), 404),
      ]),
    );
  },
};

export const MATCHING_SCENARIOS: Scenario[] = [matching, matchingAcrossRoutes, headerMatching];
