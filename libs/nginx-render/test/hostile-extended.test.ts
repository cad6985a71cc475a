/**
 * Invariant 7 for the extended HTTPRoute fields (backend-level header modifiers, mirrors,
 * CORS, retries): values NGINX cannot carry end as RenderErrors naming the field, and values
 * full of NGINX syntax (quotes, `;`, braces, `$`) that are legal HTTP reach the backend and
 * the client byte for byte on a real NGINX, with no directive injected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorsIR, GatewayIR, HttpRuleIR } from '@portico/ir';
import { RenderError, renderNginx } from '@portico/nginx-render';
import { freePorts, httpRequest, makeTempDir, removeTempDir } from '@portico/testing';
import { startBackend, type Backend } from './support/backends.ts';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const OFFSET = 10000;
const NASTY = `a"b'c;d{e}f$host\${x}\\g # h`;
const CORS: CorsIR = {
  allowOrigins: ['https://ok.example'],
  allowMethods: ['GET'],
  allowHeaders: ['x-a'],
  exposeHeaders: ['x-b'],
  allowCredentials: false,
  maxAge: 5,
};
const none = { set: [], add: [], remove: [] };

function gateway(port: number, upstreams: Array<[string, number]>, rule: HttpRuleIR): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'default', name: 'hostile' },
    httpServers: [{ port, protocol: 'HTTP', virtualHosts: [{ hostname: '*', rules: [rule] }] }],
    upstreams: upstreams.map(([name, p]) => ({
      name,
      service: { namespace: 'default', name, port: 80 },
      endpoints: [{ address: '127.0.0.1', port: p }],
    })),
  };
}

const baseRule = (overrides: Partial<HttpRuleIR>): HttpRuleIR => ({
  id: 'r0',
  source: { kind: 'HTTPRoute', namespace: 'default', name: 'h', ruleIndex: 0, matchIndex: 0 },
  match: { path: { type: 'PathPrefix', value: '/' } },
  backends: [{ upstream: 'up_a', weight: 1 }],
  ...overrides,
});

const R0 = 'gateways[0].httpServers[0].virtualHosts[0].rules[0]';

describe('extended fields NGINX cannot carry are refused', () => {
  it.each<[string, Partial<HttpRuleIR>, string]>([
    [
      'a backend-level header value with a newline',
      {
        backends: [
          {
            upstream: 'up_a',
            weight: 1,
            filters: {
              requestHeaders: { ...none, set: [{ name: 'X-A', value: 'v\nreturn 200;' }] },
            },
          },
        ],
      },
      R0,
    ],
    [
      'a backend-level header name with a semicolon',
      {
        backends: [
          {
            upstream: 'up_a',
            weight: 1,
            filters: { requestHeaders: { ...none, set: [{ name: 'X;A', value: 'v' }] } },
          },
        ],
      },
      R0,
    ],
    [
      'a mirror to an upstream the IR does not have',
      { filters: { mirrors: [{ upstream: 'up_a; return 200', basisPoints: 10000 }] } },
      `${R0}.filters.mirrors[0].upstream`,
    ],
    [
      'a mirror share above 100 %',
      { filters: { mirrors: [{ upstream: 'up_a', basisPoints: 10001 }] } },
      `${R0}.filters.mirrors[0].basisPoints`,
    ],
    [
      'a mirror share that is not whole basis points',
      { filters: { mirrors: [{ upstream: 'up_a', basisPoints: 1.5 }] } },
      `${R0}.filters.mirrors[0].basisPoints`,
    ],
    [
      'a CORS method with a directive',
      { filters: { cors: { ...CORS, allowMethods: ['GET; return 200'] } } },
      `${R0}.filters.cors.allowMethods[0]`,
    ],
    [
      'a CORS expose header with a quote',
      { filters: { cors: { ...CORS, exposeHeaders: ['x"b'] } } },
      `${R0}.filters.cors.headers`,
    ],
    [
      'a CORS origin with a brace',
      { filters: { cors: { ...CORS, allowOrigins: ['https://a.com}'] } } },
      `${R0}.filters.cors.allowOrigins[0]`,
    ],
    [
      'a negative CORS max age',
      { filters: { cors: { ...CORS, maxAge: -1 } } },
      `${R0}.filters.cors.maxAge`,
    ],
  ])('%s', (_title, patch, field) => {
    let error: unknown;
    try {
      renderNginx([gateway(80, [['up_a', 1]], baseRule(patch))], settingsUnder('/srv/p'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).field.startsWith(field)).toBe(true);
  });
});

describe('NGINX syntax in legal values reaches the backend and client verbatim', () => {
  let root = '';
  let port = 0;
  let a: Backend;
  let b: Backend;
  let nginx: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    root = await makeTempDir('portico-hostile-');
    [a, b] = await Promise.all([startBackend('a'), startBackend('b')]);
    const [main = 0, statusPort = 0] = await freePorts(2);
    port = main;
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${statusPort}`,
    });
    const rule = baseRule({
      backends: [
        {
          upstream: 'up_a',
          weight: 1,
          filters: {
            requestHeaders: { ...none, set: [{ name: 'X-Backend', value: NASTY }] },
            responseHeaders: { ...none, add: [{ name: 'X-Back', value: NASTY }] },
          },
        },
      ],
      filters: {
        requestHeaders: { ...none, add: [{ name: 'X-Rule', value: NASTY }] },
        mirrors: [{ upstream: 'up_b', basisPoints: 10000 }],
        cors: { ...CORS, allowOrigins: ['https://*.ok.example'] },
      },
      retry: { attempts: 1, codes: [500] },
    });
    const ir = gateway(
      port - OFFSET,
      [
        ['up_a', a.port],
        ['up_b', b.port],
      ],
      rule,
    );
    await writeRendered(renderNginx([ir], settings).files, settings);
    nginx = await runNginx(settings);
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([a?.close(), b?.close()]);
    if (root) await removeTempDir(root);
  });

  it('backend and rule header values arrive unchanged, and the mirror sees the request', async () => {
    const res = await httpRequest(`http://127.0.0.1:${port}/x?q=1`, {
      headers: { Origin: 'https://app.ok.example' },
    });
    expect(res.status).toBe(200);
    const seen = a.log.at(-1);
    expect(seen?.headers['x-backend']).toBe(NASTY);
    expect(seen?.headers['x-rule']).toBe(NASTY);
    expect(res.headers['x-back']).toBe(NASTY);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.ok.example');
    await expect.poll(() => b.log.some((s) => s.url === '/x?q=1')).toBe(true);
  });

  it('an origin that only looks allowed gets no CORS header', async () => {
    const res = await httpRequest(`http://127.0.0.1:${port}/x`, {
      headers: { Origin: 'https://ok.example.evil.com' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
