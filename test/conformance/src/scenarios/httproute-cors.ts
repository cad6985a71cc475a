/**
 * HTTPRouteCORS: preflights (OPTIONS with Access-Control-Request-Method) are answered by the
 * gateway with the allowed origin echoed and the route's methods, headers, max age and
 * credentials; a refused origin gets no Access-Control-Allow-Origin; simple requests reach
 * the backend and come back with the CORS headers. Where the spec leaves a choice (`*` or the
 * echoed origin, `*` or the requested method), any allowed answer passes, as upstream.
 */
import { backend, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario } from '../scenario.ts';

type Json = Record<string, unknown>;

const SAME = ref(INFRA, 'same-namespace');

const corsRule = (path: string, cors: Json): Json =>
  rule({
    matches: [prefix(path)],
    filters: [{ type: 'CORS', cors }],
    backends: [backend('infra-backend-v1', 8080)],
  });

const ROUTES: Array<[string, Json[]]> = [
  [
    'cors-multiple-origins-methods-headers',
    [
      corsRule('/cors-1', {
        allowOrigins: ['https://www.foo.com', 'https://*.bar.com'],
        allowMethods: ['GET', 'OPTIONS'],
        allowHeaders: ['x-header-1', 'x-header-2'],
        exposeHeaders: ['x-header-3', 'x-header-4'],
        allowCredentials: true,
        maxAge: 3600,
      }),
    ],
  ],
  [
    'cors-wildcard-methods',
    [corsRule('/cors-2', { allowOrigins: ['https://www.foo.com'], allowMethods: ['*'] })],
  ],
  [
    'cors-wildcard-origin',
    [
      corsRule('/cors-wildcard-origin', {
        allowOrigins: ['*'],
        allowMethods: ['PUT'],
        allowCredentials: false,
      }),
    ],
  ],
  [
    'cors-wildcard-methods-headers',
    [
      corsRule('/cors-wildcard-methods-headers', {
        allowOrigins: ['*'],
        allowMethods: ['*'],
        allowHeaders: ['*'],
        allowCredentials: true,
      }),
      corsRule('/cors-wildcard-methods-headers-unauth', {
        allowOrigins: ['*'],
        allowMethods: ['*'],
        allowHeaders: ['*'],
        allowCredentials: false,
      }),
    ],
  ],
];

const ASKED_HEADERS = 'x-header-1, x-header-2';
const EITHER_ORDER = [ASKED_HEADERS, 'x-header-2, x-header-1'];

interface CorsAnswer {
  valid?: Record<string, string[]>;
  exact?: Record<string, string>;
  absent?: string[];
  status?: number[];
}

/** A preflight from `origin` asking for `method` (and `headers`): the gateway answers it. */
function preflight(
  path: string,
  origin: string,
  method: string,
  headers: string | undefined,
  answer: CorsAnswer,
): Expected {
  return {
    request: {
      path,
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'access-control-request-method': method,
        ...(headers === undefined ? {} : { 'access-control-request-headers': headers }),
      },
    },
    backendRequest: { path: '' },
    status: answer.status ?? [200, 204],
    validResponseHeaders: answer.valid ?? {},
    responseHeaders: answer.exact ?? {},
    absentResponseHeaders: answer.absent ?? [],
    ignoreWhitespace: true,
    namespace: '',
  };
}

/** A plain `method` request from `origin` (extra request headers allowed): the backend answers. */
function simple(
  path: string,
  method: string,
  headers: Record<string, string>,
  answer: CorsAnswer,
): Expected {
  return {
    request: { path, method, headers },
    validResponseHeaders: answer.valid ?? {},
    responseHeaders: answer.exact ?? {},
    absentResponseHeaders: answer.absent ?? [],
    namespace: INFRA,
  };
}

/** What /cors-1 answers a preflight from an allowed `origin`. */
const cors1Preflight = (origin: string): Expected =>
  preflight('/cors-1', origin, 'GET', ASKED_HEADERS, {
    valid: {
      'access-control-allow-origin': [origin],
      'access-control-allow-methods': ['GET, OPTIONS', 'OPTIONS, GET'],
      'access-control-allow-headers': EITHER_ORDER,
      'access-control-expose-headers': ['x-header-3, x-header-4', 'x-header-4, x-header-3'],
      'access-control-max-age': ['3600'],
      'access-control-allow-credentials': ['true'],
    },
  });

const asking = (origin: string): Record<string, string> => ({
  Origin: origin,
  'access-control-request-method': 'GET',
  'access-control-request-headers': ASKED_HEADERS,
});

const NO_CREDENTIALS = ['access-control-allow-credentials'];
const ORIGIN = 'access-control-allow-origin';

