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
import {
  createTestCertificate,
  startEcho,
  startTcpEcho,
  startTlsEcho,
  waitFor,
  type EchoResponse,
  type RunningEcho,
  type RunningStreamEcho,
  type TestCertificate,
} from '@portico/testing';
import { endpointSlice } from './support/manifests.ts';
import { putTlsSecret } from './support/secrets.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

const NS = 'e2e-client-address';
const CLIENT = '127.0.0.2';
let e2e: E2EStack;
let port = 0;
let web: RunningEcho | undefined;
const streams: RunningStreamEcho[] = [];
const certs: Record<string, TestCertificate> = {};

const service = (name: string, portName: string): string => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${NS} }
spec: { ports: [{ name: ${portName}, port: 443 }] }`;

const tlsRoute = (name: string, hostname: string, backend: string): string => `
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: { name: ${name}, namespace: ${NS} }
spec:
  parentRefs: [{ name: shared, sectionName: ${name} }]
  hostnames: [${hostname}]
  rules: [{ backendRefs: [{ name: ${backend}, port: 443 }] }]`;

const MANIFESTS = [
  `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: shared, namespace: ${NS} }
spec:
  gatewayClassName: portico
  listeners:
    - name: pass
      port: 443
      protocol: TLS
      hostname: pass.example
      tls: { mode: Passthrough }
    - name: term
      port: 443
      protocol: TLS
      hostname: term.example
      tls: { mode: Terminate, certificateRefs: [{ name: term }] }
    - name: web
      port: 443
      protocol: HTTPS
      hostname: web.example
      tls: { certificateRefs: [{ name: web }] }`,
  service('secure', 'tls'),
  service('plain', 'tcp'),
  service('site', 'http'),
  tlsRoute('pass', 'pass.example', 'secure'),
  tlsRoute('term', 'term.example', 'plain'),
  `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: site, namespace: ${NS} }
spec:
  parentRefs: [{ name: shared, sectionName: web }]
  rules: [{ backendRefs: [{ name: site, port: 443 }] }]`,
].join('\n---');

/** One TLS connection from CLIENT: what came back to `payload` ('' when nothing did). */
function exchange(servername: string, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const tcp = netConnect({ host: '127.0.0.1', port, localAddress: CLIENT });
    const ca = certs[servername]?.certPem ?? '';
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
  e2e = await startE2EStack();
  for (const host of ['pass.example', 'term.example', 'web.example'])
    certs[host] = await createTestCertificate([host]);
  const identity = (pod: string) => ({ namespace: NS, pod });
  streams.push(
    await startTlsEcho(identity('secure-1'), {
      cert: certs['pass.example']?.certPem ?? '',
      key: certs['pass.example']?.keyPem ?? '',
    }),
    await startTcpEcho(identity('plain-1')),
  );
  web = await startEcho({ namespace: NS, pod: 'site-1', service: 'site' });
  await e2e.stack.kubectl(['create', 'namespace', NS]);
  await putTlsSecret(e2e, NS, 'term', certs['term.example'] as TestCertificate);
  await putTlsSecret(e2e, NS, 'web', certs['web.example'] as TestCertificate);
  await e2e.apply(MANIFESTS);
  const slices = [
    endpointSlice({
      namespace: NS,
      service: 'secure',
      portName: 'tls',
      port: streams[0]?.port ?? 0,
    }),
    endpointSlice({
      namespace: NS,
      service: 'plain',
      portName: 'tcp',
      port: streams[1]?.port ?? 0,
    }),
    endpointSlice({ namespace: NS, service: 'site', portName: 'http', port: web.port }),
  ];
  await e2e.apply(slices.join('---\n'));
  await e2e.stack.waitForGatewayProgrammed(NS, 'shared', 60_000);
  port = Number(new URL(await e2e.gatewayUrl(NS, 'shared', 443)).port);
}, 120_000);

afterAll(async () => {
  await Promise.all(streams.map((s) => s.stop()));
  await web?.stop();
  await e2e?.stop();
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
