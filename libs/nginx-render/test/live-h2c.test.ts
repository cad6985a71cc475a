/**
 * Backends with `appProtocol: kubernetes.io/h2c` on a real NGINX: HTTP/1.1 clients reach an
 * HTTP/2-cleartext backend through `grpc_pass` (GET and POST with a body, query kept, Host as
 * sent, header modifiers applied), a rule splitting between h2c and HTTP/1 backends reaches
 * both with their own protocol, and a mirror of an h2c rule to an HTTP/1 backend stays HTTP/1.
 */
import { chmod } from 'node:fs/promises';
import { createServer as createH2cServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR, HttpRuleIR, WeightedBackendIR } from '@portico/ir';
import { renderNginx } from '@portico/nginx-render';
import { freePorts, httpRequest, makeTempDir, removeTempDir } from '@portico/testing';
import { startBackend, type Backend } from './support/backends.ts';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const OFFSET = 10000;

interface H2cSeen {
  protocol: string;
  method: string;
  path: string;
  authority: string;
  headers: Record<string, unknown>;
  body: string;
}

/** An h2c-only backend (prior knowledge) answering with what it saw. */
async function startH2c(): Promise<{ port: number; server: Http2Server }> {
  const server = createH2cServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const seen: H2cSeen = {
        protocol: `HTTP/${req.httpVersion}`,
        method: req.method,
        path: req.url,
        authority: req.authority,
        headers: req.headers,
        body,
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ backend: 'h2c', ...seen }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

let ruleIndex = 0;
function rule(path: string, backends: WeightedBackendIR[], extra: Partial<HttpRuleIR> = {}) {
  const index = ruleIndex++;
  const r: HttpRuleIR = {
    id: `r${index}`,
    source: {
      kind: 'HTTPRoute',
      namespace: 'default',
      name: 'h2c',
      ruleIndex: index,
      matchIndex: 0,
    },
    match: { path: { type: 'PathPrefix', value: path } },
    backends,
    ...extra,
  };
  return r;
}

describe('h2c backends on a real NGINX', () => {
  let root = '';
  let sockets = '';
  let port = 0;
  let h2c: { port: number; server: Http2Server };
  let http1: Backend;
  let nginx: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    root = await makeTempDir('portico-h2c-');
    // The port is fronted for h2c clients (stream-h2c.ts): workers (nobody when the tests
    // run as root) connect to its unix sockets, so they live in a traversable directory.
    sockets = await makeTempDir('sockets');
    await chmod(sockets, 0o755);
    [h2c, http1] = await Promise.all([startH2c(), startBackend('http1')]);
    const [main = 0, statusPort = 0] = await freePorts(2);
    port = main;
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${statusPort}`,
    });
    settings.paths.socketDir = sockets;
    const none = { set: [], add: [], remove: [] };
    const ir: GatewayIR = {
      schemaVersion: 2,
      gateway: { namespace: 'default', name: 'h2c' },
      httpServers: [
        {
          port: port - OFFSET,
          protocol: 'HTTP',
          virtualHosts: [
            {
              hostname: '*',
              rules: [
                rule('/mixed', [
                  { upstream: 'up_h2c', weight: 1 },
                  { upstream: 'up_http1', weight: 1 },
                ]),
                rule('/mirrored', [{ upstream: 'up_h2c', weight: 1 }], {
                  filters: { mirrors: [{ upstream: 'up_http1', basisPoints: 10000 }] },
                }),
                rule('/', [{ upstream: 'up_h2c', weight: 1 }], {
                  filters: {
                    requestHeaders: { ...none, set: [{ name: 'X-Set', value: 'yes' }] },
                  },
                }),
              ],
            },
          ],
        },
      ],
      upstreams: [
        {
          name: 'up_h2c',
          service: { namespace: 'default', name: 'h2c', port: 8081 },
          endpoints: [{ address: '127.0.0.1', port: h2c.port }],
          protocol: 'h2c',
        },
        {
          name: 'up_http1',
          service: { namespace: 'default', name: 'http1', port: 80 },
          endpoints: [{ address: '127.0.0.1', port: http1.port }],
        },
      ],
    };
    await writeRendered(renderNginx([ir], settings).files, settings);
    nginx = await runNginx(settings);
  });

  afterAll(async () => {
    await nginx?.stop();
    await http1?.close();
    await new Promise((resolve) => h2c?.server.close(resolve));
    if (root) await removeTempDir(root);
    if (sockets) await removeTempDir(sockets);
  });

  it.each([
    ['GET', undefined],
    ['POST', 'a body'],
  ])('%s from an HTTP/1.1 client reaches the h2c backend over HTTP/2', async (method, body) => {
    const res = await httpRequest(`http://127.0.0.1:${port}/a/b?q=1`, {
      method,
      headers: { Host: 'app.example.com:8080' },
      ...(body === undefined ? {} : { body }),
    });
    expect(res.status).toBe(200);
    const seen = res.json<H2cSeen & { backend: string }>();
    expect(seen).toMatchObject({
      backend: 'h2c',
      protocol: 'HTTP/2.0',
      method,
      path: '/a/b?q=1',
      authority: 'app.example.com:8080',
      body: body ?? '',
    });
    expect(seen.headers['x-set']).toBe('yes');
  });

  it('a rule with h2c and HTTP/1 backends reaches each in its protocol', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const res = await httpRequest(`http://127.0.0.1:${port}/mixed/x`);
      expect(res.status).toBe(200);
      const answer = res.json<{ backend: string; path?: string; url?: string }>();
      expect(answer.path ?? answer.url).toBe('/mixed/x');
      seen.add(answer.backend);
    }
    expect([...seen].sort()).toEqual(['h2c', 'http1']);
  });

  it('a mirror of an h2c rule to an HTTP/1 backend stays HTTP/1', async () => {
    const res = await httpRequest(`http://127.0.0.1:${port}/mirrored/m?id=7`);
    expect(res.json<{ backend: string }>().backend).toBe('h2c');
    await expect
      .poll(() => http1.log.find((s) => s.url === '/mirrored/m?id=7')?.httpVersion)
      .toBe('1.1');
  });
});