const CASES: Array<[string, Expected]> = [
  ['preflight from an exact origin', cors1Preflight('https://www.foo.com')],
  ['preflight from a wildcard origin', cors1Preflight('https://www.bar.com')],
  ['preflight from a wildcard origin with more labels', cors1Preflight('https://xpto.www.bar.com')],
  [
    'preflight from a refused origin',
    preflight('/cors-1', 'https://foobar.com', 'GET', undefined, {
      status: [200, 204, 403],
      absent: [ORIGIN],
    }),
  ],
  [
    'simple request from an exact origin',
    simple('/cors-1', 'GET', asking('https://www.foo.com'), {
      exact: { [ORIGIN]: 'https://www.foo.com' },
    }),
  ],
  [
    'simple request from a wildcard origin',
    simple('/cors-1', 'GET', asking('https://www.bar.com'), {
      exact: { [ORIGIN]: 'https://www.bar.com' },
    }),
  ],
  [
    'simple request from a refused origin',
    simple(
      '/cors-1',
      'GET',
      { Origin: 'https://foobar.com', 'access-control-request-method': 'GET' },
      { absent: [ORIGIN] },
    ),
  ],
  [
    'preflight for POST allowed by a * method list',
    preflight('/cors-2', 'https://www.foo.com', 'POST', undefined, {
      valid: { 'access-control-allow-methods': ['POST', '*'] },
      exact: { [ORIGIN]: 'https://www.foo.com' },
      absent: NO_CREDENTIALS,
    }),
  ],
  ...['https://foobar.com', 'https://foobar.com:12345'].map((origin): [string, Expected] => [
    `preflight from ${origin} to a * origin list`,
    preflight('/cors-wildcard-origin', origin, 'PUT', undefined, {
      valid: { [ORIGIN]: [origin, '*'], 'access-control-allow-methods': ['PUT'] },
      absent: NO_CREDENTIALS,
    }),
  ]),
  ...['https://foobar.com:12345', 'https://foobar.com'].map((origin): [string, Expected] => [
    `PUT from ${origin} to a * origin list`,
    simple(
      '/cors-wildcard-origin',
      'PUT',
      { Origin: origin },
      {
        valid: { [ORIGIN]: [origin, '*'] },
        absent: NO_CREDENTIALS,
      },
    ),
  ]),
  [
    'preflight with credentials echoes origin, method and headers',
    preflight('/cors-wildcard-methods-headers', 'https://other.foo.com', 'PUT', ASKED_HEADERS, {
      valid: {
        [ORIGIN]: ['https://other.foo.com'],
        'access-control-allow-methods': ['PUT'],
        'access-control-allow-headers': EITHER_ORDER,
        'access-control-allow-credentials': ['true'],
      },
    }),
  ],
  [
    'preflight without credentials',
    preflight(
      '/cors-wildcard-methods-headers-unauth',
      'https://other.foo.com',
      'PUT',
      ASKED_HEADERS,
      {
        valid: {
          [ORIGIN]: ['https://other.foo.com', '*'],
          'access-control-allow-methods': ['PUT', '*'],
          'access-control-allow-headers': [...EITHER_ORDER, '*'],
        },
        absent: NO_CREDENTIALS,
      },
    ),
  ],
  [
    'GET with credentials',
    simple(
      '/cors-wildcard-methods-headers',
      'GET',
      { Origin: 'https://other.foo.com' },
      {
        valid: {
          [ORIGIN]: ['https://other.foo.com'],
          'access-control-allow-credentials': ['true'],
        },
      },
    ),
  ],
  [
    'GET without credentials',
    simple(
      '/cors-wildcard-methods-headers-unauth',
      'GET',
      { Origin: 'https://other.foo.com' },
      { valid: { [ORIGIN]: ['https://other.foo.com', '*'] }, absent: NO_CREDENTIALS },
    ),
  ],
];

export const httpRouteCors: Scenario = {
  shortName: 'HTTPRouteCORS',
  description:
    'CORS filter: preflights answered with the allowed origin, methods, headers, max age and credentials; refused origins get no CORS headers; simple requests carry them.',
  manifests: ROUTES.map(([name, rules]) =>
    httpRoute(ref(INFRA, name), { parents: [parent('same-namespace')], rules }),
  ),
  async run(t) {
    const routes = ROUTES.map(([name]) => ref(INFRA, name));
    const address = await t.step('gateway and routes accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, routes.slice(0, 2)),
    );
    for (const route of routes)
      await t.step(`ResolvedRefs ${route.name}`, () => t.cluster.routeResolvedRefs(route, SAME));
    for (const [name, c] of CASES) await t.step(name, () => t.http.expect(address, c));
  },
};
