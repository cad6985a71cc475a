/**
 * The rendered config on a real NGINX with real HTTP: path precedence as the Gateway API
 * defines it, hosts, weighted splits, invalid backends, and the status server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR, HttpRuleIR, WeightedBackendIR } from '@portico/ir';
import { renderNginx, type RenderResult } from '@portico/nginx-render';
import { freePorts, httpRequest, makeTempDir, removeTempDir } from '@portico/testing';
import { startBackend, type Backend, type Seen } from './support/backends.ts';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const OFFSET = 10000;
let ruleCount = 0;

function rule(
  type: 'Exact' | 'PathPrefix',
  value: string,
  backends: WeightedBackendIR[],
): HttpRuleIR {
  const ruleIndex = ruleCount++;
  return {
    id: `r${ruleIndex}`,
    source: { kind: 'HTTPRoute', namespace: 'default', name: 'live', ruleIndex, matchIndex: 0 },
    match: { path: { type, value } },
    backends,
  };
}

const to = (upstream: string | null, weight = 1): WeightedBackendIR => ({ upstream, weight });

/** The IR as the graph would sort it: exact first, then longest prefix. */
function liveIR(mainPort: number, otherPort: number, backends: Backend[]): GatewayIR {
  const [a, b, c] = ['up_a', 'up_b', 'up_c'];
  return {
    schemaVersion: 2,
    gateway: { namespace: 'default', name: 'live' },
    httpServers: [
      {
        port: mainPort - OFFSET,
        protocol: 'HTTP',
        virtualHosts: [
          {
            hostname: '*',
            rules: [
              rule('Exact', '/api/v2/exact', [to(c)]),
              rule('Exact', '/exact', [to(a)]),
              rule('PathPrefix', '/api/v2', [to(b)]),
              rule('PathPrefix', '/split', [to(a, 3), to(b, 1)]),
              rule('PathPrefix', '/half', [to(a), to(null)]),
              rule('PathPrefix', '/none', []),
              rule('PathPrefix', '/api', [to(a)]),
            ],
          },
          { hostname: '*.wild.example.com', rules: [rule('PathPrefix', '/', [to(b)])] },
          { hostname: 'app.example.com', rules: [rule('PathPrefix', '/', [to(c)])] },
        ],
      },
      {
        port: otherPort - OFFSET,
        protocol: 'HTTP',
        virtualHosts: [{ hostname: 'only.example.com', rules: [rule('PathPrefix', '/', [to(a)])] }],
      },
    ],
    upstreams: backends.map((backend) => ({
      name: `up_${backend.name}`,
      service: { namespace: 'default', name: backend.name, port: 80 },
      endpoints: [{ address: '127.0.0.1', port: backend.port }],
    })),
  };
}

