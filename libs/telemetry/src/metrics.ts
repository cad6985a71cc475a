import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metric } from 'prom-client';

export type { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every Portico metric name starts with this, so dashboards can select them as one family. */
export const METRIC_PREFIX = 'portico_';

/** Shape shared by the three metric helpers of {@link Metrics}. */
export interface MetricSpec<L extends string> {
  /** Name without or with the `portico_` prefix; the prefix is added when missing. */
  name: string;
  help: string;
  labelNames?: readonly L[];
}

/** Histogram spec: buckets in the unit of the metric (seconds for durations). */
export interface HistogramSpec<L extends string> extends MetricSpec<L> {
  buckets?: number[];
}

/** Gauge spec: `collect` runs on each scrape, for values read on demand (queue depth). */
export interface GaugeSpec<L extends string> extends MetricSpec<L> {
  collect?: (this: Gauge<L>) => void | Promise<void>;
}

/**
 * One service's metrics. The helpers are idempotent by name: two workers in one process that
 * both ask for `portico_reconcile_jobs_total` share one counter instead of failing on a
 * duplicate registration.
 */
export interface Metrics {
  readonly registry: Registry;
  counter<L extends string = string>(spec: MetricSpec<L>): Counter<L>;
  histogram<L extends string = string>(spec: HistogramSpec<L>): Histogram<L>;
  gauge<L extends string = string>(spec: GaugeSpec<L>): Gauge<L>;
}

/** Adds the `portico_` prefix unless the name already carries it. */
export function metricName(name: string): string {
  return name.startsWith(METRIC_PREFIX) ? name : METRIC_PREFIX + name;
}

/**
 * A registry of its own (never prom-client's global one, so tests and several services in one
 * process do not collide) with the default process metrics and a `service` label on every
 * series.
 */
export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  function reuse<M extends Metric>(name: string, make: () => M): M {
    return (registry.getSingleMetric(name) as M | undefined) ?? make();
  }

  return {
    registry,
    counter: <L extends string>(spec: MetricSpec<L>) => {
      const name = metricName(spec.name);
      return reuse(name, () => new Counter<L>({ ...labelled(spec), name, registers: [registry] }));
    },
    histogram: <L extends string>(spec: HistogramSpec<L>) => {
      const name = metricName(spec.name);
      const buckets = spec.buckets ? { buckets: spec.buckets } : {};
      return reuse(
        name,
        () => new Histogram<L>({ ...labelled(spec), ...buckets, name, registers: [registry] }),
      );
    },
    gauge: <L extends string>(spec: GaugeSpec<L>) => {
      const name = metricName(spec.name);
      const collect = spec.collect ? { collect: spec.collect } : {};
      return reuse(
        name,
        () => new Gauge<L>({ ...labelled(spec), ...collect, name, registers: [registry] }),
      );
    },
  };
}

function labelled<L extends string>(spec: MetricSpec<L>): { help: string; labelNames: L[] } {
  return { help: spec.help, labelNames: [...(spec.labelNames ?? [])] };
}
