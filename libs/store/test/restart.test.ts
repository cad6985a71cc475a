import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/index.ts';
import { changeRecorder, freshPrefix, sampleIR } from './helpers.ts';
import { startRedis, type RunningRedis } from '@portico/testing';

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a store across a redis-server restart', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('reconnects, keeps working, and resubscribes with a resync', async () => {
    const store = createStore({
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: freshPrefix(),
    });
    const rec = changeRecorder();
    const sub = await store.subscribeIR(rec.onChange);
    try {
      await store.putObject('Gateway', { metadata: { name: 'before', namespace: 'a' } });
      await until(() => store.isConnected());

      await redis.kill();
      await until(() => !store.isConnected());
      // A call made while Redis is down waits for the reconnect instead of failing at once.
      const duringOutage = store.putObject('Gateway', {
        metadata: { name: 'during', namespace: 'a' },
      });
      await redis.start();
      await duringOutage;
      await until(() => store.isConnected());

      // Redis ran without persistence: what was written before the crash is gone.
      expect(await store.listObjects('Gateway')).toEqual([
        { metadata: { name: 'during', namespace: 'a' } },
      ]);
      await rec.waitFor(() => rec.changes.filter((c) => c.kind === 'resync').length === 2);

      const { ir, hash } = sampleIR('a', 'after');
      expect(await store.publishIR('gateway/a/after', ir, hash)).toBe(true);
      await rec.waitFor((c) => c.kind === 'updated' && c.gatewayKey === 'gateway/a/after');
      expect(rec.changes).toEqual([
        { kind: 'resync' },
        { kind: 'resync' },
        { kind: 'updated', gatewayKey: 'gateway/a/after', hash },
      ]);
    } finally {
      await sub.close();
      await store.close();
    }
  });
});
