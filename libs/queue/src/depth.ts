import type { Metrics } from '@portico/telemetry';
import type { ReconcileQueue } from './queue.ts';

/** Jobs not yet finished, by state. */
export interface QueueDepth {
  waiting: number;
  delayed: number;
  active: number;
  total: number;
}

/** Waiting + delayed + active jobs of the reconcile queue: the backlog of the controller. */
export async function queueDepth(queue: ReconcileQueue): Promise<QueueDepth> {
  const counts = await queue.getJobCounts('waiting', 'delayed', 'active');
  const waiting = counts['waiting'] ?? 0;
  const delayed = counts['delayed'] ?? 0;
  const active = counts['active'] ?? 0;
  return { waiting, delayed, active, total: waiting + delayed + active };
}

/**
 * Registers `portico_reconcile_queue_depth{state}` (waiting, delayed, active), read from Redis
 * at each scrape; `sum()` over it is the backlog. One process should register it (the watcher).
 */
export function registerQueueDepthGauge(metrics: Metrics, queue: ReconcileQueue): void {
  metrics.gauge({
    name: 'reconcile_queue_depth',
    help: 'Reconcile jobs waiting, delayed or active.',
    labelNames: ['state'],
    async collect() {
      const depth = await queueDepth(queue);
      this.set({ state: 'waiting' }, depth.waiting);
      this.set({ state: 'delayed' }, depth.delayed);
      this.set({ state: 'active' }, depth.active);
    },
  });
}
