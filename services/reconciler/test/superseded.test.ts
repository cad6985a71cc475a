import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from '@portico/testing';
import { reconcile } from '../src/reconcile.ts';
import { GATEWAY_KEY, manualClock, startWorld, type Json, type World } from './helpers.ts';

let redis: RunningRedis;
let world: World;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(async () => {
  world = await startWorld(redis.url, manualClock().now);
  await world.mirror();
  await reconcile('gatewayclass/portico', world.context, world.deps);
});
afterEach(() => world.stop());

const routeStatus = async () =>
  ((await world.get('HTTPRoute', 'httpbin', 'default')) as Json).status as Json | undefined;

describe('a reconcile with a newer change of its key waiting', () => {
  it('publishes the IR but leaves route statuses to the next run, which writes them', async () => {
    const superseded = { ...world.context, superseded: async () => true };
    expect(await reconcile(GATEWAY_KEY, superseded, world.deps)).toEqual({ kind: 'done' });
    expect(await world.deps.store.getIR(GATEWAY_KEY)).toBeDefined();
    expect((await routeStatus())?.parents ?? []).toEqual([]);

    const current = { ...world.context, superseded: async () => false };
    expect(await reconcile(GATEWAY_KEY, current, world.deps)).toEqual({ kind: 'done' });
    expect((await routeStatus())?.parents).toHaveLength(1);
  });
});
