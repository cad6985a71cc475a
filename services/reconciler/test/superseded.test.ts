import { describe, expect, it } from 'vitest';
import { reconcile } from '../src/reconcile.ts';
import { GATEWAY_KEY, worldPerTest, type Json } from './helpers.ts';

const ctx = worldPerTest({
  prepare: async (world) => {
    await world.mirror();
    await reconcile('gatewayclass/portico', world.context, world.deps);
  },
});

const routeStatus = async () =>
  ((await ctx.world.get('HTTPRoute', 'httpbin', 'default')) as Json).status as Json | undefined;

describe('a reconcile with a newer change of its key waiting', () => {
  it('publishes the IR but leaves route statuses to the next run, which writes them', async () => {
    const superseded = { ...ctx.world.context, superseded: async () => true };
    expect(await reconcile(GATEWAY_KEY, superseded, ctx.world.deps)).toEqual({ kind: 'done' });
    expect(await ctx.world.deps.store.getIR(GATEWAY_KEY)).toBeDefined();
    expect((await routeStatus())?.parents ?? []).toEqual([]);

    const current = { ...ctx.world.context, superseded: async () => false };
    expect(await reconcile(GATEWAY_KEY, current, ctx.world.deps)).toEqual({ kind: 'done' });
    expect((await routeStatus())?.parents).toHaveLength(1);
  });
});