describe('rendered config on a real NGINX', () => {
  let root = '';
  let backends: Backend[] = [];
  let nginx: { stop(): Promise<void> } | undefined;
  let result: RenderResult;
  let mainPort = 0;
  let otherPort = 0;
  let statusPort = 0;

  beforeAll(async () => {
    root = await makeTempDir('render-live');
    [mainPort = 0, otherPort = 0, statusPort = 0] = await freePorts(3);
    backends = await Promise.all(['a', 'b', 'c'].map(startBackend));
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${statusPort}`,
    });
    result = renderNginx([liveIR(mainPort, otherPort, backends)], settings);
    await writeRendered(result.files, settings);
    nginx = await runNginx(settings);
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(backends.map((b) => b.close()));
    await removeTempDir(root);
  });

  async function get(port: number, path: string, host = 'localhost') {
    const res = await httpRequest(`http://127.0.0.1:${port}${path}`, { headers: { host } });
    const seen = res.status === 200 ? res.json<Seen>() : undefined;
    return { status: res.status, backend: seen?.backend, seen };
  }

  it.each([
    ['Exact matches its path', '/exact', 200, 'a'],
    ['Exact does not match a trailing slash', '/exact/', 404, undefined],
    ['Exact does not match a longer path', '/exactly', 404, undefined],
    ['PathPrefix matches its path', '/api', 200, 'a'],
    ['PathPrefix matches its path with a slash', '/api/', 200, 'a'],
    ['PathPrefix matches below its path', '/api/users/1', 200, 'a'],
    ['PathPrefix does not match /pfoo', '/apifoo', 404, undefined],
    ['the longer prefix wins', '/api/v2', 200, 'b'],
    ['the longer prefix wins below it', '/api/v2/items', 200, 'b'],
    ['a prefix matches whole segments only', '/api/v2x', 200, 'a'],
    ['Exact wins over a prefix', '/api/v2/exact', 200, 'c'],
    ['Exact is exact, the prefix takes the rest', '/api/v2/exact/', 200, 'b'],
    ['a rule without backends answers 500', '/none/x', 500, undefined],
    ['a path no rule matches gets 404', '/', 404, undefined],
    ['another unmatched path gets 404', '/other', 404, undefined],
  ])('catch-all host: %s (%s)', async (_title, path, status, backend) => {
    expect(await get(mainPort, path)).toMatchObject({ status, backend });
  });

  it.each([
    ['an exact host gets its own routes', 'app.example.com', '/exact', 200, 'c'],
    ['a wildcard host matches one label', 'x.wild.example.com', '/y', 200, 'b'],
    ['a wildcard host matches several labels', 'a.b.wild.example.com', '/y', 200, 'b'],
    ['the wildcard base name is not matched', 'wild.example.com', '/exact', 200, 'a'],
    ['a host with a port is matched by name', 'app.example.com:80', '/', 200, 'c'],
  ])('hosts: %s', async (_title, host, path, status, backend) => {
    expect(await get(mainPort, path, host)).toMatchObject({ status, backend });
  });

  it.each([
    ['the named host is served', 'only.example.com', 200, 'a'],
    ['an unknown host gets 404, not another virtual host', 'app.example.com', 404, undefined],
  ])('port without a catch-all: %s', async (_title, host, status, backend) => {
    expect(await get(otherPort, '/', host)).toMatchObject({ status, backend });
  });

  it('proxies the request URI unchanged, with forwarding headers and keepalive', async () => {
    const sent = '/api/a%2Fb//c?q=1%202&x';
    const { seen, backend } = await get(mainPort, sent, 'App.Example.com:8080');
    expect(backend).toBe('c');
    expect(seen?.url).toBe(sent);
    expect(seen?.httpVersion).toBe('1.1');
    expect(seen?.headers).toMatchObject({
      host: 'App.Example.com:8080',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'app.example.com',
    });
    expect(seen?.headers.connection).toBeUndefined();
  });

  it('splits 3:1 weighted traffic roughly 75/25', async () => {
    const counts = await countOutcomes(() => get(mainPort, '/split/x'), 400);
    expect(Object.keys(counts).sort()).toEqual(['200:a', '200:b']);
    expect((counts['200:a'] ?? 0) / 400).toBeGreaterThan(0.65);
    expect((counts['200:a'] ?? 0) / 400).toBeLessThan(0.85);
  });

  it('answers 500 for the share of an invalid backend', async () => {
    const counts = await countOutcomes(() => get(mainPort, '/half'), 400);
    expect(Object.keys(counts).sort()).toEqual(['200:a', '500:-']);
    expect((counts['500:-'] ?? 0) / 400).toBeGreaterThan(0.38);
    expect((counts['500:-'] ?? 0) / 400).toBeLessThan(0.62);
  });

  it('serves the version and health from the status server', async () => {
    const version = await httpRequest(`http://127.0.0.1:${statusPort}/portico/version`);
    expect(version.status).toBe(200);
    expect(version.headers['content-type']).toBe('text/plain');
    expect(version.body).toBe(result.version);
    const health = await httpRequest(`http://127.0.0.1:${statusPort}/portico/healthz`);
    expect([health.status, health.body]).toEqual([200, 'ok']);
    const other = await httpRequest(`http://127.0.0.1:${statusPort}/other`);
    expect(other.status).toBe(404);
  });
});

async function countOutcomes(
  send: () => Promise<{ status: number; backend: string | undefined }>,
  n: number,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(Array.from({ length: Math.min(20, n - i) }, send));
    for (const { status, backend } of batch) {
      const key = `${status}:${backend ?? '-'}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}
