/**
 * @portico/queue: the reconcile queue. Producers enqueue keys (never object contents);
 * workers run a handler per key through one outcome switch. BullMQ's keep-last deduplication
 * gives invariant 2: a change during a reconcile causes one more reconcile after it, and no
 * two workers reconcile one key at once.
 */
export * from './queue.ts';
export * from './backoff.ts';
export * from './worker.ts';
export * from './depth.ts';
export * from './redis.ts';
export { UnrecoverableError } from 'bullmq';
