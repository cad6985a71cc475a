import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestCertificate,
  startHttpsEcho,
  type RunningHttpsEcho,
  type TestCertificate,
} from '../src/index.ts';

const context = { namespace: 'ns', ingress: '', service: 'svc', pod: 'svc-0' };

function get(
  port: number,
  options: { ca: string; servername: string; cert?: string; key?: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/hello', agent: false, ...options },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString()),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS echo', () => {
  let server: TestCertificate;
  let client: TestCertificate;
  let plain: RunningHttpsEcho;
  let mutual: RunningHttpsEcho;
  beforeAll(async () => {
    server = await createTestCertificate(['backend.example.com']);
    client = await createTestCertificate(['gateway-client']);
    plain = await startHttpsEcho({ context, cert: server.certPem, key: server.keyPem });
    mutual = await startHttpsEcho({
      context,
      cert: server.certPem,
      key: server.keyPem,
      clientCa: client.certPem,
    });
  });
  afterAll(async () => {
    await plain?.stop();
    await mutual?.stop();
  });

  it('answers with the echo JSON and the SNI it was asked for', async () => {
    const answer = await get(plain.port, { ca: server.certPem, servername: 'backend.example.com' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      path: '/hello',
      pod: 'svc-0',
      tls: { serverName: 'backend.example.com' },
    });
    expect(plain.requests().map((r) => r.tls.serverName)).toEqual(['backend.example.com']);
  });

  it('refuses a client without a certificate when one is required', async () => {
    await expect(
      get(mutual.port, { ca: server.certPem, servername: 'backend.example.com' }),
    ).rejects.toThrow();
  });

  it('reports the subject of the client certificate it verified', async () => {
    const answer = await get(mutual.port, {
      ca: server.certPem,
      servername: 'backend.example.com',
      cert: client.certPem,
      key: client.keyPem,
    });
    expect(answer.body).toMatchObject({ tls: { clientCertificateSubject: 'CN=gateway-client' } });
  });
});
