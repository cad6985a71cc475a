/**
 * Scenarios 2 to 6 of issue 3 on one shared stack, each in its own namespace and hostname:
 * route changes change what NGINX serves, deleted routes stop being served, EndpointSlices
 * move traffic, listeners refuse routes from namespaces they do not allow, and a missing
 * backend answers 500. Everything is driven with kubectl and observed through NGINX.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcho, type RunningEcho } from '@portico/testing';
import { endpointSlice, httpRoute, type RouteSpec } from './support/manifests.ts';
import {
  conditionState,
  routeConditions,
  summary,
  ask,
  tally,
  waitForAnswer,
  waitForCondition,
} from './support/observe.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

const SEED_GATEWAY = 'default/my-gateway';
let e2e: E2EStack;
let blue: RunningEcho;
let green: RunningEcho;
const url = () => e2e.listenerUrl(80);

beforeAll(async () => {
  e2e = await startE2EStack({ listenerPorts: [80, 81] });
  [blue, green] = await Promise.all([
    startEcho({ namespace: 'e2e-traffic', pod: 'blue-1', service: 'blue' }),
    startEcho({ namespace: 'e2e-traffic', pod: 'green-1', service: 'green' }),
  ]);
  await e2e.applyFixture('traffic.yaml');
  for (const [service, echo] of [
    ['blue', blue],
    ['green', green],
    ['mover', blue],
  ] as const) {
    await e2e.apply(endpointSlice({ namespace: 'e2e-traffic', service, port: echo.port }));
  }
  await e2e.stack.waitForGatewayProgrammed('default', 'my-gateway', 60_000);
});

afterAll(async () => {
  await Promise.all([blue?.stop(), green?.stop()]);
  await e2e?.stop();
});

function trafficRoute(
  name: string,
  host: string,
  pathPrefix: string,
  backends: RouteSpec['rules'][number]['backends'],
): string {
  return httpRoute({
    namespace: 'e2e-traffic',
    name,
    gateway: SEED_GATEWAY,
    hostnames: [host],
    rules: [{ pathPrefix, backends }],
  });
}

/** How long the previous configuration may still answer after the new one does (old workers). */
const OLD_CONFIG_GONE_MS = 5_000;

describe('changing a route changes what is served', () => {
  it('moves a path prefix from /v1 to /v2', async () => {
    await e2e.apply(trafficRoute('paths', 'paths.e2e.local', '/v1', [{ name: 'blue' }]));
    await waitForAnswer(url(), 'paths.e2e.local', '/v1/x', '200 blue-1');
    expect(summary(await ask(url(), 'paths.e2e.local', '/v2/x'))).toBe('404');

    await e2e.apply(trafficRoute('paths', 'paths.e2e.local', '/v2', [{ name: 'blue' }]));
    await waitForAnswer(url(), 'paths.e2e.local', '/v2/x', '200 blue-1');
    // Both changes arrive in one reload: once /v2 is served, /v1 goes with the old NGINX
    // workers, which may still answer for a moment (~100 ms) after the new ones start.
    await waitForAnswer(url(), 'paths.e2e.local', '/v1/x', '404', OLD_CONFIG_GONE_MS);
  });

  it('moves the route to another hostname', async () => {
    await e2e.apply(trafficRoute('paths', 'paths-renamed.e2e.local', '/v2', [{ name: 'blue' }]));
    await waitForAnswer(url(), 'paths-renamed.e2e.local', '/v2/x', '200 blue-1');
    await waitForAnswer(url(), 'paths.e2e.local', '/v2/x', '404', OLD_CONFIG_GONE_MS);
  });

  it('sends everything to the backend of weight 1 and nothing to the one of weight 0', async () => {
    const route = (b: number, g: number) =>
      trafficRoute('weights', 'weights.e2e.local', '/', [
        { name: 'blue', weight: b },
        { name: 'green', weight: g },
      ]);
    await e2e.apply(route(1, 0));
    await waitForAnswer(url(), 'weights.e2e.local', '/', '200 blue-1');
    expect(await tally(url(), 'weights.e2e.local', '/', 30)).toEqual(new Map([['200 blue-1', 30]]));

    await e2e.apply(route(0, 1));
    await waitForAnswer(url(), 'weights.e2e.local', '/', '200 green-1');
    expect(await tally(url(), 'weights.e2e.local', '/', 30)).toEqual(
      new Map([['200 green-1', 30]]),
    );
  });

  it('splits 3:1 between blue and green over 200 requests (tolerant bound)', async () => {
    await e2e.apply(
      trafficRoute('weights', 'weights.e2e.local', '/', [
        { name: 'blue', weight: 3 },
        { name: 'green', weight: 1 },
      ]),
    );
    // Under 0:1 only green answered; blue answering means the 3:1 split is live.
    await waitForAnswer(url(), 'weights.e2e.local', '/', '200 blue-1');
    const counts = await tally(url(), 'weights.e2e.local', '/', 200);
    const blueCount = counts.get('200 blue-1') ?? 0;
    const greenCount = counts.get('200 green-1') ?? 0;
    expect(blueCount + greenCount, JSON.stringify([...counts])).toBe(200);
    // Expected 150 blue; 120..180 is five standard deviations either side.
    expect(blueCount).toBeGreaterThanOrEqual(120);
    expect(blueCount).toBeLessThanOrEqual(180);
  });
});

