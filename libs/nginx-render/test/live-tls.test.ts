/**
 * HTTPS on a real NGINX with a real TLS client (`node:tls` with `servername`): the certificate
 * NGINX presents is the one of the listener the SNI selects, a Host that belongs to another
 * listener than the SNI's gets 421, an unknown SNI on a port without a catch-all listener is
 * refused at the handshake, and HTTP/2 is offered by ALPN.
 */
import { connect, type PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR, HttpRuleIR } from '@portico/ir';
import { renderNginx, type CertificateFile } from '@portico/nginx-render';
import {
  createTestCertificate,
  freePorts,
  makeTempDir,
  removeTempDir,
  type TestCertificate,
} from '@portico/testing';
import { startBackend, type Backend } from './support/backends.ts';
import { writeCertificates } from './support/certificates.ts';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const OFFSET = 20000;
const rule = (id: string, name: string, value = '/'): HttpRuleIR => ({
  id,
  source: { kind: 'HTTPRoute', namespace: 'infra', name, ruleIndex: 0, matchIndex: 0 },
  match: { path: { type: 'PathPrefix', value } },
  backends: [{ upstream: 'echo', weight: 1 }],
});
const cert = (name: string) => ({ namespace: 'infra', name, contentHash: 'abc123' });

/** Port A: catch-all, exact and wildcard listeners; port B: one exact listener only. */
function tlsIR(portA: number, portB: number, echo: Backend): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'infra', name: 'secure' },
    httpServers: [
      {
        port: portA - OFFSET,
        protocol: 'HTTPS',
        virtualHosts: [
          { hostname: '*', listener: 'any', rules: [rule('r1', 'any')] },
          { hostname: '*.wildcard.org', listener: 'wild', rules: [] },
          { hostname: 'example.org', listener: 'any', rules: [rule('r2', 'example')] },
          { hostname: 'second.org', listener: 'second', rules: [rule('r3', 'second')] },
          { hostname: 'third.wildcard.org', listener: 'wild', rules: [rule('r4', 'third')] },
        ],
        listeners: [
          { name: 'any', hostname: '*', certificates: [cert('any-cert')] },
          { name: 'second', hostname: 'second.org', certificates: [cert('second-cert')] },
          { name: 'wild', hostname: '*.wildcard.org', certificates: [cert('wild-cert')] },
        ],
      },
      {
        port: portB - OFFSET,
        protocol: 'HTTPS',
        virtualHosts: [{ hostname: 'only.org', listener: 'only', rules: [rule('r5', 'only')] }],
        listeners: [{ name: 'only', hostname: 'only.org', certificates: [cert('only-cert')] }],
      },
    ],
    upstreams: [
      {
        name: 'echo',
        service: { namespace: 'infra', name: 'echo', port: 80 },
        endpoints: [{ address: '127.0.0.1', port: echo.port }],
      },
    ],
  };
}

interface TlsAnswer {
  status: number;
  subject: string;
  alpn: string | false | null;
}

/** One HTTP/1.1 request over TLS with `servername` as SNI and `host` as Host. */
function request(port: number, servername: string, host: string, path = '/'): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('secureConnect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () => {
      const peer: PeerCertificate = socket.getPeerCertificate();
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0),
        subject: String(peer.subject?.CN ?? ''),
        alpn: socket.alpnProtocol,
      });
    });
  });
}

/** The protocol ALPN settles on when the client offers h2 first. */
function negotiated(port: number, servername: string): Promise<string | false | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername,
      rejectUnauthorized: false,
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    socket.on('secureConnect', () => {
      resolve(socket.alpnProtocol);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

describe('HTTPS on a real NGINX', () => {
  let root = '';
  let echo: Backend;
  let nginx: { stop(): Promise<void> } | undefined;
  let portA = 0;
  let portB = 0;
  const issued = new Map<string, TestCertificate>();

  beforeAll(async () => {
    root = await makeTempDir('render-live-tls');
    echo = await startBackend('echo');
    const [a, b, status] = await freePorts(3);
    [portA, portB] = [a as number, b as number];
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${status}`,
    });
    const result = renderNginx([tlsIR(portA, portB, echo)], settings);
    await writeRendered(result.files, settings);
    // One certificate per Secret, its CN the Secret's name, so the test sees which was served.
    await writeCertificates(result.certificates, settings, async (file: CertificateFile) => {
      const made = issued.get(file.name) ?? (await createTestCertificate([`${file.name}.test`]));
      issued.set(file.name, made);
      return made;
    });
    nginx = await runNginx(settings);
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    await echo?.close();
    await removeTempDir(root);
  });

  it.each([
    { sni: 'example.org', host: 'example.org', status: 200, cert: 'any-cert' },
    { sni: 'unknown.org', host: 'example.org', status: 200, cert: 'any-cert' },
    { sni: 'unknown.org', host: 'unknown.org', status: 200, cert: 'any-cert' },
    { sni: 'second.org', host: 'second.org', status: 200, cert: 'second-cert' },
    { sni: 'third.wildcard.org', host: 'third.wildcard.org', status: 200, cert: 'wild-cert' },
    { sni: 'third.wildcard.org', host: 'other.wildcard.org', status: 404, cert: 'wild-cert' },
    { sni: 'x.y.wildcard.org', host: 'third.wildcard.org', status: 200, cert: 'wild-cert' },
    // Host of another listener than the SNI's: misdirected.
    { sni: 'example.org', host: 'second.org', status: 421, cert: 'any-cert' },
    { sni: 'second.org', host: 'example.org', status: 421, cert: 'second-cert' },
    { sni: 'second.org', host: 'unknown.org', status: 421, cert: 'second-cert' },
    { sni: 'third.wildcard.org', host: 'second.org', status: 421, cert: 'wild-cert' },
    { sni: 'unknown.org', host: 'third.wildcard.org', status: 421, cert: 'any-cert' },
  ])('SNI $sni, Host $host: $status with $cert', async ({ sni, host, status, cert }) => {
    const answer = await request(portA, sni, host);
    expect(answer).toEqual({ status, subject: `${cert}.test`, alpn: 'http/1.1' });
  });

  it('serves a port without a catch-all listener only to its names', async () => {
    expect(await request(portB, 'only.org', 'only.org')).toMatchObject({
      status: 200,
      subject: 'only-cert.test',
    });
    expect(await request(portB, 'only.org', 'other.org')).toMatchObject({ status: 404 });
    await expect(request(portB, 'other.org', 'only.org')).rejects.toThrow(/alert|handshake/i);
  });

  it('offers HTTP/2 by ALPN', async () => {
    expect(await negotiated(portA, 'example.org')).toBe('h2');
  });
});
