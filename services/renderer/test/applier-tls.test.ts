/**
 * HTTPS through the Applier: certificates are read from the API server (the emulator, the
 * Secret created by the real `kubectl create secret tls`), written beside nginx.conf with mode
 * 0600, served by a real NGINX to a real TLS client; a rotated Secret (new content hash)
 * reaches NGINX by reload without a restart; a Secret that cannot be read keeps the last good
 * configuration serving. No key material in acks or logs.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IR_SCHEMA_VERSION, type GatewayIR } from '@portico/ir';
import {
  createTestCertificate,
  freePorts,
  startEcho,
  type RunningEcho,
  type TestCertificate,
} from '@portico/testing';
import type { Ack, Applier, FollowedIR } from '../src/applier.ts';
import { readCertificateFiles } from '../src/certificates.ts';
import type { ConfigDir } from '../src/config-dir.ts';
import type { NginxProcess } from '../src/nginx-process.ts';
import { capturingLogger, testApplier } from './support/applier.ts';
import { startEmulatedApi, type EmulatedApi } from './support/emulated-api.ts';
import { followedIR, rule } from './support/ir.ts';
import { startRealNginx, type RealNginx } from './support/real-nginx.ts';

let real: RealNginx;
let dataDir: string;
let dir: ConfigDir;
let api: EmulatedApi | undefined;
let tlsPort: number;
let echo: RunningEcho;
let nginx: NginxProcess;
let applier: Applier;
let followed: FollowedIR[] = [];
const acks: Ack[][] = [];
const log = capturingLogger();
const certs: TestCertificate[] = [];

/** An HTTPS catch-all listener on `tlsPort` whose certificate is Secret infra/`secret`. */
function httpsIR(secret: string, hash: string): FollowedIR {
  const ir: GatewayIR = {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: 'infra', name: 'secure' },
    httpServers: [
      {
        port: tlsPort,
        protocol: 'HTTPS',
        virtualHosts: [
          {
            hostname: '*',
            listener: 'https',
            rules: [
              rule({
                id: 'r0',
                route: 'web',
                path: { type: 'PathPrefix', value: '/' },
                upstream: 'infra__echo__80',
              }),
            ],
          },
        ],
        listeners: [
          {
            name: 'https',
            hostname: '*',
            certificates: [{ namespace: 'infra', name: secret, contentHash: hash }],
          },
        ],
      },
    ],
    upstreams: [
      {
        name: 'infra__echo__80',
        service: { namespace: 'infra', name: 'echo', port: 80 },
        endpoints: [{ address: '127.0.0.1', port: echo.port }],
      },
    ],
  };
  return followedIR(ir);
}

/** Creates or replaces Secret infra/`name` from a certificate, as a user would. */
async function putSecret(name: string, cert: TestCertificate): Promise<void> {
  const crt = join(dataDir, `${name}.crt`);
  const key = join(dataDir, `${name}.key`);
  await writeFile(crt, cert.certPem);
  await writeFile(key, cert.keyPem);
  const { kubectl } = api as EmulatedApi;
  await kubectl('-n', 'infra', 'delete', 'secret', name, '--ignore-not-found');
  await kubectl('-n', 'infra', 'create', 'secret', 'tls', name, `--cert=${crt}`, `--key=${key}`);
}

/** The CN of the certificate NGINX presents, and the status of a GET through it. */
function tlsGet(servername: string): Promise<{ subject: string; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: tlsPort,
      servername,
      rejectUnauthorized: false,
    });
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('secureConnect', () =>
      socket.write(`GET / HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () =>
      resolve({
        subject: String(socket.getPeerCertificate().subject?.CN ?? ''),
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0),
      }),
    );
  });
}

beforeAll(async () => {
  real = await startRealNginx('renderer-tls');
  ({ dataDir, dir, nginx } = real);
  [tlsPort] = (await freePorts(1)) as [number];
  echo = await startEcho({ service: 'echo' });
  api = await startEmulatedApi(dataDir);
  const { rest } = api;
  certs.push(
    await createTestCertificate(['first.test']),
    await createTestCertificate(['second.test']),
  );
  await putSecret('site', certs[0] as TestCertificate);
  applier = testApplier(real, {
    logger: log.logger,
    followed: () => followed,
    acks,
    certificateFiles: (files) => readCertificateFiles(rest, files),
  });
}, 60_000);

afterAll(async () => {
  await echo?.stop();
  await api?.close();
  await real?.stop();
});

describe('Applier with HTTPS listeners', () => {
  // The steps build on each other: one NGINX, one data dir, in order.
  it('serves the Secret read from the API server; key files are 0600', async () => {
    followed = [httpsIR('site', 'aaaa000000000001')];
    expect(await applier.apply()).toBe('applied');
    expect(await tlsGet('www.example.test')).toEqual({ subject: 'first.test', status: 200 });
    const certDir = join(dir.currentLink, 'certs');
    const names = (await readdir(certDir)).sort();
    expect(names).toEqual(['infra_site_aaaa000000000001.crt', 'infra_site_aaaa000000000001.key']);
    for (const name of names) expect((await stat(join(certDir, name))).mode & 0o777).toBe(0o600);
  });

  it('rotates a certificate by reload: new content hash, same NGINX master', async () => {
    const master = nginx.pid;
    await putSecret('site', certs[1] as TestCertificate);
    followed = [httpsIR('site', 'aaaa000000000002')];
    expect(await applier.apply()).toBe('applied');
    expect(await tlsGet('www.example.test')).toEqual({ subject: 'second.test', status: 200 });
    expect(nginx.pid).toBe(master);
  });

  it('keeps the last good configuration when a Secret cannot be read', async () => {
    followed = [httpsIR('gone', 'aaaa000000000003')];
    expect(await applier.apply()).toBe('invalid');
    const last = acks.at(-1) ?? [];
    expect(last).toHaveLength(1);
    expect(last[0]?.ok).toBe(false);
    expect(last[0]?.error).toMatch(/cannot read Secret infra\/gone: 404/);
    expect(await tlsGet('www.example.test')).toEqual({ subject: 'second.test', status: 200 });
  });

  it('put no key material in acks or logs', () => {
    const logged = log.text();
    const everything = JSON.stringify(acks) + logged;
    expect(logged).not.toBe('');
    for (const cert of certs) {
      const body = cert.keyPem.split('\n').slice(1, -2).join('');
      expect(everything).not.toContain(body.slice(0, 40));
    }
    expect(everything).not.toContain('PRIVATE KEY');
  });
});
