/**
 * The PROXY protocol on TLS ports (stream-tls.ts, stream-relay.ts): which stream servers send
 * it, which accept it and trust it, and where relays keep it from passthrough backends. Each
 * case lists the port's stream servers as `where [PROXY in] -> target [PROXY out]`.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayIR, StreamRouteIR } from '@portico/ir';
import { renderNginx, STREAM_FILE } from '@portico/nginx-render';
import { tlsPortGateway, tlsUpstream, TLS_PORT_CERT } from './support/ir.ts';
import { settingsUnder } from './support/nginx.ts';

const CERT = TLS_PORT_CERT;

function route(
  hostname: string,
  backends: [upstream: string | null, weight: number][],
  terminate = false,
): StreamRouteIR {
  return {
    hostname,
    source: { kind: 'TLSRoute', namespace: 'infra', name: hostname.replaceAll('*', 'any') },
    backends: backends.map(([upstream, weight]) => ({ upstream, weight })),
    ...(terminate ? { terminate: [CERT] } : {}),
  };
}

const PASS_A = route('a.example.com', [['infra__a__443', 1]]);
const PASS_B = route('b.example.com', [['infra__a__443', 1]]);
const TERM = route('t.example.com', [['infra__a__443', 1]], true);

function gateway(routes: StreamRouteIR[], httpsHostname?: string): GatewayIR {
  const upstreams = [
    tlsUpstream('infra__a__443', '10.0.0.1'),
    tlsUpstream('infra__b__443', '10.0.0.2'),
  ];
  return tlsPortGateway({ routes, upstreams, httpsHostname });
}

const settings = settingsUnder('/srv/p', {});
settings.paths.socketDir = '/run/portico';

function render(ir: GatewayIR): { stream: string; http: string } {
  const files = renderNginx([ir], settings).files;
  const contents = (path: string): string => files.find((f) => f.path === path)?.contents ?? '';
  return { stream: contents(STREAM_FILE), http: contents('http/infra_gw.conf') };
}

/** Names without the Gateway tag, so the cases read as the layout. */
function short(text: string): string {
  return text
    .replace(/gw_\w+?__infra__(\w)__443/g, 'upstream_$1')
    .replace(/"unix:\/run\/portico\/(\S+)\.sock"/g, '$1')
    .replace(/(^|_)[0-9a-f]{8}_/g, '$1');
}

/** Every `server {}` of the stream file, summarised. */
function streamServers(stream: string): string[] {
  return [...stream.matchAll(/^server \{\n([\s\S]*?)\n\}/gm)].map(([, body = '']) => {
    const listen = /listen ([^\s;]+)/.exec(body)?.[1] ?? '?';
    const accepts = / proxy_protocol;/.test(body);
    const trusts = /set_real_ip_from unix:;/.test(body);
    const target = /proxy_pass (\S+);/.exec(body)?.[1] ?? '?';
    const sends = /proxy_protocol on;/.test(body);
    const inbound = accepts ? (trusts ? ' [PROXY in]' : ' [PROXY in, untrusted]') : '';
    return short(`${listen}${inbound} -> ${target}${sends ? ' [PROXY out]' : ''}`);
  });
}

describe('the PROXY protocol behind a TLS port', () => {
  it.each<[string, GatewayIR, string[]]>([
    [
      'passthrough only: no header, no relay (as fast as before)',
      gateway([PASS_A]),
      ['443 -> $portico_443_tcp'],
    ],
    [
      'termination only: the front sends it, the terminator trusts it',
      gateway([TERM]),
      ['443_0 [PROXY in] -> upstream_a', '443 -> $portico_443_tcp [PROXY out]'],
    ],
    [
      'passthrough beside termination: the passthrough target is relayed without the header',
      gateway([PASS_A, TERM]),
      [
        'relay_443_0 [PROXY in] -> upstream_a',
        '443_1 [PROXY in] -> upstream_a',
        '443 -> $portico_443_tcp [PROXY out]',
      ],
    ],
    [
      'passthrough beside HTTPS: relayed too',
      gateway([PASS_A], 'www.example.com'),
      ['relay_443_0 [PROXY in] -> upstream_a', '443 -> $portico_443_tcp [PROXY out]'],
    ],
    [
      'two passthrough names with one target share a relay',
      gateway([PASS_A, PASS_B, TERM]),
      [
        'relay_443_0 [PROXY in] -> upstream_a',
        '443_2 [PROXY in] -> upstream_a',
        '443 -> $portico_443_tcp [PROXY out]',
      ],
    ],
    [
      'a weighted passthrough route: the relay splits (on the restored client address)',
      gateway([
        route('w.example.com', [
          ['infra__a__443', 1],
          ['infra__b__443', 1],
        ]),
        TERM,
      ]),
      [
        'relay_443_0 [PROXY in] -> $portico_443_tcp_0',
        '443_1 [PROXY in] -> upstream_a',
        '443 -> $portico_443_tcp [PROXY out]',
      ],
    ],
    [
      'a refused passthrough route needs no relay: nothing is connected',
      gateway([route('x.example.com', [[null, 1]]), TERM]),
      ['443_1 [PROXY in] -> upstream_a', '443 -> $portico_443_tcp [PROXY out]'],
    ],
  ])('%s', (_name, ir, expected) => {
    expect(streamServers(render(ir).stream)).toEqual(expected);
  });

  it('splits weighted connections on the client address and port everywhere', () => {
    const weighted = route('w.example.com', [
      ['infra__a__443', 1],
      ['infra__b__443', 1],
    ]);
    const { stream } = render(
      gateway([weighted, { ...weighted, hostname: 't.example.com', terminate: [CERT] }]),
    );
    const keys = [...stream.matchAll(/split_clients (\S+) /g)].map((m) => m[1]);
    expect(keys).toEqual(['$remote_addr$remote_port', '$remote_addr$remote_port']);
  });

  it('lets the HTTPS servers behind the front take the client address from the header', () => {
    const { http } = render(gateway([PASS_A], 'www.example.com'));
    expect(http).toContain('listen "unix:/run/portico/https_443.sock" ssl http2 proxy_protocol;');
    expect(http).toContain('set_real_ip_from unix:;\n    real_ip_header proxy_protocol;');
  });
});
