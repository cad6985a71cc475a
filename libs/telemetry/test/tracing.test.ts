import { Writable } from 'node:stream';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  currentTraceparent,
  exporterFromEnv,
  inSpan,
  linkFromTraceparent,
  startTracing,
  type Tracing,
} from '../src/index.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
beforeAll(() => {
  tracing = startTracing('test', { exporter });
});

describe('exporterFromEnv', () => {
  it.each([
    [{}, 'none'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'otlp'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, 'otlp'],
    [{ OTEL_TRACES_EXPORTER: 'console' }, 'console'],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, 'none'],
  ])('%j -> %s', (env, expected) => {
    expect(exporterFromEnv(env)).toBe(expected);
  });

  it('refuses an exporter it does not have', () => {
    expect(() => exporterFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(
      'OTEL_TRACES_EXPORTER',
    );
  });
});

describe('spans across processes', () => {
  it('continues a trace from a traceparent, links to another, and records errors', async () => {
    let upstream = '';
    await inSpan(tracing.tracer, 'watch.event', {}, async () => {
      upstream = currentTraceparent() ?? '';
    });
    expect(upstream).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, traceId, parentId] = upstream.split('-');

    let child = '';
    await inSpan(tracing.tracer, 'reconcile', { parent: upstream }, async () => {
      child = currentTraceparent() ?? '';
    });
    expect(child.split('-')[1]).toBe(traceId);

    const link = linkFromTraceparent(child);
    await inSpan(tracing.tracer, 'render.apply', { links: link ? [link] : [] }, async () => {});
    await expect(
      inSpan(tracing.tracer, 'failing', {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    expect(byName.get('reconcile')?.parentSpanContext?.spanId).toBe(parentId);
    const apply = byName.get('render.apply');
    expect(apply?.spanContext().traceId).not.toBe(traceId);
    expect(apply?.links.map((l) => l.context.spanId)).toEqual([child.split('-')[2]]);
    expect(byName.get('failing')?.status).toMatchObject({ code: 2, message: 'boom' });
  });

  it('puts trace_id and span_id on log lines written inside a span, and none outside', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger('test', { destination });
    let traceparent = '';
    await inSpan(tracing.tracer, 'work', {}, async () => {
      traceparent = currentTraceparent() ?? '';
      logger.info('inside');
    });
    logger.info('outside');
    const [, traceId, spanId] = traceparent.split('-');
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: traceId, span_id: spanId });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('has no trace context outside a span, and no link from nothing', () => {
    expect(currentTraceparent()).toBeUndefined();
    expect(linkFromTraceparent(undefined)).toBeUndefined();
    expect(linkFromTraceparent('not-a-traceparent')).toBeUndefined();
  });
});
