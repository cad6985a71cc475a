/**
 * TLS listeners of both modes and an HTTPS listener on one port, on a real NGINX with real
 * `node:tls` clients: the SNI picks a passthrough backend (which presents its own
 * certificate), a terminating route (NGINX presents the listener's certificate and the
 * backend receives plain bytes), or the HTTPS server behind the same port (its own
 * certificate, HTTP answered). Unknown names are refused, and weights hold behind a
 * terminator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRefIR, GatewayIR, StreamRouteIR } from '@portico/ir';
import {
  httpsVirtualHost,
  startSharedTlsPort,
  tlsExchange as exchange,
  upstream,
  TLS_CERT,
  WEB_CERT,
  type SharedTlsPort,
} from './support/shared-tls-port.ts';

const OFFSET = 22000;

function route(
  hostname: string,
  backends: [upstream: string | null, weight: number][],
  terminate?: CertificateRefIR,
): StreamRouteIR {
  return {
    hostname,
    source: { kind: 'TLSRoute', namespace: 'infra', name: hostname.replace('*', 'any') },
    backends: backends.map(([up, weight]) => ({ upstream: up, weight })),
    ...(terminate === undefined ? {} : { terminate: [terminate] }),
  };
}

/** Both ports: passthrough, terminate and HTTPS on `mixed`; a weighted terminator on `weighted`. */
function mixedGateway([mixed, weighted]: number[], backends: Record<string, number>): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'infra', name: 'mixed' },
    httpServers: [
      {
        port: mixed ?? 0,
        protocol: 'HTTPS',
        listeners: [{ name: 'https', hostname: 'www.example.com', certificates: [WEB_CERT] }],
        virtualHosts: [httpsVirtualHost('web')],
      },
    ],
    streamServers: [
      {
        port: mixed ?? 0,
        transport: 'tcp',
        protocol: 'TLS',
        routes: [
          route('pass.example.com', [['secure', 1]]),
          route('tls.example.com', [['plain_a', 1]], TLS_CERT),
        ],
      },
      {
        port: weighted ?? 0,
        transport: 'tcp',
        protocol: 'TLS',
        routes: [
          route(
            '*',
            [
              ['plain_a', 1],
              ['plain_b', 1],
            ],
            TLS_CERT,
          ),
        ],
      },
    ],
    upstreams: [
      upstream('plain_a', backends['plain-a'] ?? 0),
      upstream('plain_b', backends['plain-b'] ?? 0),
      upstream('secure', backends['secure'] ?? 0),
      upstream('web', backends['web'] ?? 0),
    ],
  };
}

/** What the client saw: the answer and the certificate's SANs. */
async function tlsExchange(
  port: number,
  servername: string,
  payload: string,
): Promise<{ data: string; san: string }> {
  const { data, san } = await exchange(port, servername, payload);
  return { data, san };
}

describe('TLS passthrough, TLS termination and HTTPS on one port of a real NGINX', () => {
  let fixture: SharedTlsPort | undefined;
  let mixed = 0;
  let weighted = 0;

  beforeAll(async () => {
    fixture = await startSharedTlsPort({
      name: 'render-live-tls-mixed',
      portOffset: OFFSET,
      listeners: 2,
      terminateNames: ['tls.example.com', 'any.example.org'],
      plainPods: ['plain-a', 'plain-b'],
      web: (_req, res) => res.end('web answered'),
      gateway: mixedGateway,
    });
    [mixed, weighted] = fixture.ports as [number, number];
  }, 60_000);

  afterAll(async () => {
    await fixture?.stop();
  });

  it('passes a Passthrough name through to the backend, which presents its own certificate', async () => {
    const got = await tlsExchange(mixed, 'pass.example.com', 'hi');
    expect(got).toEqual({
      data: 'infra/secure sni=pass.example.com hi',
      san: 'DNS:pass.example.com',
    });
  });

  it('terminates a Terminate name with the listener certificate and forwards plain bytes', async () => {
    const got = await tlsExchange(mixed, 'tls.example.com', 'hi');
    expect(got).toEqual({
      data: 'infra/plain-a hi',
      san: 'DNS:tls.example.com, DNS:any.example.org',
    });
  });

  it('hands an HTTPS name to the http server behind the port', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n';
    const got = await tlsExchange(mixed, 'www.example.com', request);
    expect(got.san).toBe('DNS:www.example.com');
    await expect
      .poll(async () => (await tlsExchange(mixed, 'www.example.com', request)).data, {
        timeout: 3000,
      })
      .toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\n/);
  });

  it('refuses a name that no listener serves', async () => {
    expect(await tlsExchange(mixed, 'unknown.example.net', 'hi')).toEqual({ data: '', san: '' });
  });

  it('splits terminated connections by weight', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => tlsExchange(weighted, 'any.example.org', `n${i}`)),
    );
    const pods = answers.map((a) => a.data.split(' ')[0]);
    expect(pods.every((p) => p === 'infra/plain-a' || p === 'infra/plain-b')).toBe(true);
    expect(pods.filter((p) => p === 'infra/plain-a').length).toBeGreaterThan(5);
    expect(pods.filter((p) => p === 'infra/plain-b').length).toBeGreaterThan(5);
  });
});
