/**
 * TLSRoute end to end (issue 5), driven with the real kubectl: one Gateway port carries TLS
 * passthrough listeners (two TLSRoutes, each backend holding its own certificate), a TLS
 * Terminate listener (NGINX presents the listener's Secret, the backend gets plain bytes)
 * and an HTTPS listener, all told apart by SNI. Real `node:tls` clients verify every
 * certificate they are shown; an SNI that no listener serves is refused.
 */
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestCertificate,
  startEcho,
  startTcpEcho,
  startTlsEcho,
  waitFor,
  type RunningEcho,
  type RunningStreamEcho,
  type TestCertificate,
} from '@portico/testing';
import { endpointSlice } from './support/manifests.ts';
import { putTlsSecret } from './support/secrets.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

const NS = 'e2e-tlsroute';
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

const tlsRoute = (name: string, section: string, hostname: string, backend: string): string => `
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: { name: ${name}, namespace: ${NS} }
spec:
  parentRefs: [{ name: edge, sectionName: ${section} }]
  hostnames: [${hostname}]
  rules: [{ backendRefs: [{ name: ${backend}, port: 443 }] }]`;

const MANIFESTS = [
  `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: ${NS} }
spec:
  gatewayClassName: portico
  listeners:
    - name: pass
      port: 443
      protocol: TLS
      hostname: "*.pass.example"
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
  service('secure-a', 'tls'),
  service('secure-b', 'tls'),
  service('plain', 'tcp'),
  service('site', 'http'),
  tlsRoute('pass-a', 'pass', 'a.pass.example', 'secure-a'),
  tlsRoute('pass-b', 'pass', 'b.pass.example', 'secure-b'),
  tlsRoute('term', 'term', 'term.example', 'plain'),
  `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: site, namespace: ${NS} }
spec:
  parentRefs: [{ name: edge, sectionName: web }]
  rules: [{ backendRefs: [{ name: site, port: 443 }] }]`,
].join('\n---');

/** What one TLS connection saw: the answer to `payload`, or why there was none. */
function exchange(
  servername: string,
  payload: string,
  ca: string,
): Promise<{ data: string; peer: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca, minVersion: 'TLSv1.2' });
    let data = '';
    let peer = '';
    const done = (): void => {
      socket.destroy();
      resolve({ data, peer });
    };
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve({ error: 'timeout' });
    });
    socket.on('secureConnect', () => {
      peer = String(socket.getPeerCertificate().subject?.CN ?? '');
      socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.endsWith(payload) || data.includes('\r\n\r\n')) done();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ error: error.code ?? error.message });
    });
    socket.on('close', done);
  });
}

beforeAll(async () => {
  e2e = await startE2EStack();
  for (const host of ['a.pass.example', 'b.pass.example', 'term.example', 'web.example'])
    certs[host] = await createTestCertificate([host]);
  const identity = (pod: string) => ({ namespace: NS, pod });
  const pem = (host: string) => ({
    cert: certs[host]?.certPem ?? '',
    key: certs[host]?.keyPem ?? '',
  });
  streams.push(
    await startTlsEcho(identity('secure-a-1'), pem('a.pass.example')),
    await startTlsEcho(identity('secure-b-1'), pem('b.pass.example')),
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
      service: 'secure-a',
      portName: 'tls',
      port: streams[0]?.port ?? 0,
    }),
    endpointSlice({
      namespace: NS,
      service: 'secure-b',
      portName: 'tls',
      port: streams[1]?.port ?? 0,
    }),
    endpointSlice({
      namespace: NS,
      service: 'plain',
      portName: 'tcp',
      port: streams[2]?.port ?? 0,
    }),
    endpointSlice({ namespace: NS, service: 'site', portName: 'http', port: web.port }),
  ];
  await e2e.apply(slices.join('---\n'));
  await e2e.stack.waitForGatewayProgrammed(NS, 'edge', 60_000);
  port = Number(new URL(await e2e.gatewayUrl(NS, 'edge', 443)).port);
}, 120_000);

afterAll(async () => {
  await Promise.all(streams.map((s) => s.stop()));
  await web?.stop();
  await e2e?.stop();
});

/** Retries `exchange` until it gives `want` (the data plane converges after Programmed). */
async function eventually(servername: string, payload: string, ca: string, want: object) {
  let last: unknown;
  await waitFor(
    async () => {
      last = await exchange(servername, payload, ca);
      try {
        expect(last).toMatchObject(want);
        return true;
      } catch {
        return false;
      }
    },
    { description: `${servername}: ${JSON.stringify(want)}`, timeoutMs: 30_000, intervalMs: 300 },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last: ${JSON.stringify(last)}`);
  });
}

describe('TLSRoute through the local stack: passthrough, terminate and HTTPS on one port', () => {
  it.each([
    ['a.pass.example', 'secure-a-1'],
    ['b.pass.example', 'secure-b-1'],
  ])('passes %s through to the backend that holds its certificate (%s)', async (sni, pod) => {
    await eventually(sni, 'hello', certs[sni]?.certPem ?? '', {
      data: `${NS}/${pod} sni=${sni} hello`,
      peer: sni,
    });
  });

  it('terminates term.example with the listener Secret and forwards plain bytes', async () => {
    await eventually('term.example', 'hello', certs['term.example']?.certPem ?? '', {
      data: `${NS}/plain-1 hello`,
      peer: 'term.example',
    });
  });

  it('serves the HTTPS listener of the same port by SNI', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: web.example\r\nConnection: close\r\n\r\n';
    await eventually('web.example', request, certs['web.example']?.certPem ?? '', {
      peer: 'web.example',
    });
    const answer = await exchange('web.example', request, certs['web.example']?.certPem ?? '');
    expect('data' in answer ? answer.data : answer.error).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses an SNI that no listener serves', async () => {
    const answer = await exchange('nobody.example', 'hello', certs['web.example']?.certPem ?? '');
    expect(answer).not.toHaveProperty('data', expect.stringContaining('hello'));
    expect('error' in answer || answer.peer === '').toBe(true);
  });
});
