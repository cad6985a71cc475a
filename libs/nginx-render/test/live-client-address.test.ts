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
import { chmod, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateRefIR, GatewayIR } from '@portico/ir';
import { renderNginx, type RenderSettings } from '@portico/nginx-render';
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

const OFFSET = 23000;
const TLS_CERT: CertificateRefIR = { namespace: 'infra', name: 'tls-cert', contentHash: 'aa01' };
const WEB_CERT: CertificateRefIR = { namespace: 'infra', name: 'web-cert', contentHash: 'bb02' };

interface Exchange {
  /** What came back ('' when the handshake or connection failed). */
  data: string;
  /** Subject alternative names of the certificate the client was shown. */
  san: string;
  /** The client's source port. */
  localPort: number;
}

/** A TLS exchange from `localAddress` with `servername` as SNI; sends `payload` once secure. */
function tlsExchange(
  port: number,
  localAddress: string,
  servername: string,
  payload: string,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const tcp = netConnect({ host: '127.0.0.1', port, localAddress });
    const socket = tlsConnect({ socket: tcp, servername, rejectUnauthorized: false });
    let data = '';
    let san = '';
    let localPort = 0;
    const done = (): void => {
      socket.destroy();
      resolve({ data, san, localPort });
    };
    socket.setTimeout(3000, done);
    socket.on('secureConnect', () => {
      localPort = tcp.localPort ?? 0;
      san = socket.getPeerCertificate().subjectaltname ?? '';
      socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.includes(payload) || /\r\n\r\n[\s\S]*\n$/.test(data)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    tcp.on('error', done);
  });
}

function httpsRoute(upstream: string): GatewayIR['httpServers'][number]['virtualHosts'][number] {
  return {
    hostname: 'www.example.com',
    listener: 'https',
    rules: [
      {
        id: 'web',
        source: { kind: 'HTTPRoute', namespace: 'infra', name: 'web', ruleIndex: 0, matchIndex: 0 },
        match: { path: { type: 'PathPrefix', value: '/' } },
        backends: [{ upstream, weight: 1 }],
      },
    ],
  };
}

function sharedPortGateway(port: number, backends: Record<string, number>): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'infra', name: 'shared' },
    httpServers: [
      {
        port,
        protocol: 'HTTPS',
        listeners: [{ name: 'https', hostname: 'www.example.com', certificates: [WEB_CERT] }],
        virtualHosts: [httpsRoute('web')],
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
    upstreams: Object.entries(backends).map(([name, backendPort]) => ({
      name,
      service: { namespace: 'infra', name, port: 1 },
      endpoints: [{ address: '127.0.0.1', port: backendPort }],
    })),
  };
}

/** Access log lines of sessions taken on an internal unix socket (stream log format). */
async function socketSessions(settings: RenderSettings): Promise<string[]> {
  const log = await readFile(settings.paths.accessLog ?? '', 'utf8').catch(() => '');
  return log.split('\n').filter((line) => / \S*unix:\S* TCP /.test(line));
}

describe('the client address behind a shared TLS port of a real NGINX', () => {
  let root = '';
  let sockets = '';
  let settings: RenderSettings | undefined;
  let nginx: { stop(): Promise<void> } | undefined;
  let web: Server | undefined;
  const echoes: RunningStreamEcho[] = [];
  let shared = 0;

  beforeAll(async () => {
    root = await makeTempDir('render-live-client-address');
    // Workers (nobody when the tests run as root) connect to the sockets: a traversable dir.
    sockets = await makeTempDir('sockets');
    await chmod(sockets, 0o755);
    const [passCert, tlsCert, webCert] = await Promise.all([
      createTestCertificate(['pass.example.com']),
      createTestCertificate(['tls.example.com']),
      createTestCertificate(['www.example.com']),
    ]);
    const id = (pod: string) => ({ namespace: 'infra', pod });
    const started = await Promise.all([
      startTlsEcho(id('secure'), { cert: passCert.certPem, key: passCert.keyPem }),
      startTcpEcho(id('plain')),
    ]);
    echoes.push(...started);
    const [secure, plain] = started.map((e) => e.port) as [number, number];
    // The HTTP backend answers with what NGINX told it about the client.
    web = createServer((req, res) => {
      res.end(`xff=${String(req.headers['x-forwarded-for'])}\n`);
    });
    await new Promise<void>((resolve) => web?.listen(0, '127.0.0.1', resolve));
    const webPort = (web.address() as AddressInfo).port;
    const ports = await freePorts(2);
    shared = ports[0] as number;
    settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${ports[1] as number}`,
    });
    settings.paths.socketDir = sockets;
    settings.paths.accessLog = join(root, 'logs/access.log');
    const ir = sharedPortGateway(shared - OFFSET, { secure, plain, web: webPort });
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

  it('gives the HTTPS backend the client address in X-Forwarded-For, and logs it', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n';
    const got = await tlsExchange(shared, '127.0.0.2', 'www.example.com', request);
    expect(got.san).toBe('DNS:www.example.com');
    expect(got.data).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nxff=127\.0\.0\.2\n$/);
    const log = await readFile(settings?.paths.accessLog ?? '', 'utf8');
    expect(log).toMatch(/^127\.0\.0\.2 - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 /m);
  });

  it('lets the terminator see the client address and source port', async () => {
    const got = await tlsExchange(shared, '127.0.0.3', 'tls.example.com', 'hello');
    expect(got).toMatchObject({ data: 'infra/plain hello', san: 'DNS:tls.example.com' });
    const session = new RegExp(`^127\\.0\\.0\\.3 ${got.localPort} \\[`);
    // NGINX logs a stream session when it ends, just after the client has gone.
    await expect
      .poll(
        async () =>
          (await socketSessions(settings as RenderSettings)).filter((l) => session.test(l)),
        {
          timeout: 3000,
        },
      )
      .toHaveLength(1);
  });

  it('relays passthrough bytes unchanged, while the relay sees the client', async () => {
    const got = await tlsExchange(shared, '127.0.0.2', 'pass.example.com', 'exact bytes');
    expect(got).toMatchObject({
      data: 'infra/secure sni=pass.example.com exact bytes',
      san: 'DNS:pass.example.com',
    });
    const session = new RegExp(`^127\\.0\\.0\\.2 ${got.localPort} \\[`);
    await expect
      .poll(
        async () =>
          (await socketSessions(settings as RenderSettings)).filter((l) => session.test(l)),
        {
          timeout: 3000,
        },
      )
      .toHaveLength(1);
  });
});
