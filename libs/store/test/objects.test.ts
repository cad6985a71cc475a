import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/index.ts';
import type { Store } from '../src/index.ts';
import { freshPrefix } from './helpers.ts';
import { startRedis, type RunningRedis } from '@portico/testing';

const obj = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Thing',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...extra,
});

describe('object store on a real Redis', () => {
  let redis: RunningRedis;
  let store: Store;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  const open = () => {
    store = createStore({
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: freshPrefix(),
    });
    return store;
  };
  afterEach(async () => {
    await store.close();
  });

  it.each([
    ['a namespaced object', obj('web', 'default', { spec: { port: 80 } }), 'default'],
    [
      'a cluster-scoped object',
      obj('portico', undefined, { spec: { controllerName: 'x' } }),
      undefined,
    ],
  ])('round-trips %s', async (_name, object, ns) => {
    const s = open();
    await s.putObject('Thing', object);
    expect(await s.getObject('Thing', ns, object.metadata.name)).toEqual(object);
    expect(await s.listObjects('Thing')).toEqual([object]);
    await s.deleteObject('Thing', ns, object.metadata.name);
    expect(await s.getObject('Thing', ns, object.metadata.name)).toBeUndefined();
    expect(await s.listObjects('Thing')).toEqual([]);
  });

  it('files objects under <prefix>:obj:<Kind> with field <ns>/<name>', async () => {
    const s = open();
    await s.putObject('Gateway', obj('gw', 'infra'));
    const raw = createStore({
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: s.prefix,
    });
    try {
      expect(await raw.getObject('Gateway', 'infra', 'gw')).toEqual(obj('gw', 'infra'));
      expect(s.keys.objects('Gateway')).toBe(`${s.prefix}:obj:Gateway`);
    } finally {
      await raw.close();
    }
  });

  it('overwrites an object and lists in <ns>/<name> order', async () => {
    const s = open();
    for (const o of [obj('b', 'ns2'), obj('a', 'ns2'), obj('z', 'ns1')])
      await s.putObject('Thing', o);
    await s.putObject('Thing', obj('a', 'ns2', { spec: { v: 2 } }));
    expect(await s.listObjects('Thing')).toEqual([
      obj('z', 'ns1'),
      obj('a', 'ns2', { spec: { v: 2 } }),
      obj('b', 'ns2'),
    ]);
  });

  it('lists deep-frozen objects, reusing the unchanged ones and parsing the changed ones', async () => {
    const s = open();
    await s.putObject('Thing', obj('same', 'a', { spec: { rules: [{ port: 80 }] } }));
    await s.putObject('Thing', obj('moves', 'a', { spec: { v: 1 } }));
    await s.putObject('Thing', obj('goes', 'a'));
    const [goes, moves, same] = await s.listObjects<ReturnType<typeof obj>>('Thing');
    expect(Object.isFrozen(same) && Object.isFrozen(same?.metadata)).toBe(true);
    expect(() => {
      (same as unknown as { spec: { rules: Array<{ port: number }> } }).spec.rules.push({
        port: 1,
      });
    }).toThrow(TypeError);
    expect(goes?.metadata.name).toBe('goes');

    await s.putObject('Thing', obj('moves', 'a', { spec: { v: 2 } }));
    await s.deleteObject('Thing', 'a', 'goes');
    const second = await s.listObjects('Thing');
    expect(second).toEqual([
      obj('moves', 'a', { spec: { v: 2 } }),
      obj('same', 'a', { spec: { rules: [{ port: 80 }] } }),
    ]);
    expect(second[1]).toBe(same); // unchanged JSON: the same object, not parsed again
    expect(second[0]).not.toBe(moves);
    expect(moves).toEqual(obj('moves', 'a', { spec: { v: 1 } })); // earlier lists stay as they were
  });

  it('keeps kinds apart', async () => {
    const s = open();
    await s.putObject('Service', obj('web', 'default'));
    expect(await s.listObjects('Secret')).toEqual([]);
  });

  it.each([
    ['drops stale entries and keeps the listed ones', [obj('keep', 'a'), obj('new', 'b')]],
    ['empties the kind on an empty list', []],
  ])('replaceAll %s', async (_name, listed) => {
    const s = open();
    await s.putObject('Thing', obj('keep', 'a', { spec: { old: true } }));
    await s.putObject('Thing', obj('stale', 'a'));
    await s.putObject('Other', obj('untouched', 'a'));
    await s.replaceAll('Thing', listed, '1234');
    expect(await s.listObjects('Thing')).toEqual(listed);
    expect(await s.listObjects('Other')).toEqual([obj('untouched', 'a')]);
  });

  it('marks a kind synced by replaceAll or markSynced, per kind', async () => {
    const s = open();
    expect(await s.isSynced('Gateway')).toBe(false);
    await s.replaceAll('Gateway', [], '1');
    await s.markSynced('Service');
    expect([
      await s.isSynced('Gateway'),
      await s.isSynced('Service'),
      await s.isSynced('Secret'),
    ]).toEqual([true, true, false]);
    await s.clearSynced('Gateway');
    expect(await s.isSynced('Gateway')).toBe(false);
  });
});
