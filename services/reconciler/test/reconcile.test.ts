import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '@portico/ir';
import { startRedis, type RunningRedis } from '@portico/testing';
import { reconcile } from '../src/reconcile.ts';
import {
  GATEWAY_KEY,
  condition,
  manualClock,
  putStatus,
  startWorld,
  type Json,
  type World,
} from './helpers.ts';

let redis: RunningRedis;
let world: World;
let clock: ReturnType<typeof manualClock>;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(async () => {
  clock = manualClock();
  world = await startWorld(redis.url, clock.now);
  await world.mirror();
});
afterEach(() => world.stop());

const run = (key: string) => reconcile(key, world.context, world.deps);
const gateway = () => world.get('Gateway', 'my-gateway', 'default') as Promise<Json>;
const route = () => world.get('HTTPRoute', 'httpbin', 'default') as Promise<Json>;
const versions = async () => ({
  gatewayClass: (await world.get('GatewayClass', 'portico')).metadata.resourceVersion,
  gateway: (await gateway()).metadata.resourceVersion,
  route: (await route()).metadata.resourceVersion,
});

/** Reconciles the class and the Gateway, as the queue would after the seed was applied. */
async function reconcileSeed(): Promise<void> {
  expect(await run('gatewayclass/portico')).toEqual({ kind: 'done' });
  expect(await run(GATEWAY_KEY)).toEqual({ kind: 'done' });
}

describe('reconcile (seed example, emulator + Redis)', () => {
  it('writes class, Gateway and route status, and publishes the IR with its hash', async () => {
    await reconcileSeed();
    const gatewayClass = (await world.get('GatewayClass', 'portico')) as Json;
    expect(condition(gatewayClass.status.conditions, 'Accepted')).toMatchObject({
      status: 'True',
    });

    const gw = await gateway();
    expect(condition(gw.status.conditions, 'Accepted')).toMatchObject({
      status: 'True',
      observedGeneration: 1,
    });
    expect(condition(gw.status.conditions, 'Programmed')).toMatchObject({
      status: 'False',
      reason: 'Pending',
    });
    expect(gw.status.addresses).toEqual([{ type: 'IPAddress', value: '127.0.0.1' }]);
    expect(gw.status.listeners).toHaveLength(1);
    expect(gw.status.listeners[0]).toMatchObject({ name: 'http', attachedRoutes: 1 });

    const parents = (await route()).status.parents as Json[];
    expect(parents).toHaveLength(1);
    expect(parents[0]).toMatchObject({
      controllerName: 'portico.dev/gateway-controller',
      parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'my-gateway' },
    });
    expect(condition(parents[0]?.conditions, 'Accepted')).toMatchObject({ status: 'True' });
    expect(condition(parents[0]?.conditions, 'ResolvedRefs')).toMatchObject({ status: 'True' });

    const stored = await world.store.getIR(GATEWAY_KEY);
    expect(stored).toBeDefined();
    expect(stored?.hash).toBe(contentHash(stored?.ir));
    expect(await world.store.listIRKeys()).toEqual([GATEWAY_KEY]);
  });

  it('writes nothing on a second reconcile, with a stale or a fresh store', async () => {
    await reconcileSeed();
    const first = await versions();
    const hash = await world.store.getIRHash(GATEWAY_KEY);
    clock.advance(60);
    // The store still holds the objects without status: the writer reads them fresh.
    await reconcileSeed();
    expect(await versions()).toEqual(first);
    // As the watcher would mirror them after our own status writes.
    await world.mirror();
    await reconcileSeed();
    expect(await versions()).toEqual(first);
    expect(await world.store.getIRHash(GATEWAY_KEY)).toBe(hash);
  });

  it('makes the Gateway Programmed once a renderer acknowledged the current hash', async () => {
    await reconcileSeed();
    const hash = (await world.store.getIRHash(GATEWAY_KEY)) ?? '';
    const accepted = condition((await gateway()).status.conditions, 'Accepted');
    clock.advance(30);
    await world.store.ackIR(GATEWAY_KEY, 'renderer-1', { hash, ok: true });
    await run(GATEWAY_KEY);

    const gw = await gateway();
    expect(condition(gw.status.conditions, 'Programmed')).toMatchObject({
      status: 'True',
      reason: 'Programmed',
      lastTransitionTime: '2026-01-01T00:00:30Z',
    });
    expect(condition(gw.status.listeners[0].conditions, 'Programmed')).toMatchObject({
      status: 'True',
    });
    // Accepted did not change: its lastTransitionTime stays (invariant 8).
    expect(condition(gw.status.conditions, 'Accepted')).toEqual(accepted);
  });

  it('makes the Gateway Programmed=False/Invalid with the data plane error', async () => {
    await reconcileSeed();
    const hash = (await world.store.getIRHash(GATEWAY_KEY)) ?? '';
    const error = 'nginx -t failed: [emerg] unknown directive "bogus" in gw.conf:3';
    await world.store.ackIR(GATEWAY_KEY, 'renderer-1', { hash, ok: false, error });
    await run(GATEWAY_KEY);
    const programmed = condition((await gateway()).status.conditions, 'Programmed');
    expect(programmed).toMatchObject({ status: 'False', reason: 'Invalid' });
    expect(programmed?.message).toContain(error);
  });

  it("keeps another controller's entry in a route's status parents (invariant 8)", async () => {
    const foreign = {
      controllerName: 'example.com/other-controller',
      parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'theirs' },
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'theirs',
          observedGeneration: 1,
          lastTransitionTime: '2025-06-01T00:00:00Z',
        },
      ],
    };
    await putStatus(world, 'HTTPRoute', 'httpbin', 'default', { parents: [foreign] });
    await world.mirror();
    await reconcileSeed();
    const parents = (await route()).status.parents as Json[];
    expect(parents.map((p) => p.controllerName).sort()).toEqual([
      'example.com/other-controller',
      'portico.dev/gateway-controller',
    ]);
    expect(parents.find((p) => p.controllerName !== 'portico.dev/gateway-controller')).toEqual(
      foreign,
    );
  });

  it('retries a status write that meets 409 conflicts', async () => {
    world.emulator.faults.failWrites('Gateway', { count: 2, code: 409, subresource: 'status' });
    await reconcileSeed();
    expect(condition((await gateway()).status.conditions, 'Accepted')).toMatchObject({
      status: 'True',
    });
  });

  it('withdraws the IR when the Gateway is deleted', async () => {
    await reconcileSeed();
    await world.rest.request(
      'DELETE',
      '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/my-gateway',
    );
    await world.mirror();
    await run(GATEWAY_KEY);
    expect(await world.store.getIR(GATEWAY_KEY)).toBeUndefined();
    expect(await world.store.listIRKeys()).toEqual([]);
  });
});
