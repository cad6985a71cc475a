import { Queue } from 'bullmq';
import type { ConnectionOptions, JobsOptions } from 'bullmq';

/** The one BullMQ queue of the pipeline (docs/architecture.md). */
export const QUEUE_NAME = 'reconcile';

/**
 * Default BullMQ key prefix. On Redis Cluster use the hash-tag form `{portico}`: BullMQ's Lua
 * scripts touch several keys of a queue at once, and they must share one slot.
 */
export const DEFAULT_PREFIX = 'portico';

/** Attempts per job before BullMQ marks it failed; retries back off (see the worker). */
export const DEFAULT_ATTEMPTS = 15;

/** Name of the backoff strategy the reconcile worker implements (bounded exponential). */
export const BACKOFF_TYPE = 'portico-bounded-exponential';

/**
 * A job carries the key and no object content (invariant 1): the handler reads the current
 * state, so duplicated, reordered or replayed jobs change nothing. `traceparent` is metadata:
 * the W3C trace context of the change that asked for the job, so the reconcile joins its trace.
 * A job that absorbed later adds (deduplication) keeps the first change's trace.
 */
export interface ReconcileJobData {
  key: string;
  traceparent?: string;
}

export type ReconcileQueue = Queue<ReconcileJobData, void, string>;

/** Options shared by the queue and its workers. */
export interface QueueConnectionOptions {
  /** ioredis options or instance, as BullMQ takes them. */
  connection: ConnectionOptions;
  /** BullMQ key prefix; defaults to {@link DEFAULT_PREFIX}. */
  prefix?: string;
}

/** Opens the reconcile queue for producers (the watcher, renderers acking, requeues). */
export function createReconcileQueue(options: QueueConnectionOptions): ReconcileQueue {
  return new Queue<ReconcileJobData, void, string>(QUEUE_NAME, {
    connection: options.connection,
    prefix: options.prefix ?? DEFAULT_PREFIX,
  });
}

/**
 * Job options for one key. The deduplication id is the key with `keepLastIfActive`: while a
 * job of the key is waiting or delayed an add is absorbed by it (that job will read the newest
 * state); while one is active the add is parked and becomes exactly one new job when the
 * active one finishes, so a change made during a reconcile is never lost and no two workers run
 * one key at once (invariant 2). `replace` lets a fresh change supersede a delayed job (a
 * requeue or a retry backing off), so it is reconciled now rather than when the delay ends.
 */
export function reconcileJobOptions(key: string, delayMs = 0): JobsOptions {
  return {
    deduplication: { id: key, keepLastIfActive: true, replace: delayMs === 0 },
    ...(delayMs > 0 ? { delay: delayMs } : {}),
    attempts: DEFAULT_ATTEMPTS,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: true,
    removeOnFail: { count: 1000 },
  };
}

/** Options of {@link enqueueReconcile}. */
export interface EnqueueOptions {
  /** Run no earlier than this many ms from now (used for requeues). */
  delayMs?: number;
  /** Trace context of the change (`currentTraceparent()` of @portico/telemetry). */
  traceparent?: string | undefined;
}

/**
 * Asks for one reconcile of each key (duplicates in `keys` collapse). The caller must have
 * written the state the reconcile should see before calling this: the handler reads state,
 * not job data.
 */
export async function enqueueReconcile(
  queue: ReconcileQueue,
  keys: Iterable<string>,
  options: EnqueueOptions = {},
): Promise<void> {
  const unique = [...new Set(keys)].sort();
  await Promise.all(
    unique.map((key) =>
      queue.add(
        key,
        options.traceparent ? { key, traceparent: options.traceparent } : { key },
        reconcileJobOptions(key, options.delayMs ?? 0),
      ),
    ),
  );
}
