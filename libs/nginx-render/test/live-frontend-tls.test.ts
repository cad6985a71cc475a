/**
 * Client certificate validation (Gateway `spec.tls.frontend`) on a real NGINX with a real TLS
 * client (`node:tls`): on an `AllowValidOnly` port a client gets through only with a
 * certificate that chains to the port's CA bundle, whichever of the port's servers the SNI
 * selects; on an `AllowInsecureFallback` port every client gets through; a port without
 * validation never asks.
 */
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientValidationIR, GatewayIR, HttpRuleIR, HttpServerIR } from '@portico/ir';
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

const OFFSET = 21000;
const rule = (id: string): HttpRuleIR => ({
  id,
  source: { kind: 'HTTPRoute', namespace: 'infra', name: 'route', ruleIndex: 0, matchIndex: 0 },
  match: { path: { type: 'PathPrefix', value: '/' } },
  backends: [{ upstream: 'echo', weight: 1 }],
});
const cert = (name: string) => ({ namespace: 'infra', name, contentHash: 'abc123' });
const ca = (name: string) => ({ kind: 'ConfigMap' as const, ...cert(name) });

/** A port with a catch-all and an exact listener, both under `validation` when given. */
function server(port: number, validation?: ClientValidationIR): HttpServerIR {
  const extra = validation === undefined ? {} : { clientValidation: validation };
  return {
    port: port - OFFSET,
    protocol: 'HTTPS',
    virtualHosts: [
      { hostname: '*', listener: 'any', rules: [rule(`any_${port}`)] },
      { hostname: 'exact.org', listener: 'exact', rules: [rule(`exact_${port}`)] },
    ],
    listeners: [
      { name: 'any', hostname: '*', certificates: [cert('server')], ...extra },
      { name: 'exact', hostname: 'exact.org', certificates: [cert('server')], ...extra },
    ],
  };
}

function frontendIR(ports: [number, number, number], echo: Backend): GatewayIR {
  const [strict, fallback, open] = ports;
  return {
    schemaVersion: 2,
    gateway: { namespace: 'infra', name: 'mtls' },
    httpServers: [
      server(strict, { mode: 'AllowValidOnly', trustedCertificates: [ca('client-ca')] }),
      server(fallback, { mode: 'AllowInsecureFallback', trustedCertificates: [ca('client-ca')] }),
      server(open),
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

/** One HTTP/1.1 request over TLS, presenting `client` when given. */
function request(port: number, sni: string, client?: TestCertificate): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: sni,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      ...(client === undefined ? {} : { cert: client.certPem, key: client.keyPem }),
    });
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('secureConnect', () => {
      socket.write(`GET / HTTP/1.1\r\nHost: ${sni}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () => {
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0));
    });
  });
}

describe('client certificate validation on a real NGINX', () => {
  let root = '';
  let echo: Backend;
  let nginx: { stop(): Promise<void> } | undefined;
  const ports: number[] = [];
  let good: TestCertificate;
  let wrong: TestCertificate;

  beforeAll(async () => {
    root = await makeTempDir('render-live-frontend-tls');
    echo = await startBackend('echo');
    const [strict, fallback, open, status] = await freePorts(4);
    ports.push(strict as number, fallback as number, open as number);
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${status}`,
    });
    const result = renderNginx(
      [frontendIR([strict, fallback, open] as [number, number, number], echo)],
      settings,
    );
    await writeRendered(result.files, settings);
    // Self-signed client certificates: `good` is its own CA, the bundle's only entry.
    good = await createTestCertificate(['good-client.test']);
    wrong = await createTestCertificate(['wrong-client.test']);
    const server = await createTestCertificate(['exact.org']);
    await writeCertificates(result.certificates, settings, async (file: CertificateFile) =>
      file.caSources === undefined ? server : good,
    );
    nginx = await runNginx(settings);
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    await echo?.close();
    await removeTempDir(root);
  });

  const clients = { good: () => good, wrong: () => wrong, none: () => undefined };
  it.each([
    { port: 0, sni: 'exact.org', client: 'good', status: 200 },
    { port: 0, sni: 'other.org', client: 'good', status: 200 },
    { port: 0, sni: 'exact.org', client: 'wrong', status: 400 },
    { port: 0, sni: 'other.org', client: 'wrong', status: 400 },
    { port: 0, sni: 'exact.org', client: 'none', status: 400 },
    { port: 0, sni: 'other.org', client: 'none', status: 400 },
    { port: 1, sni: 'exact.org', client: 'good', status: 200 },
    { port: 1, sni: 'exact.org', client: 'wrong', status: 200 },
    { port: 1, sni: 'other.org', client: 'none', status: 200 },
    { port: 2, sni: 'exact.org', client: 'none', status: 200 },
    { port: 2, sni: 'exact.org', client: 'wrong', status: 200 },
  ] as const)(
    '$port: SNI $sni with $client certificate answers $status',
    async ({ port, sni, client, status }) => {
      expect(await request(ports[port] as number, sni, clients[client]())).toBe(status);
    },
  );
});
