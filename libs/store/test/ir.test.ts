import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/index.ts';
import type { IRChange, Store } from '../src/index.ts';
import { changeRecorder, freshPrefix, sampleIR } from './helpers.ts';
import { startRedis, type RunningRedis } from '@portico/testing';

describe('IR publication and acks on a real Redis', () => {
  let redis: RunningRedis;
  let store: Store;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    await store.close();
  });
  const open = () => {
    store = createStore({
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: freshPrefix(),
    });
    return store;
  };
  /** Publishes a sentinel and waits for it: pub/sub is ordered, so every earlier message is in. */
  const flush = async (s: Store, rec: ReturnType<typeof changeRecorder>) => {
    const { ir, hash } = sampleIR('zz', 'sentinel');
    await s.publishIR('gateway/zz/sentinel', ir, hash);
    await rec.waitFor((c) => c.kind === 'updated' && c.gatewayKey === 'gateway/zz/sentinel');
    return rec.changes.filter((c) => c.kind === 'resync' || c.gatewayKey !== 'gateway/zz/sentinel');
  };

  it('stores IR with its hash and notifies only when the hash changes', async () => {
    const s = open();
    const rec = changeRecorder();
    const sub = await s.subscribeIR(rec.onChange);
    const v1 = sampleIR('infra', 'gw', 1);
    const v2 = sampleIR('infra', 'gw', 2);
    const published = [
      await s.publishIR('gateway/infra/gw', v1.ir, v1.hash),
      await s.publishIR('gateway/infra/gw', v1.ir, v1.hash),
      await s.publishIR('gateway/infra/gw', v2.ir, v2.hash),
      await s.publishIR('gateway/infra/gw', v2.ir, v2.hash),
    ];
    const seen = await flush(s, rec);
    await sub.close();
    expect(published).toEqual([true, false, true, false]);
    expect(seen).toEqual<IRChange[]>([
      { kind: 'resync' },
      { kind: 'updated', gatewayKey: 'gateway/infra/gw', hash: v1.hash },
      { kind: 'updated', gatewayKey: 'gateway/infra/gw', hash: v2.hash },
    ]);
    expect(await s.getIR('gateway/infra/gw')).toEqual(v2);
    expect(await s.getIRHash('gateway/infra/gw')).toBe(v2.hash);
  });

  it('deletes IR and acks, notifying once', async () => {
    const s = open();
    const rec = changeRecorder();
    const sub = await s.subscribeIR(rec.onChange);
    const v1 = sampleIR('infra', 'gw');
    await s.publishIR('gateway/infra/gw', v1.ir, v1.hash);
    await s.ackIR('gateway/infra/gw', 'renderer-a', { hash: v1.hash, ok: true });
    const deleted = [await s.deleteIR('gateway/infra/gw'), await s.deleteIR('gateway/infra/gw')];
    const seen = await flush(s, rec);
    await sub.close();
    expect(deleted).toEqual([true, false]);
    expect(seen.slice(1)).toEqual<IRChange[]>([
      { kind: 'updated', gatewayKey: 'gateway/infra/gw', hash: v1.hash },
      { kind: 'deleted', gatewayKey: 'gateway/infra/gw' },
    ]);
    expect(await s.getIR('gateway/infra/gw')).toBeUndefined();
    expect(await s.getAcks('gateway/infra/gw')).toEqual([]);
  });

  it('lists IR keys sorted', async () => {
    const s = open();
    for (const name of ['b', 'a', 'c']) {
      const { ir, hash } = sampleIR('ns', name);
      await s.publishIR(`gateway/ns/${name}`, ir, hash);
    }
    expect(await s.listIRKeys()).toEqual(['gateway/ns/a', 'gateway/ns/b', 'gateway/ns/c']);
  });

  it('keeps the last ack per renderer, sorted by renderer id', async () => {
    const s = open();
    const key = 'gateway/infra/gw';
    await s.ackIR(key, 'renderer-b', {
      hash: 'h1',
      ok: false,
      error: 'nginx: [emerg] unknown directive',
    });
    await s.ackIR(key, 'renderer-a', { hash: 'h1', ok: true });
    await s.ackIR(key, 'renderer-b', { hash: 'h2', ok: true });
    expect(await s.getAcks(key)).toEqual([
      { rendererId: 'renderer-a', hash: 'h1', ok: true },
      { rendererId: 'renderer-b', hash: 'h2', ok: true },
    ]);
    expect(await s.getAcks('gateway/infra/other')).toEqual([]);
  });
});
