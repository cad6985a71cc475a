import { describe, expect, it } from 'vitest';
import { createMetrics, metricName } from '../src/index.ts';

describe('createMetrics', () => {
  it.each([
    ['adds the prefix', 'jobs_total', 'portico_jobs_total'],
    ['keeps an existing prefix', 'portico_jobs_total', 'portico_jobs_total'],
  ])('metricName %s', (_name, input, expected) => {
    expect(metricName(input)).toBe(expected);
  });

  it('exposes default process metrics with the service label', async () => {
    const metrics = createMetrics('watcher');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="watcher"\} /m);
  });

  it('registers counters, histograms and gauges under the portico_ prefix', async () => {
    const metrics = createMetrics('reconciler');
    metrics
      .counter({ name: 'things_total', help: 'h', labelNames: ['outcome'] })
      .inc({ outcome: 'done' }, 2);
    metrics.histogram({ name: 'work_seconds', help: 'h', buckets: [0.1, 1] }).observe(0.5);
    metrics.gauge({
      name: 'depth',
      help: 'h',
      collect() {
        this.set(7);
      },
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('portico_things_total{outcome="done",service="reconciler"} 2');
    expect(text).toContain('portico_work_seconds_bucket{le="1",service="reconciler"} 1');
    expect(text).toContain('portico_work_seconds_bucket{le="0.1",service="reconciler"} 0');
    expect(text).toContain('portico_depth{service="reconciler"} 7');
  });

  it('returns the same metric when asked twice for one name', async () => {
    const metrics = createMetrics('reconciler');
    const spec = { name: 'jobs_total', help: 'h', labelNames: ['outcome'] as const };
    metrics.counter(spec).inc({ outcome: 'done' });
    metrics.counter(spec).inc({ outcome: 'done' });
    expect(await metrics.registry.metrics()).toContain(
      'portico_jobs_total{outcome="done",service="reconciler"} 2',
    );
  });

  it('keeps registries of two services apart', async () => {
    const a = createMetrics('a');
    const b = createMetrics('b');
    a.counter({ name: 'only_in_a_total', help: 'h' }).inc();
    expect(await b.registry.metrics()).not.toContain('only_in_a_total');
  });
});
