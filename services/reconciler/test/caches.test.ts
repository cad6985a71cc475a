/**
 * The reconciler's caches (the store's per-kind lists, the graph's per-spec memos, IRHashes)
 * never hide a change: on the seed example with real Redis and the API emulator, every
 * reconcile publishes the IR of the current state with its true content hash, on one worker,
 * across two workers, and after Redis lost everything.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '@portico/ir';
import { objectPath, RESOURCES } from '@portico/kube';
import { createStore, type Store } from '@portico/store';
import { startRedis, type RunningRedis } from '@portico/testing';
import { IRHashes } from '../src/ir-hash.ts';
import { reconcile, type ReconcileDeps } from '../src/reconcile.ts';
import { GATEWAY_KEY, manualClock, startWorld, type World } from './helpers.ts';

let redis: RunningRedis;
let world: World;
const extraStores: Store[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(async () => {
  world = await startWorld(redis.url, manualClock().now);
  await world.mirror();
});
afterEach(async () => {
  await Promise.all(extraStores.splice(0).map((s) => s.close()));
  await world.stop();
});

/** A worker of its own: its own store connection and caches, the same Redis and API. */
function worker(): ReconcileDeps {
  const store = createStore({ connection: redis.url, prefix: world.store.prefix });
  extraStores.push(store);
  return { ...world.deps, store, irHashes: new IRHashes() };
}

/** Sets the seed route's path prefix in the API and mirrors it, as the watcher would. */
async function setPath(path: string): Promise<void> {
  const route = await world.get('HTTPRoute', 'httpbin', 'default');
  const spec = structuredClone(route.spec) as {
    rules: { matches: { path: { value: string } }[] }[];
  };
  for (const rule of spec.rules) for (const match of rule.matches) match.path.value = path;
  await world.rest.request('PUT', objectPath(RESOURCES.HTTPRoute, 'default', 'httpbin'), {
    body: { ...route, spec },
  });
  await world.mirror();
}

/** Reconciles on `deps`, then reads back the published IR's paths and checks its hash. */
async function publishedPaths(deps: ReconcileDeps): Promise<string[]> {
  await reconcile(GATEWAY_KEY, world.context, deps);
  const stored = await world.store.getIR(GATEWAY_KEY);
  if (stored === undefined) return [];
  expect(stored.hash).toBe(contentHash(stored.ir));
  return stored.ir.httpServers.flatMap((s) =>
    s.virtualHosts.flatMap((h) => h.rules.map((r) => r.match.path.value)),
  );
}

describe('reconciler caches (seed example, emulator + Redis)', () => {
  it('one worker sees every change, and a change back, with the true hash', async () => {
    const deps = worker();
    expect(await publishedPaths(deps)).toEqual(['/']);
    for (const path of ['/v1', '/v2', '/']) {
      await setPath(path);
      expect(await publishedPaths(deps)).toEqual([path]);
    }
  });

  it('two workers taking turns each see the change the other published after', async () => {
    const workers = [worker(), worker()];
    for (const [i, path] of ['/a', '/b', '/c', '/d'].entries()) {
      await setPath(path);
      expect(await publishedPaths(workers[i % 2] as ReconcileDeps)).toEqual([path]);
    }
  });

  it('after a Redis restart serves nothing cached: no Gateway, then the relisted state', async () => {
    const deps = worker();
    await setPath('/before');
    expect(await publishedPaths(deps)).toEqual(['/before']);
    await redis.kill();
    await redis.start();
    // Redis ran without persistence: the store is empty, so the IR goes.
    expect(await publishedPaths(deps)).toEqual([]);
    // The watcher relists the API into the store: the same IR is published again (its hash
    // is remembered, but Redis lost the stored one), then a later change goes through.
    await world.mirror();
    expect(await publishedPaths(deps)).toEqual(['/before']);
    await setPath('/after');
    expect(await publishedPaths(deps)).toEqual(['/after']);
  });
});
