import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, startOpsServer } from '../src/index.ts';
import type { OpsServer, Readiness } from '../src/index.ts';

describe('startOpsServer', () => {
  let server: OpsServer | undefined;
  let readiness: Readiness = { ready: false, reason: 'initial list not processed' };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start() {
    const metrics = createMetrics('watcher');
    metrics.counter({ name: 'events_total', help: 'h' }).inc(3);
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      isReady: async () => readiness,
    });
    const base = `http://127.0.0.1:${server.port}`;
    return async (path: string, init?: RequestInit) => {
      const res = await fetch(base + path, init);
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };
  }

  it.each([
    ['healthz while not ready', false, '/healthz', 200, 'ok\n'],
    ['healthz while ready', true, '/healthz', 200, 'ok\n'],
    [
      'readyz before ready, with the reason',
      false,
      '/readyz',
      503,
      'not ready: initial list not processed\n',
    ],
    ['readyz once ready', true, '/readyz', 200, 'ready\n'],
    ['an unknown path', true, '/nope', 404, 'not found\n'],
  ])('answers %s', async (_name, ready, path, status, body) => {
    readiness = ready ? { ready: true } : { ready: false, reason: 'initial list not processed' };
    const get = await start();
    expect(await get(path)).toMatchObject({ status, body });
  });

  it('follows isReady from one request to the next', async () => {
    readiness = { ready: false, reason: 'redis disconnected' };
    const get = await start();
    expect((await get('/readyz')).status).toBe(503);
    readiness = { ready: true };
    expect((await get('/readyz')).status).toBe(200);
  });

  it('serves metrics in the Prometheus text format', async () => {
    const get = await start();
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    expect(res.body).toContain('portico_events_total{service="watcher"} 3');
  });

  it('refuses other methods', async () => {
    const get = await start();
    expect((await get('/healthz', { method: 'POST' })).status).toBe(405);
  });

  it('answers 500 when isReady throws', async () => {
    const metrics = createMetrics('x');
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      isReady: () => {
        throw new Error('boom');
      },
    });
    const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(res.status).toBe(500);
  });
});
