/**
 * HTTPRouteRetry: a rule retrying on 500 up to 3 times and one retrying on 500, 502, 503, 504
 * up to 2 times, in front of the echo's flaky-backend simulation (fails `succeedAfter` times
 * per uuid with `responseCode`). The client gets 200 when the backend recovers within the
 * attempts, else the backend's own error; a code the rule does not list is not retried.
 */
import { randomUUID } from 'node:crypto';
import { backend, httpRoute, INFRA, parent, prefix, ref, rule } from '../builders.ts';
import { compareRoundTrip } from '../http-compare.ts';
import { roundTrip } from '../http-expect.ts';
import type { Scenario } from '../scenario.ts';
import { converge } from './converge.ts';

const SAME = ref(INFRA, 'same-namespace');
const ROUTE = ref(INFRA, 'retries');
const V3 = 'infra-backend-v3';
const ON_500 = '/retry/code-500-attempts-3';
const ON_ALL = '/retry/code-all-attempts-2';

const retryRule = (path: string, codes: number[], attempts: number) =>
  rule({
    matches: [prefix(path)],
    backends: [backend(V3, 8080)],
    extra: { retry: { codes, attempts } },
  });

/** [path, failing code, failures before success, status the client must get] */
const CASES: Array<[string, number, number, number]> = [
  [ON_500, 500, 2, 200],
  [ON_500, 500, 4, 500],
  [ON_500, 503, 2, 503],
  ...[500, 502, 503, 504].flatMap((code): Array<[string, number, number, number]> => [
    [ON_ALL, code, 1, 200],
    [ON_ALL, code, 3, code],
  ]),
];

export const httpRouteRetry: Scenario = {
  shortName: 'HTTPRouteRetry',
  description:
    'retry.codes and retry.attempts: recovered within the attempts gives 200, beyond them the backend error, unlisted codes are not retried.',
  manifests: [
    httpRoute(ROUTE, {
      parents: [parent('same-namespace')],
      rules: [retryRule(ON_500, [500], 3), retryRule(ON_ALL, [500, 502, 503, 504], 2)],
    }),
  ],
  async run(t) {
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [ROUTE]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(ROUTE, SAME));
    for (const [path, code, failures, want] of CASES) {
      const name = `${path}: ${failures} x ${code} -> ${want}`;
      await t.step(name, () =>
        converge(name, async () => {
          // A fresh uuid per probe: the simulation counts failures per uuid.
          const query = `responseCode=${code}&succeedAfter=${failures}&uuid=${randomUUID()}`;
          const e = {
            request: { path: `${path}?${query}` },
            status: [want],
            backend: V3,
            namespace: INFRA,
          };
          return compareRoundTrip(e, 'http', await roundTrip(address, e));
        }),
      );
    }
  },
};
