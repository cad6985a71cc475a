/**
 * TLS stream servers (stream-tls.ts) beyond the golden file: what goes where by SNI when
 * HTTPS servers share the port, where internal sockets live, and the values refused.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayIR, StreamRouteIR } from '@portico/ir';
import { RenderError, renderNginx, STREAM_FILE } from '@portico/nginx-render';
import { tlsPortGateway, tlsUpstream, TLS_PORT_CERT } from './support/ir.ts';
import { settingsUnder } from './support/nginx.ts';

const CERT = TLS_PORT_CERT;

function route(hostname: string, terminate = false): StreamRouteIR {
  return {
    hostname,
    source: { kind: 'TLSRoute', namespace: 'infra', name: hostname.replaceAll('*', 'any') },
    backends: [{ upstream: 'infra__svc__443', weight: 1 }],
    ...(terminate ? { terminate: [CERT] } : {}),
  };
}

/** One Gateway: TLS routes on 443, and optionally an HTTPS listener on 443 too. */
function gateway(routes: StreamRouteIR[], httpsHostname?: string, name = 'gw'): GatewayIR {
  const upstreams = [tlsUpstream('infra__svc__443', '10.0.0.1', 'svc')];
  return tlsPortGateway({ name, routes, upstreams, httpsHostname });
}

const settings = settingsUnder('/srv/p', {});
settings.paths.socketDir = '/run/portico';

/** The SNI map of port 443 as `name -> target` lines (targets shortened). */
function sniMap(irs: GatewayIR[]): string[] {
  const stream = renderNginx(irs, settings).files.find((f) => f.path === STREAM_FILE);
  const map = /map \$ssl_preread_server_name \S+ \{\n([\s\S]*?)\n\}/.exec(stream?.contents ?? '');
  return (map?.[1] ?? '')
    .split('\n')
    .map((l) => l.trim().replace(/;$/, ''))
    .filter((l) => l !== 'hostnames')
    .map((l) => l.replace(/gw_\w+__infra__svc__443/, 'upstream').replace(/_[0-9a-f]{8}_/, '_'));
}

describe('the SNI map of a TLS port', () => {
  it.each<[string, GatewayIR[], string[]]>([
    [
      'passthrough only: unknown names are closed',
      [gateway([route('a.example.com')])],
      ['a.example.com upstream', 'default portico_closed'],
    ],
    [
      'a terminating route goes to its terminator',
      [gateway([route('t.example.com', true)])],
      ['t.example.com portico_term_443_0', 'default portico_closed'],
    ],
    [
      'an HTTPS name beats a passthrough wildcard, unknown names go to HTTPS (which refuses them)',
      [gateway([route('*.example.com')], 'www.example.com')],
      [
        '*.example.com portico_relay_443_0',
        'www.example.com portico_https_443',
        'default portico_https_443',
      ],
    ],
    [
      'a catch-all TLS route keeps the default, HTTPS keeps its names',
      [gateway([route('*', true)], 'www.example.com')],
      ['www.example.com portico_https_443', 'default portico_term_443_0'],
    ],
    [
      'HTTPS servers of another Gateway on the port are reached too',
      [gateway([route('a.example.com')]), gateway([], 'www.example.com', 'web')],
      [
        'a.example.com portico_relay_443_0',
        'www.example.com portico_https_443',
        'default portico_https_443',
      ],
    ],
  ])('%s', (_name, irs, expected) => {
    expect(sniMap(irs)).toEqual(expected);
  });

  it('moves the HTTPS servers of a shared port to a unix socket in socketDir', () => {
    const files = renderNginx([gateway([route('a.example.com')], 'www.example.com')], settings);
    const http = files.files.find((f) => f.path === 'http/infra_gw.conf')?.contents ?? '';
    expect(http).toContain('listen "unix:/run/portico/https_443.sock" ssl http2 proxy_protocol;');
    expect(http).not.toMatch(/listen 443/);
  });

  it('leaves HTTPS alone on a port without TLS listeners', () => {
    const ir = gateway([route('a.example.com')], 'www.example.com');
    ir.streamServers = [];
    const http = renderNginx([ir], settings).files.find((f) => f.path === 'http/infra_gw.conf');
    expect(http?.contents).toContain('listen 443 ssl http2;');
  });

  it('lists the terminators certificates for the renderer service to write', () => {
    const result = renderNginx([gateway([route('t.example.com', true)])], settings);
    expect(result.certificates.map((c) => c.certificatePath)).toEqual([
      'certs/infra_cert_ab12.crt',
    ]);
  });
});

describe('TLS stream values refused', () => {
  it.each<[string, GatewayIR, string]>([
    [
      'a terminating route without certificates',
      gateway([{ ...route('t.example.com'), terminate: [] }]),
      'gateways[0].streamServers[0].routes[0].terminate',
    ],
    [
      'an injected certificate name',
      gateway([{ ...route('t.example.com'), terminate: [{ ...CERT, name: 'a;b' }] }]),
      'gateways[0].streamServers[0].routes[0].terminate[0].name',
    ],
    [
      'an injected SNI hostname',
      gateway([route('a.example.com; include x')]),
      'gateways[0].streamServers[0].routes[0].hostname',
    ],
  ])('%s', (_name, ir, field) => {
    expect(() => renderNginx([ir], settings)).toThrow(RenderError);
    try {
      renderNginx([ir], settings);
    } catch (error) {
      expect((error as RenderError).field).toBe(field);
    }
  });

  it('refuses a socket directory too long for a unix socket path', () => {
    const long = settingsUnder('/srv/p', {});
    long.paths.socketDir = `/run/${'x'.repeat(100)}`;
    expect(() => renderNginx([gateway([route('t.example.com', true)])], long)).toThrow(
      /longer than 107 bytes/,
    );
  });
});
