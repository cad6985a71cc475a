/**
 * Scenario 8 of issue 3 (invariants 2 and 9): the system converges after losing a part.
 * Twenty routes over four Gateways (so a burst keeps several reconcile keys busy at once) are
 * rewritten in rounds, each round giving every route a new path prefix `/gen-<round>`.
 * Converged means every route answers on its last path and not on the one before, every
 * route's status observed its last generation, and every Gateway is Programmed.
 * A reconciler is SIGKILLed in the middle of a 100-change burst, a Gateway's data plane (its
 * renderer and NGINX) is killed and held down while a change arrives, and Redis restarts empty.
 * Each Gateway has its own data plane (and port offset), so each route is asked at its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionPath, RESOURCES, type KubeList, type KubeObject } from '@portico/kube';
import { waitFor } from '@portico/testing';
import { endpointSlice, httpRoute } from './support/manifests.ts';
import {
  ask,
  conditionState,
  gatewayConditions,
  summary,
  waitForAnswer,
  waitForCondition,
  type Condition,
} from './support/observe.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

const ROUTES = 20;
const GATEWAYS = 4;
const NAMESPACE = 'e2e-burst';
const SEED_POD = '200 httpbin-local-1';
/** How long a replaced path may still answer after its successor does (old NGINX workers). */
const OLD_PATH_GONE_MS = 5_000;
let e2e: E2EStack;

/** Route i belongs to Gateway `burst-<i mod 4>`, whose listener takes `*.g<i mod 4>.burst...`. */
const hostOf = (i: number) => `r${i}.g${i % GATEWAYS}.burst.e2e.local`;

/** Every route of the burst, its rule's path prefix set to `/gen-<round>`, in one manifest. */
function roundManifest(round: number): string {
  return Array.from({ length: ROUTES }, (_, i) =>
    httpRoute({
      namespace: NAMESPACE,
      name: `r${i}`,
      gateway: `${NAMESPACE}/burst-${i % GATEWAYS}`,
      hostnames: [hostOf(i)],
      rules: [{ pathPrefix: `/gen-${round}`, backends: [{ name: 'echo' }] }],
    }),
  ).join('---\n');
}

/** Each route's Accepted condition, and whether it observed the route's current generation. */
async function routeStatuses(): Promise<string[]> {
  const list = await e2e.stack.rest.request<KubeList<KubeObject>>(
    'GET',
    collectionPath(RESOURCES.HTTPRoute, NAMESPACE),
  );
  return list.items.map((route) => {
    const parents = (route.status as { parents?: Array<{ conditions?: Condition[] }> } | undefined)
      ?.parents;
    const conditions = parents?.[0]?.conditions ?? [];
    const accepted = conditions.find((c) => c.type === 'Accepted');
    const current = accepted?.observedGeneration === route.metadata.generation;
    return `${route.metadata.name} ${conditionState(conditions, 'Accepted')} ${current ? 'current' : 'stale'}`;
  });
}

/** Waits until the system serves `round` everywhere and says so in every status. */
async function expectConverged(round: number, timeoutMs: number): Promise<void> {
  for (let i = 0; i < ROUTES; i++) {
    const url = await e2e.gatewayUrl(NAMESPACE, `burst-${i % GATEWAYS}`);
    await waitForAnswer(url, hostOf(i), `/gen-${round}/x`, SEED_POD, timeoutMs);
    // The previous path must be gone too. Not checked in the same instant: for a moment after
    // a reload NGINX's old workers still answer with the previous config (the master retires
    // them ~100 ms after the new ones start), so one request may still see it; a route that
    // stayed served would fail here after the timeout.
    await waitForAnswer(url, hostOf(i), `/gen-${round - 1}/x`, '404', OLD_PATH_GONE_MS);
  }
  await waitFor(routeStatuses, {
    description: `every burst route Accepted for its current generation (round ${round})`,
    until: (lines) =>
      lines.length === ROUTES &&
      lines.every((line) => line.endsWith('Accepted=True/Accepted current')),
    timeoutMs,
    intervalMs: 250,
  });
  for (let g = 0; g < GATEWAYS; g++) {
    await waitForCondition(
      () => gatewayConditions(e2e.stack.rest, NAMESPACE, `burst-${g}`),
      'Programmed',
      'Programmed=True/Programmed',
      timeoutMs,
    );
  }
}

beforeAll(async () => {
  e2e = await startE2EStack();
  await e2e.stack.waitForGatewayProgrammed('default', 'my-gateway', 60_000);
  await e2e.applyFixture('burst.yaml');
  const seedPort = e2e.stack.seedBackend?.port;
  if (seedPort === undefined) throw new Error('the seed backend is not running');
  await e2e.apply(endpointSlice({ namespace: NAMESPACE, service: 'echo', port: seedPort }));
  await e2e.apply(roundManifest(1));
  await expectConverged(1, 60_000);
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

describe('the system converges', () => {
  it(
    'after a reconciler is SIGKILLed in the middle of 100 route changes',
    { timeout: 180_000 },
    async () => {
      let killed: Promise<void> | undefined;
      for (let round = 2; round <= 6; round++) {
        await e2e.apply(roundManifest(round));
        if (round === 3) killed = e2e.stack.stopService('reconciler-1', 'SIGKILL');
      }
      await killed;
      expect(e2e.stack.services.has('reconciler-1')).toBe(false);
      // One worker left. A job the killed worker held runs again once BullMQ finds it stalled
      // (its lock expired: up to about a minute with the default 30 s lock and stall check).
      await expectConverged(6, 120_000);
      await e2e.stack.startService('reconciler-1');
    },
  );

  it("after a Gateway's data plane (renderer and NGINX) is killed while a change arrives", async () => {
    const release = await e2e.stack.kubelet.kill(NAMESPACE, 'burst-0', { hold: true });
    await e2e.apply(roundManifest(7));
    // Nothing acknowledged the new configuration: the Gateway must not claim it is served.
    await waitForCondition(
      () => gatewayConditions(e2e.stack.rest, NAMESPACE, 'burst-0'),
      'Programmed',
      'Programmed=False/Pending',
    );
    release(); // the kubelet starts it again, as it would restart a crashed pod
    await expectConverged(7, 60_000);
  });

  it('after Redis restarts empty, serving on meanwhile and taking the next change', async () => {
    const redis = e2e.stack.redis;
    if (!redis) throw new Error('the stack runs its own Redis');
    await redis.restart();
    // The data plane keeps its last configuration while the store refills.
    const url = await e2e.gatewayUrl(NAMESPACE, 'burst-0');
    expect(summary(await ask(url, hostOf(0), '/gen-7/x'))).toBe(SEED_POD);
    await e2e.apply(roundManifest(8));
    await expectConverged(8, 90_000);
  });
});
