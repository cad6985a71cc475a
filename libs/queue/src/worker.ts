import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import {
  currentTraceparent,
  inSpan,
  porticoTracer,
  type Logger,
  type Metrics,
} from '@portico/telemetry';
import { DEFAULT_RETRY, retryDelayMs } from './backoff.ts';
import type { RetryPolicy } from './backoff.ts';
import {
  BACKOFF_TYPE,
  DEFAULT_PREFIX,
  QUEUE_NAME,
  createReconcileQueue,
  enqueueReconcile,
} from './queue.ts';
import type { QueueConnectionOptions, ReconcileJobData, ReconcileQueue } from './queue.ts';

/** What a reconcile handler asks for. Throwing means "failed, retry with backoff". */
export type ReconcileResult = { kind: 'done' } | { kind: 'requeue'; afterMs: number };

/** Context handed to a handler beside its key. */
export interface ReconcileContext {
  /** Child logger with `key`, `jobId` and `attempt` bound. */
  logger: Logger;
  /** 1 for the first run of this job, 2 for its first retry ... */
  attempt: number;
  /**
   * True when a change to this key arrived after this run started: one more run of the key
   * is parked and starts when this one ends (keepLastIfActive). A handler with slow work left
   * that the next run redoes anyway (status writes read current state) may stop early, so the
   * newer change is handled sooner. Never true for another key's changes.
   */
  superseded?: () => Promise<boolean>;
}

/** Reconciles one key (`gateway/<ns>/<name>`, `gatewayclass/<name>`) from current state. */
export type ReconcileHandler = (key: string, context: ReconcileContext) => Promise<ReconcileResult>;

/** Options of {@link startReconcileWorker}. */
export interface ReconcileWorkerOptions extends QueueConnectionOptions {
  /** Jobs this worker runs at once (different keys; one key never runs twice at once). */
  concurrency: number;
  handler: ReconcileHandler;
  logger: Logger;
  metrics: Metrics;
  retry?: RetryPolicy;
  /** How long a job's lock lives without renewal; a dead worker's jobs return after it. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (locks of dead workers). */
  stalledIntervalMs?: number;
  /** Times a job may stall before it is failed; defaults to BullMQ's 1. */
  maxStalledCount?: number;
}

/** A running worker. */
export interface ReconcileWorker {
  /** The BullMQ worker, for events and for tests that kill it hard. */
  readonly worker: Worker<ReconcileJobData, void, string>;
  /** Stops taking jobs, waits for the running ones, closes connections. */
  close(): Promise<void>;
}

type Outcome = 'done' | 'requeue' | 'error';

/**
 * Runs reconcile jobs through one outcome switch (style point 10): `done` completes the job,
 * `requeue` completes it and adds a delayed job for the same key (same deduplication id, so a
 * change arriving meanwhile still gets its own immediate run), a throw fails the attempt and
 * BullMQ retries with bounded exponential backoff (throw BullMQ's `UnrecoverableError` to
 * skip retries). Every outcome is counted in `portico_reconcile_jobs_total{outcome}` and timed
 * in `portico_reconcile_duration_seconds{outcome}`.
 *
 * Known trade-off of `requeue`: BullMQ keeps one parked add per key while a job is active, so
 * a change that lands during a run which then returns `requeue` is absorbed by the delayed
 * job: it is reconciled (the run reads current state), but up to `afterMs` later. Changes
 * after the run ends supersede the delayed job at once (`replace`, see reconcileJobOptions).
 */
export function startReconcileWorker(options: ReconcileWorkerOptions): ReconcileWorker {
  const { logger, metrics } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const jobs = metrics.counter({
    name: 'reconcile_jobs_total',
    help: 'Reconcile jobs handled, by outcome (done, requeue, error).',
    labelNames: ['outcome'],
  });
  const durations = metrics.histogram({
    name: 'reconcile_duration_seconds',
    help: 'Time spent in the reconcile handler, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const requeues = createReconcileQueue({ connection: options.connection, prefix });
  const retry = options.retry ?? DEFAULT_RETRY;

  const runJob = async (job: Job<ReconcileJobData, void, string>): Promise<void> => {
    const key = job.data.key;
    const attempt = job.attemptsMade + 1;
    const log = logger.child({ key, jobId: job.id, attempt });
    const superseded = () => parkedNextRun(requeues, key);
    const stopTimer = durations.startTimer();
    let outcome: Outcome = 'error';
    try {
      // A span per run, child of the change that enqueued the key: the handler's log lines and
      // what it publishes carry this trace.
      const result = await inSpan(
        porticoTracer(),
        'reconcile',
        {
          parent: job.data.traceparent,
          attributes: { 'portico.key': key, 'portico.attempt': attempt },
        },
        () => options.handler(key, { logger: log, attempt, superseded }),
      );
      switch (result.kind) {
        case 'done':
          break;
        case 'requeue':
          await enqueueReconcile(requeues, [key], {
            delayMs: Math.max(1, result.afterMs),
            traceparent: job.data.traceparent ?? currentTraceparent(),
          });
          log.debug({ afterMs: result.afterMs }, 'requeued');
          break;
        default:
          throw new Error(`unknown reconcile result ${JSON.stringify(result satisfies never)}`);
      }
      outcome = result.kind;
    } catch (err) {
      log.error({ err }, 'reconcile failed');
      throw err;
    } finally {
      jobs.inc({ outcome });
      stopTimer({ outcome });
    }
  };

  const worker = new Worker<ReconcileJobData, void, string>(QUEUE_NAME, runJob, {
    connection: options.connection,
    prefix,
    concurrency: options.concurrency,
    ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    ...(options.maxStalledCount ? { maxStalledCount: options.maxStalledCount } : {}),
    settings: {
      backoffStrategy: (attemptsMade, type) =>
        type === BACKOFF_TYPE
          ? retryDelayMs(attemptsMade, retry)
          : retryDelayMs(attemptsMade, DEFAULT_RETRY),
    },
  });
  worker.on('error', (err) => logger.error({ err }, 'reconcile worker error'));
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'reconcile job stalled; it runs again'));
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      logger.error({ key: job.data.key, err }, 'reconcile gave up after all attempts');
    }
  });

  return {
    worker,
    close: async () => {
      await worker.close();
      await requeues.close();
    },
  };
}

/**
 * Whether BullMQ holds a parked next job for `key`: with `keepLastIfActive`, an add while the
 * key's job is active is stored as `<prefix>:<queue>:dn:<deduplication id>` until that job
 * ends, a hash with the parked job's id in `jid` (BullMQ 6 `storeDeduplicatedNextJob`). The
 * worker tests pin this layout down.
 */
async function parkedNextRun(queue: ReconcileQueue, key: string): Promise<boolean> {
  const client = await queue.getBackend().client;
  return (await client.hexists(queue.toKey(`dn:${key}`), 'jid')) === 1;
}
