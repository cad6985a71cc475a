import { describe, expect, it } from 'vitest';
import { contentHash } from '@portico/ir';
import { reconcile } from '../src/reconcile.ts';
import { condition, GATEWAY_KEY, putStatus, worldPerTest, type Json } from './helpers.ts';

const ctx = worldPerTest();

const run = (key: string) => reconcile(key, ctx.world.context, ctx.world.deps);
const gateway = () => ctx.world.get('Gateway', 'my-gateway', 'default') as Promise<Json>;
const route = () => ctx.world.get('HTTPRoute', 'httpbin', 'default') as Promise<Json>;
const versions = async () => ({
  gatewayClass: (await ctx.world.get('GatewayClass', 'portico')).metadata.resourceVersion,
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
    const gatewayClass = (await ctx.world.get('GatewayClass', 'portico')) as Json;
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

    const stored = await ctx.world.store.getIR(GATEWAY_KEY);
    expect(stored).toBeDefined();
    expect(stored?.hash).toBe(contentHash(stored?.ir));
    expect(await ctx.world.store.listIRKeys()).toEqual([GATEWAY_KEY]);
  });

  it('writes nothing on a second reconcile, with a stale or a fresh store', async () => {
    await reconcileSeed();
    const first = await versions();
    const hash = await ctx.world.store.getIRHash(GATEWAY_KEY);
    ctx.clock.advance(60);
    // The store still holds the objects without status: the writer reads them fresh.
    await reconcileSeed();
    expect(await versions()).toEqual(first);
    // As the watcher would mirror them after our own status writes.
    await ctx.world.mirror();
    await reconcileSeed();
    expect(await versions()).toEqual(first);
    expect(await ctx.world.store.getIRHash(GATEWAY_KEY)).toBe(hash);
  });

  it('makes the Gateway Programmed once a renderer acknowledged the current hash', async () => {
    await reconcileSeed();
    const hash = (await ctx.world.store.getIRHash(GATEWAY_KEY)) ?? '';
    const accepted = condition((await gateway()).status.conditions, 'Accepted');
    ctx.clock.advance(30);
    await ctx.world.store.ackIR(GATEWAY_KEY, 'renderer-1', { hash, ok: true });
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
    const hash = (await ctx.world.store.getIRHash(GATEWAY_KEY)) ?? '';
    const error = 'nginx -t failed: [emerg] unknown directive "bogus" in gw.conf:3';
    await ctx.world.store.ackIR(GATEWAY_KEY, 'renderer-1', { hash, ok: false, error });
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
    await putStatus(ctx.world, 'HTTPRoute', 'httpbin', 'default', { parents: [foreign] });
    await ctx.world.mirror();
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
    ctx.world.emulator.faults.failWrites('Gateway', { count: 2, code: 409, subresource: 'status' });
    await reconcileSeed();
    expect(condition((await gateway()).status.conditions, 'Accepted')).toMatchObject({
      status: 'True',
    });
  });

  it('withdraws the IR when the Gateway is deleted', async () => {
    await reconcileSeed();
    await ctx.world.rest.request(
      'DELETE',
      '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/my-gateway',
    );
    await ctx.world.mirror();
    await run(GATEWAY_KEY);
    expect(await ctx.world.store.getIR(GATEWAY_KEY)).toBeUndefined();
    expect(await ctx.world.store.listIRKeys()).toEqual([]);
  });
});
