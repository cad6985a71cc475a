/**
 * Matching and filters on a real NGINX with real HTTP: method, header, query and regex
 * matches with the spec's precedence (through the map dispatch), header modifiers with
 * hostile values, redirects, rewrites, mirrors, CORS, timeouts, retries, per-backend filters
 * and WebSocket upgrades.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR, HttpMatchIR, HttpRuleIR, WeightedBackendIR } from '@portico/ir';
import { renderNginx } from '@portico/nginx-render';
import { freePorts, httpRequest, makeTempDir, removeTempDir, waitFor } from '@portico/testing';
import { startBackend, type Backend, type Seen } from './support/backends.ts';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const HOSTILE = '"; return 200 pwn; # ${host} $host \\';
let count = 0;

function rule(
  match: Partial<HttpMatchIR> & { prefix?: string },
  backends: WeightedBackendIR[],
  extra: Partial<HttpRuleIR> = {},
): HttpRuleIR {
  const { prefix, ...rest } = match;
  const ruleIndex = count++;
  return {
    id: `r${ruleIndex}`,
    source: { kind: 'HTTPRoute', namespace: 'default', name: 'live', ruleIndex, matchIndex: 0 },
    match: { path: { type: 'PathPrefix', value: prefix ?? '/' }, ...rest },
    backends,
    ...extra,
  };
}

const to = (upstream: string, weight = 1): WeightedBackendIR => ({ upstream, weight });
const exact = (name: string, value: string) => ({ name, type: 'Exact' as const, value });

/** In precedence order, as the graph sorts them. */
const MATCHING: HttpRuleIR[] = [
  rule({ path: { type: 'Exact', value: '/exact' } }, [to('a')]),
  rule({ path: { type: 'RegularExpression', value: '/items/[0-9]+' } }, [to('c')]),
  rule({ prefix: '/path5' }, [to('a')]),
  rule({ prefix: '/path1', method: 'GET' }, [to('a')]),
  rule({ prefix: '/q', queryParams: [exact('animal', 'whale'), exact('color', 'blue')] }, [
    to('c'),
  ]),
  rule({ prefix: '/q', queryParams: [exact('animal', 'whale')] }, [to('b')]),
  rule({ method: 'POST' }, [to('a')]),
  rule({ method: 'PATCH' }, [to('b')]),
  rule({ headers: [exact('color', 'orange'), exact('version', 'two')] }, [to('a')]),
  rule({ headers: [exact('version', 'one')] }, [to('a')]),
  rule({ headers: [exact('version', 'two')] }, [to('b')]),
  rule({ headers: [{ name: 'color', type: 'RegularExpression', value: 'blue|green' }] }, [to('c')]),
  rule({ headers: [exact('x-hostile', HOSTILE)] }, [to('b')]),
  rule({ queryParams: [exact('ANIMAL', 'Whale')] }, [to('c')]),
];

const HEADERS = { set: [], add: [], remove: [] };

