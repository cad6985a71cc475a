/**
 * RequestMirror scenarios: one mirror, two mirrors, and mirrors of a share of the requests.
 * The client's answer must come from the rule's backend (with the rule's header changes);
 * the mirror backends must log the same request target, which carries a fresh request id
 * so that a log line belongs to exactly one case (upstream reads the pods' logs the same way).
 */
import { randomUUID } from 'node:crypto';
import type { Backends } from '../backends.ts';
import { backend, filter, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import { compareRoundTrip, type Expected } from '../http-compare.ts';
import { roundTrip } from '../http-expect.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';

type Json = Record<string, unknown>;

const SAME = ref(INFRA, 'same-namespace');
const V1 = 'infra-backend-v1';
const REQUEST_ID = 'gateway-api-conformance-request-id';

/** The header changes the `*-modify-headers` rules make, and what the backend must see. */
const MODIFY = filter('RequestHeaderModifier', {
  set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }],
  add: [
    { name: 'X-Header-Add', value: 'header-val-1' },
    { name: 'X-Header-Add-Append', value: 'header-val-2' },
  ],
  remove: ['X-Header-Remove'],
});

/** A mirror filter to an infra backend, of `share` (upstream's `percent` or `fraction`). */
const mirror = (app: string, share: Json = {}): Json =>
  filter('RequestMirror', {
    backendRef: { name: app, namespace: INFRA, port: 8080 },
    ...share,
  });

const mirrorRule = (path: string, filters: Json[]): Json =>
  rule({
    matches: [prefix(path)],
    filters,
    backends: [backend(V1, 8080, { namespace: INFRA })],
  });

