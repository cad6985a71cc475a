/**
 * TLS listeners of both modes and an HTTPS listener on one port, on a real NGINX with real
 * `node:tls` clients: the SNI picks a passthrough backend (which presents its own
 * certificate), a terminating route (NGINX presents the listener's certificate and the
 * backend receives plain bytes), or the HTTPS server behind the same port (its own
 * certificate, HTTP answered). Unknown names are refused, and weights hold behind a
 * terminator.
 */
import { chmod } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRefIR, GatewayIR, StreamRouteIR } from '@portico/ir';
import { renderNginx } from '@portico/nginx-render';
import {
  createTestCertificate,
  freePorts,
  makeTempDir,
  removeTempDir,
  startTcpEcho,
  startTlsEcho,
  type RunningStreamEcho,
  type TestCertificate,
} from '@portico/testing';
import { writeCertificates } from './support/certificates.ts';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const OFFSET = 22000;
const TLS_CERT: CertificateRefIR = { namespace: 'infra', name: 'tls-cert', contentHash: 'aa01' };
const WEB_CERT: CertificateRefIR = { namespace: 'infra', name: 'web-cert', contentHash: 'bb02' };

function upstream(name: string, port: number): GatewayIR['upstreams'][number] {
  return {
    name,
    service: { namespace: 'infra', name, port: 1 },
    endpoints: [{ address: '127.0.0.1', port }],
  };
}

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

interface Exchange {
  /** What came back ('' when the handshake or connection failed). */
  data: string;
  /** Subject alternative names of the certificate the client was shown. */
  san: string;
}

/** A TLS exchange with `servername` as SNI; sends `payload` once the handshake is done. */
function tlsExchange(port: number, servername: string, payload: string): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false });
    let data = '';
    let san = '';
    const done = (): void => {
      socket.destroy();
      resolve({ data, san });
    };
    socket.setTimeout(3000, done);
    socket.on('secureConnect', () => {
      san = socket.getPeerCertificate().subjectaltname ?? '';
      socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.includes(payload) || data.includes('\r\n\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

describe('TLS passthrough, TLS termination and HTTPS on one port of a real NGINX', () => {
  let root = '';
  let sockets = '';
  let nginx: { stop(): Promise<void> } | undefined;
  let web: Server | undefined;
  const echoes: RunningStreamEcho[] = [];
  let mixed = 0;
  let weighted = 0;

  beforeAll(async () => {
    root = await makeTempDir('render-live-tls-mixed');
    // Workers (nobody when the tests run as root) connect to the sockets: a traversable dir.
    sockets = await makeTempDir('sockets');
    await chmod(sockets, 0o755);
    const [passCert, tlsCert, webCert] = await Promise.all([
      createTestCertificate(['pass.example.com']),
      createTestCertificate(['tls.example.com', 'any.example.org']),
      createTestCertificate(['www.example.com']),
    ]);
    const id = (pod: string) => ({ namespace: 'infra', pod });
    const started = await Promise.all([
      startTlsEcho(id('secure'), { cert: passCert.certPem, key: passCert.keyPem }),
      startTcpEcho(id('plain-a')),
      startTcpEcho(id('plain-b')),
    ]);
    echoes.push(...started);
    const [secure, plainA, plainB] = started.map((e) => e.port) as [number, number, number];
    web = createServer((_req, res) => res.end('web answered'));
    await new Promise<void>((resolve) => web?.listen(0, '127.0.0.1', resolve));
    const webPort = (web.address() as AddressInfo).port;
    const ports = await freePorts(3);
    [mixed, weighted] = ports as [number, number];
    const ir: GatewayIR = {
      schemaVersion: 2,
      gateway: { namespace: 'infra', name: 'mixed' },
      httpServers: [
        {
          port: mixed - OFFSET,
          protocol: 'HTTPS',
          listeners: [{ name: 'https', hostname: 'www.example.com', certificates: [WEB_CERT] }],
          virtualHosts: [
            {
              hostname: 'www.example.com',
              listener: 'https',
              rules: [
                {
                  id: 'web',
                  source: {
                    kind: 'HTTPRoute',
                    namespace: 'infra',
                    name: 'web',
                    ruleIndex: 0,
                    matchIndex: 0,
                  },
                  match: { path: { type: 'PathPrefix', value: '/' } },
                  backends: [{ upstream: 'web', weight: 1 }],
                },
              ],
            },
          ],
        },
      ],
      streamServers: [
        {
          port: mixed - OFFSET,
          transport: 'tcp',
          protocol: 'TLS',
          routes: [
            route('pass.example.com', [['secure', 1]]),
            route('tls.example.com', [['plain_a', 1]], TLS_CERT),
          ],
        },
        {
          port: weighted - OFFSET,
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
        upstream('plain_a', plainA),
        upstream('plain_b', plainB),
        upstream('secure', secure),
        upstream('web', webPort),
      ],
    };
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${ports[2] as number}`,
    });
    settings.paths.socketDir = sockets;
    const result = renderNginx([ir], settings);
    expect(result.warnings).toEqual([]);
    await writeRendered(result.files, settings);
    const byName: Record<string, TestCertificate> = { 'tls-cert': tlsCert, 'web-cert': webCert };
    await writeCertificates(result.certificates, settings, async (file) => {
      const certificate = byName[file.name];
      if (certificate === undefined) throw new Error(`no test certificate for ${file.name}`);
      return certificate;
    });
    nginx = await runNginx(settings);
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(echoes.map((e) => e.stop()));
    await new Promise((resolve) => web?.close(resolve) ?? resolve(undefined));
    for (const dir of [root, sockets]) if (dir !== '') await removeTempDir(dir);
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
