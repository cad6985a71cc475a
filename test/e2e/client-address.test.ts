/**
 * The client address behind a shared TLS port, end to end with the real kubectl (issue 5):
 * one Gateway port carries an HTTPS listener, a TLS Terminate listener and a TLS Passthrough
 * listener, so its `ssl_preread` front sends the PROXY protocol to the servers of ours behind
 * it and relays passthrough connections without it. The client connects from 127.0.0.2
 * (NGINX reaches backends from 127.0.0.1), so a 127.0.0.2 seen by a backend came from the
 * client: the HTTPS backend gets it in X-Forwarded-For. The passthrough backend still gets
 * the client's TLS bytes and nothing else (a PROXY header would break its handshake), and
 * the terminated connection still reaches its backend. (The terminator's own view of the
 * address is checked in nginx-render's live-client-address test, where access logs are on.)
 */
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type EchoResponse } from '@portico/testing';
import { startSharedTlsPort, type SharedTlsPort } from './support/shared-tls-port.ts';

const NS = 'e2e-client-address';
const CLIENT = '127.0.0.2';
let shared: SharedTlsPort | undefined;

/** One TLS connection from CLIENT: what came back to `payload` ('' when nothing did). */
function exchange(servername: string, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const tcp = netConnect({ host: '127.0.0.1', port: shared?.port ?? 0, localAddress: CLIENT });
    const ca = shared?.certs[servername]?.certPem ?? '';
    const socket = tlsConnect({ socket: tcp, servername, ca, minVersion: 'TLSv1.2' });
    let data = '';
    const done = (): void => {
      socket.destroy();
      resolve(data);
    };
    socket.setTimeout(5000, done);
    socket.on('secureConnect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.endsWith(payload)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    tcp.on('error', done);
  });
}

/** The JSON body of the HTTPS echo's answer to GET /, once the data plane serves it. */
async function httpsEcho(): Promise<EchoResponse> {
  const request = 'GET / HTTP/1.1\r\nHost: web.example\r\nConnection: close\r\n\r\n';
  let last = '';
  await waitFor(
    async () => /^HTTP\/1\.1 200 /.test((last = await exchange('web.example', request))),
    {
      description: 'web.example answers 200',
      timeoutMs: 30_000,
      intervalMs: 300,
    },
  );
  return JSON.parse(last.slice(last.indexOf('\r\n\r\n') + 4)) as EchoResponse;
}

beforeAll(async () => {
  shared = await startSharedTlsPort({
    namespace: NS,
    gateway: 'shared',
    passHostname: 'pass.example',
    passthrough: [{ hostname: 'pass.example', service: 'secure' }],
  });
}, 120_000);

afterAll(async () => {
  await shared?.stop();
});

describe('the client address through a port shared by HTTPS, TLS Terminate and Passthrough', () => {
  it('gives the HTTPS backend the client address in X-Forwarded-For', async () => {
    const echo = await httpsEcho();
    expect(echo.headers['X-Forwarded-For']).toEqual([CLIENT]);
  });

  it('passes passthrough bytes through unchanged', async () => {
    const payload = 'exact bytes \u00e9\u00e8';
    expect(await exchange('pass.example', payload)).toBe(
      `${NS}/secure-1 sni=pass.example ${payload}`,
    );
  });

  it('forwards terminated connections to their backend', async () => {
    expect(await exchange('term.example', 'hello')).toBe(`${NS}/plain-1 hello`);
  });
});
