/**
 * Issue 6, tracing: one change followed through the pipeline. The services export spans over
 * OTLP/HTTP (JSON) to a collector this test runs; a route change must give a `watch.event`
 * span, a `reconcile` span that is its child (the job carried its traceparent), a
 * `render.apply` span linked to that reconcile (the IR carried its traceparent), and the
 * reconcile that writes Programmed as a child of the apply (the ack carried it). The
 * reconciler's log line about the new IR carries the same `trace_id`.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectPath, RESOURCES, type KubeObject } from '@portico/kube';
import { freePort, waitFor } from '@portico/testing';
import { waitForAnswer } from './support/observe.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: { stringValue?: string; intValue?: number } }>;
  links?: Array<{ traceId: string; spanId: string }>;
  service: string;
}

const spans: OtlpSpan[] = [];
let collector: Server;
let e2e: E2EStack;

function receive(body: string): void {
  const payload = JSON.parse(body) as {
    resourceSpans?: Array<{
      resource?: { attributes?: OtlpSpan['attributes'] };
      scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
    }>;
  };
  for (const resourceSpans of payload.resourceSpans ?? []) {
    const service =
      resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value
        .stringValue ?? '';
    for (const scope of resourceSpans.scopeSpans ?? [])
      for (const span of scope.spans ?? []) spans.push({ ...span, service });
  }
}

const attribute = (span: OtlpSpan, key: string) =>
  span.attributes?.find((a) => a.key === key)?.value.stringValue;

beforeAll(async () => {
  const port = await freePort();
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') receive(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(port, '127.0.0.1', resolve));
  e2e = await startE2EStack({
    serviceEnv: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
  await e2e.stack.waitForGatewayProgrammed('default', 'my-gateway', 60_000);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
  await new Promise((resolve) => collector?.close(resolve));
});

describe('a change followed through the pipeline', () => {
  it('watch.event -> reconcile (child) -> render.apply (linked) -> Programmed reconcile (child)', async () => {
    const path = objectPath(RESOURCES.HTTPRoute, 'default', 'httpbin');
    const route = await e2e.stack.rest.request<KubeObject>('PATCH', path, {
      body: {
        spec: {
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/traced' } }],
              backendRefs: [{ name: 'httpbin', port: 80 }],
            },
          ],
        },
      },
      contentType: 'application/merge-patch+json',
    });
    await waitForAnswer(
      e2e.listenerUrl(80),
      'www.example.local',
      '/traced/x',
      '200 httpbin-local-1',
    );

    const found = await waitFor(
      () => {
        const watch = spans.find(
          (s) =>
            s.name === 'watch.event' &&
            attribute(s, 'portico.object') === 'default/httpbin' &&
            attribute(s, 'k8s.resource_version') === route.metadata.resourceVersion,
        );
        const reconcile = spans.find(
          (s) => s.name === 'reconcile' && watch && s.parentSpanId === watch.spanId,
        );
        const apply = spans.find(
          (s) =>
            s.name === 'render.apply' &&
            reconcile &&
            (s.links ?? []).some((l) => l.spanId === reconcile.spanId),
        );
        const programmed = spans.find(
          (s) => s.name === 'reconcile' && apply && s.parentSpanId === apply.spanId,
        );
        return watch && reconcile && apply && programmed
          ? { watch, reconcile, apply, programmed }
          : undefined;
      },
      { description: 'the spans of the change', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(found.reconcile.traceId).toBe(found.watch.traceId);
    expect(attribute(found.reconcile, 'portico.key')).toBe('gateway/default/my-gateway');
    expect([found.watch.service, found.reconcile.service, found.apply.service]).toEqual([
      'portico-watcher',
      'portico-reconciler',
      'portico-renderer',
    ]);

    const logs = await Promise.all(
      ['reconciler-1', 'reconciler-2'].map((id) =>
        readFile(join(e2e.stateDir, 'logs', `${id}.log`), 'utf8').catch(() => ''),
      ),
    );
    const published = logs
      .join('\n')
      .split('\n')
      .filter((line) => line.includes('published a new IR'))
      .map((line) => JSON.parse(line) as { trace_id?: string });
    expect(published.map((l) => l.trace_id)).toContain(found.watch.traceId);
  });
});
