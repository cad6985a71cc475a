import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@portico/telemetry';
import type { Metrics } from '@portico/telemetry';
import {
  UnrecoverableError,
  createReconcileQueue,
  enqueueReconcile,
  queueDepth,
  registerQueueDepthGauge,
  retryDelayMs,
  startReconcileWorker,
} from '../src/index.ts';
import type { ReconcileQueue, ReconcileResult, ReconcileWorker } from '../src/index.ts';
import { capturingLogger, freshPrefix, silentLogger, sleep, until } from './helpers.ts';
import { startRedis, type RunningRedis } from '@portico/testing';

type Step = ReconcileResult | 'throw' | 'unrecoverable';

/** `{outcome: value}` of one series family (a counter, or a histogram's `_count`). */
async function outcomeCounts(metrics: Metrics, series: string): Promise<Record<string, number>> {
  const family = series.replace(/_count$/, '');
  const metric = await metrics.registry.getSingleMetric(family)?.get();
  const values = (metric?.values ?? []).filter(
    (v) => ('metricName' in v ? v.metricName : family) === series,
  );
  return Object.fromEntries(values.map((v) => [String(v.labels['outcome']), v.value]));
}

describe('reconcile worker on a real Redis', { timeout: 15_000 }, () => {
  let redis: RunningRedis;
  let queue: ReconcileQueue;
  let worker: ReconcileWorker | undefined;
  let prefix: string;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  const connection = () => ({ host: '127.0.0.1', port: redis.port });
  const openQueue = () => {
    prefix = freshPrefix();
    queue = createReconcileQueue({ connection: connection(), prefix });
    return queue;
  };
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await queue.close();
  });

  /** A worker whose handler plays `steps` in order (one per run) and records each key run. */
  function scripted(steps: Step[], metrics: Metrics, logger = silentLogger()) {
    const runs: string[] = [];
    worker = startReconcileWorker({
      connection: connection(),
      prefix,
      concurrency: 2,
      logger,
      metrics,
      retry: { baseMs: 10, maxMs: 20 },
      handler: async (key) => {
        const step = steps[runs.length] ?? { kind: 'done' };
        runs.push(key);
        if (step === 'throw') throw new Error('API server said no');
        if (step === 'unrecoverable') throw new UnrecoverableError('bad key');
        return step;
      },
    });
    return runs;
  }

  it.each<[string, Step[], number, Record<string, number>]>([
    ['done runs once', [{ kind: 'done' }], 1, { done: 1 }],
    [
      'requeue runs again after the delay',
      [{ kind: 'requeue', afterMs: 50 }, { kind: 'done' }],
      2,
      { requeue: 1, done: 1 },
    ],
    [
      'a throw is retried with backoff',
      ['throw', 'throw', { kind: 'done' }],
      3,
      { error: 2, done: 1 },
    ],
    ['an UnrecoverableError is not retried', ['unrecoverable'], 1, { error: 1 }],
  ])('%s', async (_name, steps, expectedRuns, outcomes) => {
    openQueue();
    const metrics = createMetrics('reconciler');
    const runs = scripted(steps, metrics);
    await enqueueReconcile(queue, ['gateway/ns/gw']);
    await until(async () => runs.length >= expectedRuns && (await queueDepth(queue)).total === 0);
    await sleep(100); // would an extra run show up?
    expect(runs).toEqual(Array(expectedRuns).fill('gateway/ns/gw'));
    expect(await outcomeCounts(metrics, 'portico_reconcile_jobs_total')).toEqual(outcomes);
    expect(await outcomeCounts(metrics, 'portico_reconcile_duration_seconds_count')).toEqual(
      outcomes,
    );
  });

  it('logs a failure with the key on a child logger', async () => {
    openQueue();
    const { logger, lines } = capturingLogger();
    const runs = scripted(['throw', { kind: 'done' }], createMetrics('r'), logger);
    await enqueueReconcile(queue, ['gatewayclass/portico']);
    await until(() => runs.length === 2);
    const failure = lines.find((l) => l['msg'] === 'reconcile failed');
    expect(failure).toMatchObject({
      key: 'gatewayclass/portico',
      attempt: 1,
      err: { message: 'API server said no' },
    });
  });

  it('collapses adds of one key while it waits, and counts depth', async () => {
    openQueue();
    await enqueueReconcile(queue, ['gateway/a/x', 'gateway/a/x', 'gateway/a/y']);
    await enqueueReconcile(queue, ['gateway/a/x']);
    await enqueueReconcile(queue, ['gateway/a/z'], { delayMs: 60_000 });
    expect(await queueDepth(queue)).toEqual({ waiting: 2, delayed: 1, active: 0, total: 3 });
    const metrics = createMetrics('watcher');
    registerQueueDepthGauge(metrics, queue);
    const text = await metrics.registry.metrics();
    expect(text).toContain('portico_reconcile_queue_depth{state="waiting",service="watcher"} 2');
    expect(text).toContain('portico_reconcile_queue_depth{state="delayed",service="watcher"} 1');
  });

  it('tells a running handler when a change to its own key arrived meanwhile', async () => {
    openQueue();
    const seen: Array<{ key: string; before: boolean; after: boolean }> = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    worker = startReconcileWorker({
      connection: connection(),
      prefix,
      concurrency: 2,
      logger: silentLogger(),
      metrics: createMetrics('r'),
      handler: async (key, context) => {
        const first = ++started === 1;
        const superseded = context.superseded;
        if (!superseded) throw new Error('the worker gives every handler superseded()');
        const before = await superseded();
        if (first) await held; // the first run waits for the test
        seen.push({ key, before, after: await superseded() });
        return { kind: 'done' };
      },
    });
    await enqueueReconcile(queue, ['gateway/ns/gw']);
    await until(() => started === 1);
    await enqueueReconcile(queue, ['gateway/ns/other']); // another key: not a newer change
    await until(() => seen.some((s) => s.key === 'gateway/ns/other'));
    await enqueueReconcile(queue, ['gateway/ns/gw']); // parked behind the running job
    release();
    await until(() => seen.filter((s) => s.key === 'gateway/ns/gw').length === 2);
    expect(seen).toEqual([
      { key: 'gateway/ns/other', before: false, after: false },
      { key: 'gateway/ns/gw', before: false, after: true },
      { key: 'gateway/ns/gw', before: false, after: false },
    ]);
  });

  it('a fresh change supersedes a pending requeue instead of waiting for it', async () => {
    openQueue();
    const runs = scripted(
      [{ kind: 'requeue', afterMs: 60_000 }, { kind: 'done' }],
      createMetrics('r'),
    );
    await enqueueReconcile(queue, ['gateway/ns/gw']);
    await until(async () => (await queueDepth(queue)).delayed === 1);
    await enqueueReconcile(queue, ['gateway/ns/gw']);
    await until(() => runs.length === 2);
    expect(await queueDepth(queue)).toMatchObject({ delayed: 0 });
  });

  it('close() waits for the running job to finish', async () => {
    openQueue();
    const events: string[] = [];
    worker = startReconcileWorker({
      connection: connection(),
      prefix,
      concurrency: 1,
      logger: silentLogger(),
      metrics: createMetrics('r'),
      handler: async () => {
        events.push('started');
        await sleep(200);
        events.push('finished');
        return { kind: 'done' };
      },
    });
    await enqueueReconcile(queue, ['gateway/ns/gw']);
    await until(() => events.includes('started'));
    await worker.close();
    events.push('closed');
    worker = undefined;
    expect(events).toEqual(['started', 'finished', 'closed']);
    expect(await queueDepth(queue)).toMatchObject({ total: 0 });
  });
});

describe('retryDelayMs', () => {
  it.each([
    ['first retry waits the base', 1, 1000],
    ['then doubles', 3, 4000],
    ['and stops at the cap', 10, 60_000],
    ['even for absurd attempt counts', 5000, 60_000],
  ])('%s', (_name, attemptsMade, expected) => {
    expect(retryDelayMs(attemptsMade, { baseMs: 1000, maxMs: 60_000 })).toBe(expected);
  });
});
