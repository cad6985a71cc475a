import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from '@portico/testing';
import { createStore, type Store, type StoredObject } from '../src/index.ts';
import { freshPrefix } from './helpers.ts';

const obj = (name: string, v = 1): StoredObject & { spec: { v: number } } => ({
  metadata: { name, namespace: 'a' },
  spec: { v },
});

const names = (objects: StoredObject[]) => objects.map((o) => o.metadata.name);

describe('listObjects reuses a kind while its version token holds (real Redis)', () => {
  let redis: RunningRedis;
  const opened: Store[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  const open = (prefix: string) => {
    const store = createStore({ connection: redis.url, prefix });
    opened.push(store);
    return store;
  };
  /** A writer and a reader on a fresh prefix; the reader has listed objects a and b. */
  const readerWithAB = async () => {
    const prefix = freshPrefix();
    const writer = open(prefix);
    const reader = open(prefix);
    await writer.putObject('Thing', obj('a'));
    await writer.putObject('Thing', obj('b'));
    expect(names(await reader.listObjects('Thing'))).toEqual(['a', 'b']);
    return { prefix, writer, reader };
  };

  it.each([
    ['an added object', (s: Store) => s.putObject('Thing', obj('c')), ['a', 'b', 'c']],
    ['an overwritten object', (s: Store) => s.putObject('Thing', obj('b', 2)), ['a', 'b']],
    ['a deleted object', (s: Store) => s.deleteObject('Thing', 'a', 'a'), ['b']],
    ['a replaced kind', (s: Store) => s.replaceAll('Thing', [obj('z')]), ['z']],
  ])('sees %s written by another store at once', async (_name, write, expected) => {
    const { prefix, writer, reader } = await readerWithAB();
    await write(writer);
    const listed = await reader.listObjects<ReturnType<typeof obj>>('Thing');
    expect(names(listed)).toEqual(expected);
    expect(listed).toEqual(await open(prefix).listObjects('Thing')); // what a fresh reader sees
  });

  it('returns the same objects for an unchanged kind without reading its hash again', async () => {
    const prefix = freshPrefix();
    const store = open(prefix);
    await store.putObject('Thing', obj('a'));
    const first = await store.listObjects('Thing');
    // A write behind the store's back (no token) is not seen: the kind is not read again.
    const raw = new Redis(redis.url);
    try {
      await raw.hset(store.keys.objects('Thing'), 'a/sneaky', JSON.stringify(obj('sneaky')));
    } finally {
      raw.disconnect();
    }
    const second = await store.listObjects('Thing');
    expect(names(second)).toEqual(['a']);
    expect(second[0]).toBe(first[0]);
    // The array is the caller's own: changing it does not change the next list.
    second.pop();
    expect(names(await store.listObjects('Thing'))).toEqual(['a']);
    // Any write through a store replaces the token: the whole kind is read again.
    await store.putObject('Thing', obj('b'));
    const third = await store.listObjects('Thing');
    expect(names(third)).toEqual(['a', 'b', 'sneaky']);
    expect(third[0]).toBe(first[0]); // unchanged JSON: still not parsed again
  });

  it.each([
    ['a status write keeps the spec', { status: { ok: true } }, ['spec', 'metadata']],
    ['a spec change keeps the metadata', { spec: { v: 2 } }, ['metadata']],
    [
      'a label keeps the spec',
      { metadata: { name: 'a', namespace: 'a', labels: { x: 'y' } } },
      ['spec'],
    ],
  ])('%s object of a changed object', async (_name, change, kept) => {
    const store = open(freshPrefix());
    await store.putObject('Thing', obj('a'));
    const [before] = await store.listObjects<Record<string, unknown> & StoredObject>('Thing');
    await store.putObject('Thing', { ...obj('a'), ...change });
    const [after] = await store.listObjects<Record<string, unknown> & StoredObject>('Thing');
    expect(after).toEqual({ ...obj('a'), ...change });
    expect(after).not.toBe(before);
    for (const part of ['spec', 'metadata']) {
      if (kept.includes(part)) expect(after?.[part]).toBe(before?.[part]);
      else expect(after?.[part]).not.toBe(before?.[part]);
    }
    expect(Object.isFrozen(after) && Object.isFrozen(after?.spec)).toBe(true);
  });

  it('keeps kinds apart: a write of one kind leaves the other kinds cached', async () => {
    const prefix = freshPrefix();
    const store = open(prefix);
    await store.putObject('Thing', obj('a'));
    await store.putObject('Other', obj('o'));
    const [things, others] = [await store.listObjects('Thing'), await store.listObjects('Other')];
    await store.putObject('Thing', obj('a', 2));
    expect(await store.listObjects('Other')).toEqual(others);
    expect((await store.listObjects('Thing'))[0]).not.toBe(things[0]);
    expect(await store.listObjects('Thing')).toEqual([obj('a', 2)]);
  });

  it('two workers reading while two writers write end at the last state', async () => {
    const prefix = freshPrefix();
    const writers = [open(prefix), open(prefix)];
    const workers = [open(prefix), open(prefix)];
    const reads: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      const writer = writers[i % 2] as Store;
      const write =
        i % 5 === 4
          ? writer.deleteObject('Thing', 'a', `o${i - 1}`)
          : writer.putObject('Thing', obj(`o${i}`, i));
      await Promise.all([write, ...workers.map((w) => w.listObjects('Thing'))]);
      reads.push(...workers.map((w) => w.listObjects('Thing')));
    }
    await Promise.all(reads);
    const expected = await open(prefix).listObjects('Thing');
    expect(expected).toHaveLength(30);
    for (const worker of workers) expect(await worker.listObjects('Thing')).toEqual(expected);
  });

  it('after a Redis restart (no persistence) never serves the objects cached before it', async () => {
    const { prefix, writer, reader } = await readerWithAB();

    await redis.kill();
    await redis.start();
    expect(await reader.listObjects('Thing')).toEqual([]);
    // The watcher relists into the empty store, from the same or a new process.
    await writer.putObject('Thing', obj('a', 2));
    expect(await reader.listObjects('Thing')).toEqual([obj('a', 2)]);
    await open(prefix).replaceAll('Thing', [obj('b', 3)]);
    expect(await reader.listObjects('Thing')).toEqual([obj('b', 3)]);
  });
});
