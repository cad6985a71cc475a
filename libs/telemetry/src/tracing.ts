/**
 * Tracing (OpenTelemetry), so one change can be followed through the pipeline: the watcher's
 * span per event, the reconcile job that carries its `traceparent` (W3C trace context, metadata
 * beside the key: invariant 1 allows what is not object content), the IR published with the
 * reconcile's `traceparent`, and the renderer's apply span linked to it.
 *
 * Spans are always made (log lines carry `trace_id` either way); they leave the process only
 * with an exporter, chosen by OpenTelemetry's standard variables: `OTEL_TRACES_EXPORTER`
 * (`otlp`, `console`, `none`), else `otlp` when `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, else none. The OTLP exporter (HTTP/protobuf)
 * reads its endpoint and headers from the same variables; `OTEL_TRACES_SAMPLER` applies.
 */
import {
  context,
  propagation,
  trace,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';

export type { Link, Span, Tracer } from '@opentelemetry/api';

export type ExporterChoice = 'otlp' | 'console' | 'none';

export interface Tracing {
  readonly tracer: Tracer;
  readonly exporter: ExporterChoice | 'custom';
  /** Flushes and stops exporting (part of a graceful shutdown). */
  shutdown(): Promise<void>;
}

/** Which exporter the environment asks for (see the module comment). */
export function exporterFromEnv(env: NodeJS.ProcessEnv): ExporterChoice {
  const named = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (named === 'otlp' || named === 'console' || named === 'none') return named;
  if (named) throw new Error(`OTEL_TRACES_EXPORTER must be otlp, console or none, got "${named}"`);
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ? 'otlp'
    : 'none';
}

let started: Tracing | undefined;

/** Portico's tracer (a no-op one until `startTracing` registered a provider). */
export function porticoTracer(): Tracer {
  return trace.getTracer('portico', '0.1.0');
}

/**
 * Registers the process's tracer provider (once; later calls return the first) and returns the
 * service's tracer. `exporter` replaces the environment's choice (tests pass an in-memory one).
 */
export function startTracing(
  service: string,
  options: { env?: NodeJS.ProcessEnv; exporter?: SpanExporter } = {},
): Tracing {
  if (started) return started;
  const choice = exporterFromEnv(options.env ?? process.env);
  const exporter =
    options.exporter ??
    (choice === 'otlp'
      ? new OTLPTraceExporter()
      : choice === 'console'
        ? new ConsoleSpanExporter()
        : undefined);
  const spanProcessors = exporter
    ? [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)]
    : [];
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `portico-${service}` }),
    spanProcessors,
  });
  provider.register(); // AsyncLocalStorage context and the W3C trace-context propagator
  started = {
    tracer: porticoTracer(),
    exporter: options.exporter ? 'custom' : choice,
    shutdown: () => provider.shutdown(),
  };
  return started;
}

/** The W3C `traceparent` of the active span (or of `ctx`), if there is one. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** A context whose parent is the span a `traceparent` names (the active one when absent). */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return context.active();
  return propagation.extract(context.active(), { traceparent });
}

/** A link to the span a `traceparent` names (the renderer links its apply to each IR's). */
export function linkFromTraceparent(traceparent: string | undefined): Link | undefined {
  if (!traceparent) return undefined;
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent));
  return spanContext && trace.isSpanContextValid(spanContext)
    ? { context: spanContext }
    : undefined;
}

/** `trace_id` and `span_id` of the active span, for log lines (empty without one). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * Runs `work` in a span (active for everything it awaits), records a thrown error on it, and
 * ends it. The one way services make spans.
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: { parent?: string; links?: Link[]; attributes?: Record<string, string | number> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = contextFromTraceparent(options.parent);
  return tracer.startActiveSpan(
    name,
    {
      ...(options.links ? { links: options.links } : {}),
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: 2,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
