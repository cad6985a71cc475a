/**
 * HTTPS and listener isolation end to end (issue 4), driven with the real kubectl: a TLS
 * Secret made by `kubectl create secret tls`, a Gateway with two HTTPS listeners and four
 * HTTP listeners on one port, and a real TLS client. Afterwards, invariant 6: no key material
 * anywhere in Redis (every key, every type) nor in any service's log.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestCertificate,
  startEcho,
  waitFor,
  type RunningEcho,
  type TestCertificate,
} from '@portico/testing';
import { endpointSlice } from './support/manifests.ts';
import { ask, summary } from './support/observe.ts';
import { putTlsSecret } from './support/secrets.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

const NS = 'e2e-tls';
let e2e: E2EStack;
let echo: RunningEcho;
let offset = 0;
const certs: TestCertificate[] = [];

const route = (name: string, section: string, hostnames: string[], path: string): string => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: ${NS} }
spec:
  parentRefs: [{ name: edge, sectionName: ${section} }]
  hostnames: [${hostnames.map((h) => `"${h}"`).join(', ')}]
  rules:
    - matches: [{ path: { type: PathPrefix, value: ${path} } }]
      backendRefs: [{ name: web, port: 80 }]
`;

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: ${NS} }
spec:
  gatewayClassName: portico
  listeners:
    - name: www
      port: 443
      protocol: HTTPS
      hostname: "*.tls.example"
      tls: { certificateRefs: [{ name: site }] }
    - name: admin
      port: 443
      protocol: HTTPS
      hostname: admin.tls.example
      tls: { certificateRefs: [{ name: site }] }
    - { name: any, port: 8080, protocol: HTTP }
    - { name: wild, port: 8080, protocol: HTTP, hostname: "*.iso.example" }
    - { name: abc, port: 8080, protocol: HTTP, hostname: abc.iso.example }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: ${NS} }
spec: { ports: [{ name: http, port: 80 }] }
${[
  route('www', 'www', ['www.tls.example'], '/'),
  route('admin', 'admin', [], '/admin'),
  // Every route names every host: isolation keeps each host with its own listener.
  route('any', 'any', ['bar.example', '*.iso.example', 'abc.iso.example'], '/any'),
  route('wild', 'wild', ['bar.example', '*.iso.example', 'abc.iso.example'], '/wild'),
  route('abc', 'abc', ['abc.iso.example'], '/abc'),
]
  .map((r) => `---${r}`)
  .join('')}`;

/** Status and served certificate CN of one HTTP/1.1 request over TLS. */
function tlsAsk(servername: string, host: string, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: 443 + offset,
      servername,
      ca: certs.map((c) => c.certPem),
    });
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('secureConnect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? '?';
      resolve(`${status} ${String(socket.getPeerCertificate().subject?.CN ?? '')}`);
    });
  });
}

beforeAll(async () => {
  e2e = await startE2EStack();
  certs.push(
    await createTestCertificate(['first.tls.example', '*.tls.example']),
    await createTestCertificate(['second.tls.example', '*.tls.example']),
  );
  echo = await startEcho({ namespace: NS, pod: 'web-1', service: 'web' });
  await e2e.stack.kubectl(['create', 'namespace', NS]);
  await putTlsSecret(e2e, NS, 'site', certs[0] as TestCertificate);
  await e2e.apply(GATEWAY);
  await e2e.apply(endpointSlice({ namespace: NS, service: 'web', port: echo.port }));
  await e2e.stack.waitForGatewayProgrammed(NS, 'edge', 60_000);
  // Each Gateway has its own data plane, at its own port offset.
  offset = Number(new URL(await e2e.gatewayUrl(NS, 'edge', 0)).port);
}, 120_000);

afterAll(async () => {
  await echo?.stop();
  await e2e?.stop();
});

const eventually = (what: string, check: () => Promise<string>, want: string) =>
  waitFor(async () => (await check()) === want, { description: what, timeoutMs: 20_000 });

describe('HTTPS listeners through the local stack', () => {
  it.each([
    { sni: 'www.tls.example', host: 'www.tls.example', path: '/', want: '200 first.tls.example' },
    {
      sni: 'admin.tls.example',
      host: 'admin.tls.example',
      path: '/admin',
      want: '200 first.tls.example',
    },
    { sni: 'www.tls.example', host: 'other.tls.example', path: '/', want: '404 first.tls.example' },
    // The SNI chose the wildcard listener, the Host belongs to the admin one: misdirected.
    {
      sni: 'www.tls.example',
      host: 'admin.tls.example',
      path: '/admin',
      want: '421 first.tls.example',
    },
    { sni: 'admin.tls.example', host: 'www.tls.example', path: '/', want: '421 first.tls.example' },
  ])('SNI $sni, Host $host $path: $want', async ({ sni, host, path, want }) => {
    await eventually(`${sni}/${host}`, () => tlsAsk(sni, host, path), want);
  });

  it('isolates HTTP listeners that share a port', async () => {
    const url = `http://127.0.0.1:${8080 + offset}`;
    const cases: Array<[string, string, number]> = [
      ['bar.example', '/any', 200],
      ['bar.example', '/wild', 404],
      ['x.iso.example', '/wild', 200],
      ['x.iso.example', '/any', 404],
      ['abc.iso.example', '/abc', 200],
      ['abc.iso.example', '/wild', 404],
      ['abc.iso.example', '/any', 404],
    ];
    for (const [host, path, status] of cases) {
      await waitFor(async () => summary(await ask(url, host, path)).startsWith(String(status)), {
        description: `${host}${path} -> ${status}`,
        timeoutMs: 20_000,
      });
    }
  });

  it('rotates the certificate: the new Secret is served (by reload, see the renderer Applier test)', async () => {
    await putTlsSecret(e2e, NS, 'site', certs[1] as TestCertificate);
    await eventually(
      'the rotated certificate',
      () => tlsAsk('www.tls.example', 'www.tls.example'),
      '200 second.tls.example',
    );
  });

  it('keeps key material out of Redis and out of every log', async () => {
    const redis = new Redis(e2e.stack.redisUrl);
    let stored = '';
    try {
      for (const key of await redis.keys('*')) {
        stored += `${key}\n${await dumpKey(redis, key)}\n`;
      }
    } finally {
      redis.disconnect();
    }
    const logsDir = join(e2e.stateDir, 'logs');
    let logs = '';
    for (const file of await readdir(logsDir)) logs += await readFile(join(logsDir, file), 'utf8');
    expect(stored).toContain('site'); // the Secret's summary is there ...
    for (const cert of certs) {
      const body = cert.keyPem
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join('');
      const forms = [body.slice(0, 32), Buffer.from(cert.keyPem).toString('base64').slice(0, 32)];
      for (const form of forms) {
        expect(stored).not.toContain(form); // ... but never the key, raw or base64
        expect(logs).not.toContain(form);
      }
    }
    expect(stored).not.toContain('PRIVATE KEY');
    expect(logs).not.toContain('PRIVATE KEY');
  });
});

/** Every value of a key, whatever its type, as text. */
async function dumpKey(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return (await redis.lrange(key, 0, -1)).join('\n');
    case 'set':
      return (await redis.smembers(key)).join('\n');
    case 'zset':
      return (await redis.zrange(key, 0, -1)).join('\n');
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return '';
  }
}