const FILTERS: HttpRuleIR[] = [
  rule({ prefix: '/set' }, [to('a')], {
    filters: {
      requestHeaders: {
        set: [{ name: 'X-Set', value: HOSTILE }],
        add: [{ name: 'X-Add', value: 'add1' }],
        remove: ['X-Remove'],
      },
      responseHeaders: {
        ...HEADERS,
        set: [{ name: 'X-Resp', value: HOSTILE }],
        remove: ['Content-Type'],
      },
    },
  }),
  rule({ prefix: '/redir-prefix' }, [], {
    filters: {
      redirect: {
        scheme: 'http',
        hostname: null,
        port: null,
        statusCode: 302,
        path: { type: 'ReplacePrefixMatch', value: '/new' },
      },
    },
  }),
  rule({ prefix: '/redir-full' }, [], {
    filters: {
      redirect: {
        scheme: 'https',
        hostname: null,
        port: null,
        statusCode: 308,
        path: { type: 'ReplaceFullPath', value: '/full' },
      },
    },
  }),
  rule({ prefix: '/redir-port' }, [], {
    filters: { redirect: { scheme: 'http', hostname: 'example.org', port: 8083, statusCode: 303 } },
  }),
  rule({ prefix: '/rw-prefix' }, [to('a')], {
    filters: { rewrite: { path: { type: 'ReplacePrefixMatch', value: '/' } } },
  }),
  rule({ prefix: '/rw-full' }, [to('a')], {
    filters: {
      rewrite: { hostname: 'backend.example', path: { type: 'ReplaceFullPath', value: '/one' } },
    },
  }),
  rule({ prefix: '/mirror' }, [to('a')], {
    filters: {
      mirrors: [
        { upstream: 'b', basisPoints: 10000 },
        { upstream: 'c', basisPoints: 5000 },
      ],
    },
  }),
  rule({ prefix: '/cors' }, [to('a')], {
    filters: {
      cors: {
        allowOrigins: ['https://*.bar.com'],
        allowMethods: ['GET', 'OPTIONS'],
        allowHeaders: ['x-header-1'],
        exposeHeaders: [],
        allowCredentials: true,
        maxAge: 60,
      },
    },
  }),
  rule({ prefix: '/timeout' }, [to('a')], { timeouts: { backendRequestMs: 300 } }),
  rule({ prefix: '/retry' }, [to('a')], { retry: { attempts: 2, codes: [500] } }),
  rule({ prefix: '/per-backend' }, [], {
    backends: [
      {
        upstream: 'a',
        weight: 1,
        filters: { requestHeaders: { ...HEADERS, set: [{ name: 'X-Backend', value: 'is-a' }] } },
      },
      {
        upstream: 'b',
        weight: 1,
        filters: { requestHeaders: { ...HEADERS, set: [{ name: 'X-Backend', value: 'is-b' }] } },
      },
    ],
  }),
  rule({ prefix: '/dispatched', headers: [exact('x-go', 'yes')] }, [to('a')], {
    filters: { rewrite: { path: { type: 'ReplacePrefixMatch', value: '/landed' } } },
  }),
  rule({ prefix: '/ws' }, [to('ws')]),
];

function liveIR(port: number, backends: Backend[]): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'default', name: 'routing' },
    httpServers: [
      {
        port,
        protocol: 'HTTP',
        virtualHosts: [
          { hostname: 'filters.test', rules: FILTERS },
          { hostname: 'match.test', rules: MATCHING },
        ],
      },
    ],
    upstreams: [
      ...backends.map((b) => ({
        name: b.name,
        service: { namespace: 'default', name: b.name, port: 80 },
        endpoints: [{ address: '127.0.0.1', port: b.port }],
      })),
      {
        name: 'ws',
        service: { namespace: 'default', name: 'ws', port: 80 },
        endpoints: [{ address: '127.0.0.1', port: backends[0]?.port ?? 0 }],
        protocol: 'websocket' as const,
      },
    ].sort((x, y) => (x.name < y.name ? -1 : 1)),
  };
}

