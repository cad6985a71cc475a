// The trace context of the publishing reconcile is stored beside the IR (metadata: the hash
// and the "unchanged" answer ignore it), for the renderer's apply span to link to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from '@portico/testing';
import { createStore } from '../src/index.ts';
import { freshPrefix, sampleIR } from './helpers.ts';

const TRACE_A = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const TRACE_B = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('IR trace context', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('stores the traceparent with a new IR, and keeps the first one for an unchanged IR', async () => {
    const store = createStore({ connection: redis.url, prefix: freshPrefix() });
    try {
      const { ir, hash } = sampleIR('ns', 'gw');
      expect(await store.publishIR('gateway/ns/gw', ir, hash, TRACE_A)).toBe(true);
      expect(await store.publishIR('gateway/ns/gw', ir, hash, TRACE_B)).toBe(false);
      expect(await store.getIR('gateway/ns/gw')).toEqual({ hash, ir, traceparent: TRACE_A });
      const other = sampleIR('ns', 'other');
      await store.publishIR('gateway/ns/other', other.ir, other.hash);
      expect(await store.getIR('gateway/ns/other')).toEqual({ hash: other.hash, ir: other.ir });
    } finally {
      await store.close();
    }
  });
});
