/** Scenarios of the extended matches: HTTP method and query parameters, alone and combined. */
import { backend, headers, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { answers, reaches } from './expect.ts';

type Json = Record<string, unknown>;

const SAME = ref(INFRA, 'same-namespace');
const V1 = 'infra-backend-v1';
const V2 = 'infra-backend-v2';
const V3 = 'infra-backend-v3';

/** One match ANDing the given parts (path prefix, method, headers, query parameters). */
function match(parts: {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}): Json {
  return {
    ...(parts.path ? prefix(parts.path) : {}),
    ...(parts.method ? { method: parts.method } : {}),
    ...(parts.headers ? headers(parts.headers) : {}),
    ...(parts.query
      ? {
          queryParams: Object.entries(parts.query).map(([name, value]) => ({ name, value })),
        }
      : {}),
  };
}

/** A rule sending any of `matches` to `svc`. */
const to = (svc: string, ...matches: Json[]): Json =>
  rule({ matches, backends: [backend(svc, 8080)] });

const methodMatching: Scenario = {
  shortName: 'HTTPRouteMethodMatching',
  description:
    'Method matches alone, ANDed with path and header matches, ORed across matches, and in precedence.',
  manifests: [
    httpRoute(ref(INFRA, 'method-matching'), {
      parents: [parent('same-namespace')],
      rules: [
        to(V1, match({ method: 'POST' })),
        to(V2, match({ method: 'GET' })),
        to(V1, match({ path: '/path1', method: 'GET' })),
        to(V2, match({ headers: { version: 'one' }, method: 'PUT' })),
        to(V3, match({ path: '/path2', headers: { version: 'two' }, method: 'POST' })),
        to(
          V1,
          match({ path: '/path3', method: 'PATCH' }),
          match({ path: '/path4', headers: { version: 'three' }, method: 'DELETE' }),
        ),
        to(V1, match({ path: '/path5', method: 'PATCH' })),
        to(V2, match({ headers: { version: 'four' }, method: 'PATCH' })),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'method-matching');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    const req = (method: string, path: string, h?: Record<string, string>) => ({
      method,
      path,
      ...(h ? { headers: h } : {}),
    });
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches(req('POST', '/'), V1, INFRA),
        reaches(req('GET', '/'), V2, INFRA),
        answers(req('HEAD', '/'), 404),
        reaches(req('GET', '/path1'), V1, INFRA),
        reaches(req('PUT', '/', { version: 'one' }), V2, INFRA),
        reaches(req('POST', '/path2', { version: 'two' }), V3, INFRA),
        reaches(req('PATCH', '/path3'), V1, INFRA),
        reaches(req('DELETE', '/path4', { version: 'three' }), V1, INFRA),
        answers(req('PUT', '/'), 404),
        answers(req('DELETE', '/path4'), 404),
        reaches(req('PATCH', '/path5'), V1, INFRA),
        reaches(req('PATCH', '/', { version: 'four' }), V2, INFRA),
      ]),
    );
  },
};

const queryParamMatching: Scenario = {
  shortName: 'HTTPRouteQueryParamMatching',
  description:
    'Exact query parameter matches (names case-sensitive, more parameters win), combined with path and header matches.',
  manifests: [
    httpRoute(ref(INFRA, 'query-param-matching'), {
      parents: [parent('same-namespace')],
      rules: [
        to(V1, match({ query: { animal: 'whale' } })),
        to(V2, match({ query: { animal: 'dolphin' } })),
        to(V3, match({ query: { animal: 'dolphin', color: 'blue' } })),
        to(V3, match({ query: { ANIMAL: 'Whale' } })),
        to(V1, match({ path: '/path1', query: { animal: 'whale' } })),
        to(V2, match({ headers: { version: 'one' }, query: { animal: 'whale' } })),
        to(V3, match({ path: '/path2', headers: { version: 'two' }, query: { animal: 'whale' } })),
        to(
          V1,
          match({ path: '/path3', query: { animal: 'shark' } }),
          match({ path: '/path4', headers: { version: 'three' }, query: { animal: 'kraken' } }),
        ),
        to(V1, match({ path: '/path5', query: { animal: 'hydra' } })),
        to(V3, match({ headers: { version: 'four' }, query: { animal: 'hydra' } })),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'query-param-matching');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    const withVersion = (version: string, path: string) => ({ path, headers: { version } });
    await t.step('requests', () =>
      t.http.expectAll(address, [
        reaches('/?animal=whale', V1, INFRA),
        reaches('/?animal=dolphin', V2, INFRA),
        reaches('/?animal=dolphin&color=blue', V3, INFRA),
        reaches('/?ANIMAL=Whale', V3, INFRA),
        reaches('/?animal=whale&otherparam=irrelevant', V1, INFRA),
        reaches('/?animal=dolphin&color=yellow', V2, INFRA),
        answers('/?color=blue', 404),
        answers('/?animal=dog', 404),
        answers('/?animal=whaledolphin', 404),
        answers('/', 404),
        reaches('/path1?animal=whale', V1, INFRA),
        reaches(withVersion('one', '/?animal=whale'), V2, INFRA),
        reaches(withVersion('two', '/path2?animal=whale'), V3, INFRA),
        reaches('/path3?animal=shark', V1, INFRA),
        reaches(withVersion('three', '/path4?animal=kraken'), V1, INFRA),
        answers('/?animal=shark', 404),
        answers('/path4?animal=kraken', 404),
        reaches('/path5?animal=hydra', V1, INFRA),
        reaches(withVersion('four', '/?animal=hydra'), V3, INFRA),
      ]),
    );
  },
};

export const EXTENDED_MATCHING_SCENARIOS: Scenario[] = [methodMatching, queryParamMatching];