describe('routing features on a real NGINX', () => {
  let root = '';
  let backends: Backend[] = [];
  let nginx: { stop(): Promise<void> } | undefined;
  let port = 0;

  beforeAll(async () => {
    root = await makeTempDir('render-routing');
    const [listen = 0, status = 0] = await freePorts(2);
    port = listen;
    backends = await Promise.all(['a', 'b', 'c'].map(startBackend));
    const settings = settingsUnder(root, { statusListen: `127.0.0.1:${status}` });
    await writeRendered(renderNginx([liveIR(port, backends)], settings).files, settings);
    nginx = await runNginx(settings);
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(backends.map((b) => b.close()));
    await removeTempDir(root);
  });

  async function send(
    host: string,
    path: string,
    options: { method?: string; headers?: Record<string, string> } = {},
  ) {
    const res = await httpRequest(`http://127.0.0.1:${port}${path}`, {
      method: options.method ?? 'GET',
      headers: { host, ...options.headers },
    });
    const seen =
      res.headers['content-type'] === 'application/json' || res.body.startsWith('{"backend"')
        ? res.json<Seen>()
        : undefined;
    return { status: res.status, headers: res.headers, backend: seen?.backend, seen };
  }

  it.each<[string, string, string, Record<string, string>, number, string | undefined]>([
    ['Exact path', 'GET', '/exact', {}, 200, 'a'],
    ['regex path, full match', 'GET', '/items/42', {}, 200, 'c'],
    ['regex path does not match partly', 'GET', '/items/42x', {}, 404, undefined],
    ['a longer prefix beats a method match', 'PATCH', '/path5', {}, 200, 'a'],
    ['prefix with method', 'GET', '/path1/x', {}, 200, 'a'],
    [
      'prefix with another method falls back to shorter prefixes',
      'DELETE',
      '/path1',
      {},
      404,
      undefined,
    ],
    ['two query params beat one', 'GET', '/q?color=blue&animal=whale', {}, 200, 'c'],
    ['one query param', 'GET', '/q?animal=whale&other=1', {}, 200, 'b'],
    ['query values match whole', 'GET', '/q?animal=whaledolphin', {}, 404, undefined],
    ['query names are case-sensitive', 'GET', '/q?ANIMAL=whale', {}, 404, undefined],
    ['query names as written', 'GET', '/?ANIMAL=Whale', {}, 200, 'c'],
    ['method POST', 'POST', '/', {}, 200, 'a'],
    ['method PATCH', 'PATCH', '/', {}, 200, 'b'],
    ['no rule for HEAD', 'HEAD', '/', {}, 404, undefined],
    ['method beats headers', 'PATCH', '/', { version: 'one' }, 200, 'b'],
    ['header', 'GET', '/', { Version: 'one' }, 200, 'a'],
    ['other header value', 'GET', '/', { version: 'two' }, 200, 'b'],
    ['two headers beat one', 'GET', '/', { version: 'two', color: 'orange' }, 200, 'a'],
    ['header regex', 'GET', '/', { color: 'green' }, 200, 'c'],
    ['header values are case-sensitive', 'GET', '/', { color: 'Blue' }, 404, undefined],
    ['header regex matches whole values', 'GET', '/', { color: 'greenish' }, 404, undefined],
    ['a hostile header value matches literally', 'GET', '/', { 'x-hostile': HOSTILE }, 200, 'b'],
    ['the hostile value is not a pattern', 'GET', '/', { 'x-hostile': 'x' }, 404, undefined],
  ])('matching: %s', async (_title, method, path, headers, status, backend) => {
    const res = await send('match.test', path, { method, headers });
    expect({ status: res.status, backend: res.backend }).toEqual({ status, backend });
  });

  it('header modifiers: set, add, remove, hostile values as literals', async () => {
    const res = await send('filters.test', '/set', {
      headers: { 'X-Add': 'orig', 'X-Remove': 'x', 'X-Set': 'old' },
    });
    expect(res.seen?.headers).toMatchObject({
      'x-set': HOSTILE,
      'x-add': 'orig,add1',
      host: 'filters.test',
    });
    expect(res.seen?.headers['x-remove']).toBeUndefined();
    expect(res.headers['x-resp']).toBe(HOSTILE);
    expect(res.headers['content-type']).toBeUndefined();
    const alone = await send('filters.test', '/set');
    expect(alone.seen?.headers['x-add']).toBe('add1');
  });

  it.each([
    [
      'prefix replaced, query kept',
      '/redir-prefix/a/b?x=1',
      302,
      'http://filters.test/new/a/b?x=1',
    ],
    ['prefix itself', '/redir-prefix', 302, 'http://filters.test/new'],
    [
      'full path, scheme https on its port',
      '/redir-full/z?x=1',
      308,
      'https://filters.test/full?x=1',
    ],
    ['host and port, path kept', '/redir-port/p?q', 303, 'http://example.org:8083/redir-port/p?q'],
  ])('redirect: %s', async (_title, path, status, location) => {
    const res = await send('filters.test', path);
    expect([res.status, res.headers.location]).toEqual([status, location]);
  });

  it.each([
    ['prefix to /', '/rw-prefix/three?q=1', '/three?q=1', 'filters.test'],
    ['prefix itself to /', '/rw-prefix', '/', 'filters.test'],
    ['full path and host', '/rw-full/x/y?z=2', '/one?z=2', 'backend.example'],
    [
      'after a dispatch, from the saved path',
      '/dispatched/deep?k=v',
      '/landed/deep?k=v',
      'filters.test',
    ],
  ])('rewrite: %s', async (_title, path, url, host) => {
    const res = await send('filters.test', path, { headers: { 'x-go': 'yes' } });
    expect([res.status, res.seen?.url, res.seen?.headers.host]).toEqual([200, url, host]);
  });

  it('mirrors every request to one backend and about half to another', async () => {
    const before = { b: backends[1]?.log.length ?? 0, c: backends[2]?.log.length ?? 0 };
    for (let i = 0; i < 60; i++)
      expect((await send('filters.test', `/mirror/${i}`)).backend).toBe('a');
    const mirrored = (b: Backend | undefined, from: number) =>
      (b?.log ?? []).slice(from).filter((s) => s.url.startsWith('/mirror/')).length;
    await waitFor(() => mirrored(backends[1], before.b) === 60, {
      timeoutMs: 5000,
      description: 'every mirrored request seen',
    });
    expect(mirrored(backends[2], before.c)).toBeGreaterThan(15);
    expect(mirrored(backends[2], before.c)).toBeLessThan(45);
  });

  it('CORS: preflight answered, allowed origin echoed, others get nothing', async () => {
    const preflight = await send('filters.test', '/cors', {
      method: 'OPTIONS',
      headers: { origin: 'https://a.b.bar.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://a.b.bar.com',
      'access-control-allow-methods': 'GET, OPTIONS',
      'access-control-allow-headers': 'x-header-1',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '60',
    });
    const refused = await send('filters.test', '/cors', {
      method: 'OPTIONS',
      headers: { origin: 'https://bar.com.evil', 'access-control-request-method': 'GET' },
    });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers['access-control-allow-credentials']).toBeUndefined();
    const simple = await send('filters.test', '/cors', {
      headers: { origin: 'https://x.bar.com' },
    });
    expect([simple.status, simple.backend, simple.headers['access-control-allow-origin']]).toEqual([
      200,
      'a',
      'https://x.bar.com',
    ]);
  });

  it.each([
    ['a quick backend answers', '/timeout?delay=0', 200],
    ['a slow backend times out with 504', '/timeout?delay=800', 504],
    ['retries until success within attempts', '/retry?fail=2&key=k1', 200],
    ['gives up after attempts', '/retry?fail=3&key=k2', 500],
  ])('timeouts and retries: %s', async (_title, path, status) => {
    expect((await send('filters.test', path)).status).toBe(status);
  });

  it('per-backend filters follow the backend the split picked', async () => {
    const pairs = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await send('filters.test', '/per-backend');
      pairs.add(`${res.backend}:${String(res.seen?.headers['x-backend'])}`);
    }
    expect([...pairs].sort()).toEqual(['a:is-a', 'b:is-b']);
  });

  it('upgrades WebSocket connections for kubernetes.io/ws backends', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (data.includes('\r\n\r\n') && !data.includes('ping')) socket.write('ping');
        if (data.endsWith('ping')) {
          socket.destroy();
          resolve(data);
        }
      });
      socket.on('error', reject);
      socket.write(
        'GET /ws HTTP/1.1\r\nHost: filters.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      );
    });
    expect(reply).toMatch(/^HTTP\/1\.1 101/);
    expect(reply.endsWith('ping')).toBe(true);
  });
});
