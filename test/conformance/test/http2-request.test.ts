/**
 * The harness's HTTP/2 client against real local servers: it speaks h2 with the SNI name and
 * `:authority` it is given, and refuses a server that only offers HTTP/1.1 (so a scenario
 * that asks for h2 cannot pass over HTTP/1.1 by accident).
 */
import { once } from 'node:events';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '@portico/testing';
import { requestH2 } from '../src/http2-request.ts';

let cert: TestCertificate;
let h2: Http2SecureServer;
let h1: HttpsServer;

const portOf = (server: { address(): AddressInfo | string | null }): number =>
  (server.address() as AddressInfo).port;

beforeAll(async () => {
  cert = await createTestCertificate(['example.org', '*.example.org']);
  h2 = createSecureServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const sni = (req.socket as { servername?: string }).servername ?? '';
    res.setHeader('x-seen', `${req.httpVersion} ${req.headers[':authority'] ?? ''} ${sni}`);
    res.writeHead(req.url === '/missing' ? 404 : 200);
    res.end(`${req.method} ${req.url}`);
  });
  h1 = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) => res.end('h1'));
  h2.listen(0, '127.0.0.1');
  h1.listen(0, '127.0.0.1');
  await Promise.all([once(h2, 'listening'), once(h1, 'listening')]);
});

afterAll(async () => {
  h2.close();
  h1.close();
  await Promise.all([once(h2, 'close'), once(h1, 'close')]);
});

const tls = (serverName: string) => ({
  get ca() {
    return cert.certPem;
  },
  serverName,
  checkServerIdentity,
});

describe('requestH2', () => {
  it.each([
    ['same SNI and authority', 'example.org', 'example.org', '/path?x=1', 200],
    ['authority other than the SNI', 'a.example.org', 'b.example.org', '/', 200],
    ['a status other than 200', 'example.org', 'example.org', '/missing', 404],
  ])('%s', async (_name, sni, host, path, status) => {
    const url = `https://127.0.0.1:${portOf(h2)}${path}`;
    const answer = await requestH2(url, 'GET', { host, connection: 'close' }, tls(sni));
    expect(answer.status).toBe(status);
    expect(answer.headers['x-seen']).toEqual([`2.0 ${host} ${sni}`]);
    expect(answer.body).toBe(`GET ${path}`);
  });

  it('fails against a server without h2', async () => {
    const url = `https://127.0.0.1:${portOf(h1)}/`;
    await expect(
      requestH2(url, 'GET', { host: 'example.org' }, tls('example.org'), 2_000),
    ).rejects.toThrow();
  });

  it('fails when the certificate does not cover the SNI name', async () => {
    const url = `https://127.0.0.1:${portOf(h2)}/`;
    await expect(requestH2(url, 'GET', { host: 'other.test' }, tls('other.test'))).rejects.toThrow(
      /other\.test/,
    );
  });
});