/** The case for `path` with a fresh request id (plain, or with the header changes). */
function mirroredCase(path: string, modified: boolean): Expected {
  const target = `${path}?${REQUEST_ID}=${randomUUID()}`;
  if (!modified) return { request: { path: target }, backend: V1, namespace: INFRA };
  return {
    request: {
      path: target,
      headers: { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1' },
    },
    backendRequest: {
      headers: {
        'X-Header-Add': 'header-val-1',
        'X-Header-Add-Append': 'append-val-1,header-val-2',
        'X-Header-Set': 'set-overwrites-values',
      },
      absentHeaders: ['X-Header-Remove'],
    },
    backend: V1,
    namespace: INFRA,
  };
}

/** How many requests for exactly `target` the pods of `app` logged. */
function logged(backends: Backends, app: string, target: string): number {
  return backends
    .pods(INFRA, app)
    .reduce((n, pod) => n + pod.echo.requests().filter((r) => r.path === target).length, 0);
}

/** Waits until every app in `mirrors` logged `target` (upstream: within the request timeout). */
async function mirroredTo(backends: Backends, mirrors: string[], target: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const missing = mirrors.filter((app) => logged(backends, app, target) === 0);
    if (missing.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`no mirrored ${target} in the logs of ${missing.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A scenario of one route whose cases must be answered by v1 and mirrored to `mirrors`. */
function mirrorScenario(
  shortName: string,
  description: string,
  routeName: string,
  mirrors: string[],
  paths: [plain: string, modified: string],
): Scenario {
  const route = ref(INFRA, routeName);
  const filters = mirrors.map((app) => mirror(app));
  return {
    shortName,
    description,
    manifests: [
      httpRoute(route, {
        parents: [parent('same-namespace')],
        rules: [mirrorRule(paths[0], filters), mirrorRule(paths[1], [MODIFY, ...filters])],
      }),
    ],
    async run(t) {
      const address = await t.step('gateway and route accepted', () =>
        t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
      );
      for (const [i, path] of paths.entries()) {
        const c = mirroredCase(path, i === 1);
        await t.step(`${path} answered by ${V1}`, () => t.http.expect(address, c));
        await t.step(`${path} mirrored to ${mirrors.join(' and ')}`, () =>
          mirroredTo(t.backends, mirrors, c.request.path),
        );
      }
    },
  };
}

export const requestMirror = mirrorScenario(
  'HTTPRouteRequestMirror',
  'RequestMirror to infra-backend-v2: v1 answers (header changes applied), v2 logs the same request.',
  'request-mirror',
  ['infra-backend-v2'],
  ['/mirror', '/mirror-and-modify-headers'],
);

export const requestMultipleMirrors = mirrorScenario(
  'HTTPRouteRequestMultipleMirrors',
  'Two RequestMirror filters (v2 and v3): v1 answers, both mirrors log the request.',
  'request-multiple-mirrors',
  ['infra-backend-v2', 'infra-backend-v3'],
  ['/multi-mirror', '/multi-mirror-and-modify-request-headers'],
);

/** Upstream's distribution check: 500 requests, 10 at a time, 3 binomial deviations, 5 tries. */
const TOTAL = 500;
const CONCURRENCY = 10;
const DEVIATIONS = 3;
const CHECKS = 5;

/** Sends `TOTAL` requests of `base` (with one fresh request id) and checks the mirrored share. */
async function distributionOnce(
  t: ScenarioContext,
  address: string,
  base: Expected,
  percent: number,
): Promise<string> {
  const target = `${base.request.path.split('?')[0] ?? ''}?${REQUEST_ID}=${randomUUID()}`;
  const e: Expected = { ...base, request: { ...base.request, path: target } };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      next++;
      const miss = compareRoundTrip(e, 'http', await roundTrip(address, e));
      if (miss !== undefined) throw new Error(miss);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // Mirrors may finish after the answers: wait until the count stops moving.
  let count = -1;
  for (let still = 0; still < 3;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = logged(t.backends, 'infra-backend-v2', target);
    still = now === count ? still + 1 : 0;
    count = now;
  }
  const p = percent / 100;
  const margin = DEVIATIONS * Math.sqrt(TOTAL * p * (1 - p));
  const expected = TOTAL * p;
  if (Math.abs(count - expected) <= margin) return '';
  return `${count} of ${TOTAL} mirrored, expected ${expected} ± ${margin.toFixed(1)}`;
}

const PERCENT_ROUTE = ref(INFRA, 'request-percentage-mirror');

export const requestPercentageMirror: Scenario = {
  shortName: 'HTTPRouteRequestPercentageMirror',
  description:
    'Mirrors of 20 %, of a 25/50 fraction and of 35 % (with header changes): the mirrored count stays within 3 binomial deviations.',
  manifests: [
    httpRoute(PERCENT_ROUTE, {
      parents: [parent('same-namespace')],
      rules: [
        mirrorRule('/percent-mirror', [mirror('infra-backend-v2', { percent: 20 })]),
        mirrorRule('/percent-mirror-fraction', [
          mirror('infra-backend-v2', { fraction: { numerator: 25, denominator: 50 } }),
        ]),
        mirrorRule('/percent-mirror-and-modify-headers', [
          MODIFY,
          mirror('infra-backend-v2', { percent: 35 }),
        ]),
      ],
    }),
  ],
  async run(t) {
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [PERCENT_ROUTE]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(PERCENT_ROUTE, SAME));
    const cases: Array<[string, boolean, number]> = [
      ['/percent-mirror', false, 20],
      ['/percent-mirror-fraction', false, 50],
      ['/percent-mirror-and-modify-headers', true, 35],
    ];
    for (const [path, modified, percent] of cases) {
      const base = mirroredCase(path, modified);
      await t.step(`${path} answered by ${V1}`, () => t.http.expect(address, base));
      await t.step(`${path} mirrored ${percent} %`, async () => {
        const misses: string[] = [];
        for (let k = 0; k < CHECKS; k++) {
          const miss = await distributionOnce(t, address, base, percent);
          if (miss === '') return;
          misses.push(miss);
        }
        throw new Error(`distribution: ${misses.join('; ')}`);
      });
    }
  },
};
