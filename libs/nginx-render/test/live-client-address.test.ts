/**
 * The client address behind a shared TLS port, on a real NGINX: one port carries an HTTPS
 * listener, a TLS Terminate route and a TLS Passthrough route, so its `ssl_preread` front
 * sends the PROXY protocol to the servers behind it (stream-tls.ts, stream-relay.ts). Clients
 * connect from 127.0.0.2 and 127.0.0.3 (NGINX itself connects from 127.0.0.1), so an address
 * seen behind the front can only have come from the client:
 *
 * - the HTTPS server sets X-Forwarded-For and logs the client, not `unix:`;
 * - the terminator and the passthrough relay log the client's address and source port;
 * - the passthrough backend still gets the client's TLS bytes and nothing else (its own
 *   certificate is shown and the echo answers: a PROXY header would break the handshake).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR } from '@portico/ir';
import type { RenderSettings } from '@portico/nginx-render';
import {
  httpsVirtualHost,
  startSharedTlsPort,
  tlsExchange,
  upstream,
  TLS_CERT,
  WEB_CERT,
  type SharedTlsPort,
} from './support/shared-tls-port.ts';

const OFFSET = 23000;

function sharedPortGateway(port: number, backends: Record<string, number>): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'infra', name: 'shared' },
    httpServers: [
      {
        port,
        protocol: 'HTTPS',
        listeners: [{ name: 'https', hostname: 'www.example.com', certificates: [WEB_CERT] }],
        virtualHosts: [httpsVirtualHost('web')],
      },
    ],
    streamServers: [
      {
        port,
        transport: 'tcp',
        protocol: 'TLS',
        routes: [
          {
            hostname: 'pass.example.com',
            source: { kind: 'TLSRoute', namespace: 'infra', name: 'passed' },
            backends: [{ upstream: 'secure', weight: 1 }],
          },
          {
            hostname: 'tls.example.com',
            source: { kind: 'TLSRoute', namespace: 'infra', name: 'terminated' },
            backends: [{ upstream: 'plain', weight: 1 }],
            terminate: [TLS_CERT],
          },
        ],
      },
    ],
    upstreams: Object.entries(backends).map(([name, backendPort]) => upstream(name, backendPort)),
  };
}

/** Access log lines of sessions taken on an internal unix socket (stream log format). */
async function socketSessions(settings: RenderSettings): Promise<string[]> {
  const log = await readFile(settings.paths.accessLog ?? '', 'utf8').catch(() => '');
  return log.split('\n').filter((line) => / \S*unix:\S* TCP /.test(line));
}

/** Expects NGINX to log one internal-socket session of `client` from `localPort`. */
async function expectOneSession(client: string, localPort: number): Promise<void> {
  const session = new RegExp(`^${client.replaceAll('.', '\\.')} ${localPort} \\[`);
  // NGINX logs a stream session when it ends, just after the client has gone.
  await expect
    .poll(async () => (await socketSessions(settings())).filter((l) => session.test(l)), {
      timeout: 3000,
    })
    .toHaveLength(1);
}

let fixture: SharedTlsPort | undefined;
const settings = (): RenderSettings => fixture?.settings as RenderSettings;

describe('the client address behind a shared TLS port of a real NGINX', () => {
  let shared = 0;

  beforeAll(async () => {
    fixture = await startSharedTlsPort({
      name: 'render-live-client-address',
      portOffset: OFFSET,
      listeners: 1,
      terminateNames: ['tls.example.com'],
      plainPods: ['plain'],
      // The HTTP backend answers with what NGINX told it about the client.
      web: (req, res) => res.end(`xff=${String(req.headers['x-forwarded-for'])}\n`),
      accessLog: 'logs/access.log',
      gateway: ([listen], backends) => sharedPortGateway(listen ?? 0, backends),
    });
    shared = fixture.ports[0] ?? 0;
  }, 60_000);

  afterAll(async () => {
    await fixture?.stop();
  });

  it('gives the HTTPS backend the client address in X-Forwarded-For, and logs it', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n';
    const got = await tlsExchange(shared, 'www.example.com', request, '127.0.0.2');
    expect(got.san).toBe('DNS:www.example.com');
    expect(got.data).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nxff=127\.0\.0\.2\n$/);
    const log = await readFile(settings().paths.accessLog ?? '', 'utf8');
    expect(log).toMatch(/^127\.0\.0\.2 - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 /m);
  });

  it('lets the terminator see the client address and source port', async () => {
    const got = await tlsExchange(shared, 'tls.example.com', 'hello', '127.0.0.3');
    expect(got).toMatchObject({ data: 'infra/plain hello', san: 'DNS:tls.example.com' });
    await expectOneSession('127.0.0.3', got.localPort);
  });

  it('relays passthrough bytes unchanged, while the relay sees the client', async () => {
    const got = await tlsExchange(shared, 'pass.example.com', 'exact bytes', '127.0.0.2');
    expect(got).toMatchObject({
      data: 'infra/secure sni=pass.example.com exact bytes',
      san: 'DNS:pass.example.com',
    });
    await expectOneSession('127.0.0.2', got.localPort);
  });
});
