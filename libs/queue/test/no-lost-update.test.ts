// Invariant 2, no lost update: a change arriving while its key is being reconciled causes one
// more reconcile after the running one, and no two workers reconcile one key at once.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@portico/telemetry';
import {
  createReconcileQueue,
  enqueueReconcile,
  queueDepth,
  startReconcileWorker,
} from '../src/index.ts';
import type { ReconcileQueue, ReconcileWorker } from '../src/index.ts';
import { freshPrefix, seededRandom, silentLogger, sleep, until } from './helpers.ts';
import { startRedis, type RunningRedis } from '@portico/testing';

const KEY_COUNT = 24;
const CHANGES = 480;
const HANDLER_MS = 40;

/** Everything the handlers observed, shared by both workers (they run in this process). */
interface Observations {
  /** key -> the worker currently reconciling it. */
  inFlight: Map<string, string>;
  /** Keys a second worker started on while another was still on them. */
  overlaps: string[];
  /** Per key, the state version each run read when it started, in start order. */
  seen: Map<string, number[]>;
  runs: number;
}

describe('reconcile queue: no lost update (invariant 2)', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  /** Sets up a queue, a state hash, and a handler factory for workers named A and B. */
  function scenario() {
    const connection = { host: '127.0.0.1', port: redis.port };
    const prefix = freshPrefix();
    const stateKey = `${prefix}:state`;
    const client = new Redis(connection);
    const queue = createReconcileQueue({ connection, prefix });
    const obs: Observations = { inFlight: new Map(), overlaps: [], seen: new Map(), runs: 0 };
    let killed: string | undefined;
    let releaseHung = () => {};
    const hung = new Promise<void>((resolve) => (releaseHung = resolve));

    const startWorker = (
      name: string,
      extra: { lockDurationMs?: number; stalledIntervalMs?: number } = {},
    ) =>
      startReconcileWorker({
        connection,
        prefix,
        concurrency: 4,
        logger: silentLogger(),
        metrics: createMetrics(`worker-${name}`),
        ...extra,
        handler: async (key) => {
          const other = obs.inFlight.get(key);
          if (other !== undefined) obs.overlaps.push(`${key} (${other} and ${name})`);
          obs.inFlight.set(key, name);
          // Like a real reconciler: read the current state when starting, never the job data.
          const version = Number(await client.hget(stateKey, key));
          obs.seen.set(key, [...(obs.seen.get(key) ?? []), version]);
          obs.runs++;
          await sleep(HANDLER_MS);
          // A killed worker's process is gone: its run neither finishes nor leaves in-flight.
          if (killed === name) await hung.then(() => Promise.reject(new Error('killed')));
          obs.inFlight.delete(key);
          return { kind: 'done' };
        },
      });

    /** Kills a worker as a crash would: no waiting for its jobs, its runs never complete. */
    const kill = async (name: string, worker: ReconcileWorker) => {
      killed = name;
      for (const [key, owner] of obs.inFlight) if (owner === name) obs.inFlight.delete(key);
      await worker.worker.close(true);
    };
    const cleanup = async () => {
      releaseHung();
      await queue.close();
      client.disconnect();
    };
    return { client, queue, stateKey, obs, startWorker, kill, cleanup };
  }

  /** Writes then enqueues `CHANGES` changes over `KEY_COUNT` keys, as the watcher does. */
  async function burst(
    client: Redis,
    queue: ReconcileQueue,
    stateKey: string,
    midway?: () => Promise<void>,
  ): Promise<Map<string, number>> {
    const random = seededRandom(42);
    const final = new Map<string, number>();
    for (let version = 1; version <= CHANGES; version++) {
      const key = `gateway/ns/gw-${Math.floor(random() * KEY_COUNT)}`;
      await client.hset(stateKey, key, version);
      final.set(key, version);
      await enqueueReconcile(queue, [key]);
      if (version % 12 === 0) await sleep(5);
      if (version === CHANGES / 2) await midway?.();
    }
    return final;
  }

  /** Waits until the queue is empty and every key's last run saw its final state. */
  async function converge(queue: ReconcileQueue, obs: Observations, final: Map<string, number>) {
    const lastSeen = () => new Map([...final.keys()].map((k) => [k, obs.seen.get(k)?.at(-1)]));
    const settled = async () =>
      (await queueDepth(queue)).total === 0 &&
      [...final].every(([k, v]) => lastSeen().get(k) === v);
    await until(settled, 30_000).catch(() => undefined);
    return { lastSeen: lastSeen(), depth: await queueDepth(queue) };
  }

  it('two workers, a slow handler and a burst: every key ends at its last state, no overlap', async () => {
    const s = scenario();
    const a = s.startWorker('A');
    const b = s.startWorker('B');
    try {
      const final = await burst(s.client, s.queue, s.stateKey);
      const { lastSeen, depth } = await converge(s.queue, s.obs, final);
      expect(lastSeen).toEqual(final);
      expect(depth.total).toBe(0);
      expect(s.obs.overlaps).toEqual([]);
      expect(s.obs.runs).toBeGreaterThanOrEqual(final.size);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await s.cleanup();
    }
  }, 60_000);

  it('one worker killed mid-burst: the other recovers its stalled jobs and converges', async () => {
    const s = scenario();
    const fast = { lockDurationMs: 1000, stalledIntervalMs: 300 };
    const a = s.startWorker('A', fast);
    const b = s.startWorker('B', fast);
    let stalled = 0;
    b.worker.on('stalled', () => stalled++);
    try {
      const final = await burst(s.client, s.queue, s.stateKey, async () => {
        await until(() => [...s.obs.inFlight.values()].includes('A'));
        await s.kill('A', a);
      });
      const { lastSeen, depth } = await converge(s.queue, s.obs, final);
      expect(lastSeen).toEqual(final);
      expect(depth.total).toBe(0);
      expect(s.obs.overlaps).toEqual([]);
      expect(stalled).toBeGreaterThanOrEqual(1);
    } finally {
      await b.close();
      await s.cleanup();
    }
  }, 60_000);
});