describe('deleting a route', () => {
  it('gives 404 for what it served, and leaves other routes served', async () => {
    await waitForAnswer(url(), 'paths-renamed.e2e.local', '/v2/x', '200 blue-1');
    await e2e.stack.kubectl(['delete', 'httproute', 'paths', '-n', 'e2e-traffic']);
    await waitForAnswer(url(), 'paths-renamed.e2e.local', '/v2/x', '404');
    expect(summary(await ask(url(), 'www.example.local', '/'))).toBe('200 httpbin-local-1');
  });
});

describe('moving an EndpointSlice to another echo process', () => {
  it('moves the traffic with it', async () => {
    await e2e.apply(trafficRoute('mover', 'mover.e2e.local', '/', [{ name: 'mover' }]));
    await waitForAnswer(url(), 'mover.e2e.local', '/', '200 blue-1');
    await e2e.apply(
      endpointSlice({ namespace: 'e2e-traffic', service: 'mover', port: green.port }),
    );
    await waitForAnswer(url(), 'mover.e2e.local', '/', '200 green-1');
    expect(await tally(url(), 'mover.e2e.local', '/', 20)).toEqual(new Map([['200 green-1', 20]]));
  });
});

describe('a listener that allows only its own namespace', () => {
  const host = 'restricted.e2e.local';
  const routeIn = (namespace: string, name: string, pathPrefix: string) =>
    httpRoute({
      namespace,
      name,
      gateway: 'e2e-inside/same-only',
      hostnames: [host],
      rules: [{ pathPrefix, backends: [{ name: 'echo' }] }],
    });

  it('refuses a route from another namespace (NotAllowedByListeners) and does not serve it', async () => {
    await e2e.applyFixture('restricted.yaml');
    for (const namespace of ['e2e-inside', 'e2e-outside'])
      await e2e.apply(endpointSlice({ namespace, service: 'echo', port: blue.port }));
    await e2e.apply(routeIn('e2e-outside', 'outsider', '/outside'));
    const accepted = await waitForCondition(
      () => routeConditions(e2e.stack.rest, 'e2e-outside', 'outsider', 'e2e-inside/same-only'),
      'Accepted',
      'Accepted=False/NotAllowedByListeners',
    );
    expect(accepted.message).not.toBe('');

    // A route from the listener's own namespace is served on the same host: once it answers,
    // the configuration holding both routes is live, and the outsider's path must not be.
    await e2e.apply(routeIn('e2e-inside', 'insider', '/inside'));
    await e2e.stack.waitForGatewayProgrammed('e2e-inside', 'same-only', 30_000);
    const url81 = await e2e.gatewayUrl('e2e-inside', 'same-only', 81);
    await waitForAnswer(url81, host, '/inside', '200 blue-1');
    expect(summary(await ask(url81, host, '/outside'))).toBe('404');
    const insider = await routeConditions(
      e2e.stack.rest,
      'e2e-inside',
      'insider',
      'e2e-inside/same-only',
    );
    expect(conditionState(insider, 'Accepted')).toBe('Accepted=True/Accepted');
  });
});

describe('a route whose backend Service does not exist', () => {
  it('reports ResolvedRefs=False (BackendNotFound) and answers 500', async () => {
    expect(summary(await ask(url(), 'missing.e2e.local', '/'))).toBe('404');
    await e2e.applyFixture('missing-backend.yaml');
    const read = () => routeConditions(e2e.stack.rest, 'e2e-missing', 'dangling', SEED_GATEWAY);
    const resolved = await waitForCondition(
      read,
      'ResolvedRefs',
      'ResolvedRefs=False/BackendNotFound',
    );
    expect(resolved.message).toMatch(/absent/);
    expect(conditionState(await read(), 'Accepted')).toBe('Accepted=True/Accepted');
    await waitForAnswer(url(), 'missing.e2e.local', '/', '500');
  });
});
