/**
 * Which cleartext ports get the h2c front (stream-h2c.ts), what it changes in the files, and
 * when the stream njs module is loaded. Real `nginx -t` runs are in the golden cases
 * (backend-protocols, h2c-front) and the live test (live-h2c-front.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { GatewayIR, HttpServerIR, UpstreamIR } from '@portico/ir';
import { RenderError, renderNginx, type RenderResult } from '@portico/nginx-render';
import { prefixServer } from './support/ir.ts';
import { settingsUnder } from './support/nginx.ts';

const STREAM = '/usr/lib/nginx/modules/ngx_stream_module.so';
const STREAM_JS = '/usr/lib/nginx/modules/ngx_stream_js_module.so';
const HTTP_JS = '/usr/lib/nginx/modules/ngx_http_js_module.so';

const upstreams: UpstreamIR[] = [
  {
    name: 'h2c_up',
    service: { namespace: 'default', name: 'h2c', port: 8081 },
    endpoints: [{ address: '10.0.0.1', port: 8081 }],
    protocol: 'h2c',
  },
  {
    name: 'web_up',
    service: { namespace: 'default', name: 'web', port: 80 },
    endpoints: [{ address: '10.0.0.2', port: 80 }],
  },
];

function server(port: number, hostname: string, upstream: string): HttpServerIR {
  return prefixServer(port, hostname, [upstream], `r${port}${hostname.replace(/\W/g, '')}`);
}

function gateway(name: string, httpServers: HttpServerIR[]): GatewayIR {
  return { schemaVersion: 2, gateway: { namespace: 'default', name }, httpServers, upstreams };
}

function render(irs: GatewayIR[], modules: string[] = [STREAM], socketDir?: string): RenderResult {
  const settings = settingsUnder('/tmp/portico-h2c-unit', { modules });
  if (socketDir !== undefined) settings.paths.socketDir = socketDir;
  return renderNginx(irs, settings);
}

function contents(result: RenderResult, path: string): string {
  return result.files.find((f) => f.path === path)?.contents ?? '';
}

function loadedModules(result: RenderResult): string[] {
  return [...contents(result, 'nginx.conf').matchAll(/^load_module "([^"]+)";$/gm)].map(
    (m) => m[1] ?? '',
  );
}

describe('h2c fronts', () => {
  it.each([
    ['the stream module alone gets the stream njs module beside it', [STREAM], [STREAM, STREAM_JS]],
    [
      'a list with the stream njs module stays as it is',
      [STREAM, HTTP_JS, STREAM_JS],
      [STREAM, HTTP_JS, STREAM_JS],
    ],
    ['a build without dynamic modules gets none', [], []],
    [
      'a module directory elsewhere is kept',
      ['/opt/m/ngx_stream_module.so'],
      ['/opt/m/ngx_stream_module.so', '/opt/m/ngx_stream_js_module.so'],
    ],
  ])('modules: %s', (_, modules, expected) => {
    const result = render([gateway('a', [server(80, '*', 'h2c_up')])], modules);
    expect(loadedModules(result)).toEqual(expected);
  });

  it('leaves a configuration without h2c routes as it was: no module, no stream files', () => {
    const result = render([gateway('a', [server(80, '*', 'web_up')])]);
    expect(loadedModules(result)).toEqual([STREAM]);
    expect(result.files.map((f) => f.path).filter((p) => p.startsWith('stream/'))).toEqual([]);
    expect(contents(result, 'http/default_a.conf')).toContain('listen 80 default_server;');
  });

  it('fronts only the port with an h2c route, for every Gateway sharing it', () => {
    const result = render([
      gateway('a', [server(80, 'a.example.com', 'h2c_up'), server(8080, '*', 'web_up')]),
      gateway('b', [server(80, 'b.example.com', 'web_up')]),
    ]);
    const stream = contents(result, 'stream/h2c.conf');
    expect([...stream.matchAll(/^ {4}listen (\d+);$/gm)].map((m) => m[1])).toEqual(['80']);
    for (const file of ['http/default_a.conf', 'http/default_b.conf']) {
      expect(contents(result, file)).toContain(
        'listen "unix:/tmp/portico-h2c-unit/temp/h2c_80.sock" http2 proxy_protocol;',
      );
    }
    expect(contents(result, 'http/default_a.conf')).toContain('listen 8080 default_server;');
    // Port 80 has no catch-all: its 404 default server moves to the sockets too.
    const defaults = contents(result, 'http/default-servers.conf');
    expect(defaults).not.toMatch(/listen 80\b/);
    expect(defaults).toContain(
      'listen "unix:/tmp/portico-h2c-unit/temp/http1_80.sock" proxy_protocol default_server;',
    );
  });

  /** A server whose only rule comes from a GRPCRoute: the port must speak h2c (`http2`). */
  function grpcServer(port: number, hostname: string): HttpServerIR {
    const plain = server(port, hostname, 'web_up');
    return {
      ...plain,
      http2: true,
      virtualHosts: plain.virtualHosts.map((v) => ({
        ...v,
        rules: v.rules.map((r) => ({ ...r, source: { ...r.source, kind: 'GRPCRoute' as const } })),
      })),
    };
  }

  it('fronts a port where GRPCRoutes and HTTPRoutes meet, so HTTP/1.1 clients keep working', () => {
    const result = render([
      gateway('a', [grpcServer(80, 'grpc.example.com'), server(80, 'web.example.com', 'web_up')]),
    ]);
    const stream = contents(result, 'stream/h2c.conf');
    expect([...stream.matchAll(/^ {4}listen (\d+);$/gm)].map((m) => m[1])).toEqual(['80']);
    const http = contents(result, 'http/default_a.conf');
    expect(http).not.toMatch(/listen 80\b/);
    expect(http).toContain(
      'listen "unix:/tmp/portico-h2c-unit/temp/http1_80.sock" proxy_protocol;',
    );
  });

  it('keeps a port with GRPCRoutes only a direct h2c listener (no hop)', () => {
    const result = render([gateway('a', [grpcServer(80, 'grpc.example.com')])]);
    expect(contents(result, 'stream/h2c.conf')).toBe('');
    expect(contents(result, 'http/default_a.conf')).toContain('listen 80 http2;');
  });

  it('does not front an HTTPS port (TLS clients negotiate h2 by ALPN)', () => {
    const plain = server(443, 'a.example.com', 'h2c_up');
    const certificate = { namespace: 'default', name: 'cert', contentHash: 'abc123' };
    const https = gateway('a', [
      {
        ...plain,
        protocol: 'HTTPS',
        listeners: [{ name: 'https', hostname: 'a.example.com', certificates: [certificate] }],
        virtualHosts: plain.virtualHosts.map((v) => ({ ...v, listener: 'https' })),
      },
    ]);
    const result = render([https]);
    expect(contents(result, 'http/default_a.conf')).toContain('listen 443 ssl http2;');
    expect(contents(result, 'stream/h2c.conf')).toBe('');
  });

  it('refuses a socket directory whose paths do not fit sun_path', () => {
    expect(() =>
      render([gateway('a', [server(80, '*', 'h2c_up')])], [STREAM], `/tmp/${'d'.repeat(100)}`),
    ).toThrow(RenderError);
  });
});
