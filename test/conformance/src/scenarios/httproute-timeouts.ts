/** Scenarios of rule timeouts: the whole request and the request to the backend. */
import { backend, INFRA, prefix, rule } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { routeRequestsScenario } from './route-requests.ts';
import { answers, reaches } from './expect.ts';

const V1 = 'infra-backend-v1';

/** A rule on `path` to infra-backend-v1 with the given `timeouts` block. */
const timed = (path: string, timeouts: Record<string, string>): Record<string, unknown> =>
  rule({ matches: [prefix(path)], backends: [backend(V1, 8080)], extra: { timeouts } });

const requestTimeout = routeRequestsScenario(
  'HTTPRouteTimeoutRequest',
  'timeouts.request 500ms: a fast answer passes, a 1s backend gets 504; request 0s disables it.',
  'request-timeout',
  [
    timed('/request-timeout', { request: '500ms' }),
    timed('/disable-request-timeout', { request: '0s' }),
  ],
  [
    reaches('/request-timeout', V1, INFRA),
    answers('/request-timeout?delay=1s', 504),
    reaches('/disable-request-timeout?delay=1s', V1, INFRA),
  ],
);

const backendTimeout = routeRequestsScenario(
  'HTTPRouteTimeoutBackendRequest',
  'timeouts.backendRequest 500ms: a fast answer passes, a backend answering after 1s gets 504.',
  'backend-request-timeout',
  [timed('/backend-timeout', { backendRequest: '500ms' })],
  [reaches('/backend-timeout', V1, INFRA), answers('/backend-timeout?delay=1s', 504)],
);

export const TIMEOUT_SCENARIOS: Scenario[] = [requestTimeout, backendTimeout];
