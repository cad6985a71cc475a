/**
 * BackendTLSPolicy CA sources through the Applier on a real NGINX, to real HTTPS echo
 * backends: a CA bundle from `ca.crt` of a Secret made by the real `kubectl create secret
 * generic`, read from the API server (the emulator); `wellKnownCACertificates: System` from
 * the file the renderer's `PORTICO_SYSTEM_CA_BUNDLE` names (a test CA here, so no public CA is
 * needed). Both files land beside nginx.conf with mode 0600. A Secret that lost its `ca.crt`
 * after the graph looked, or a system bundle that cannot be read, keeps the last good
 * configuration serving and the acknowledgement names the object.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IR_SCHEMA_VERSION,
  type GatewayIR,
  type UpstreamIR,
  type UpstreamTlsIR,
} from '@portico/ir';
import { createLogger } from '@portico/telemetry';
import {
  createTestCertificate,
  freePorts,
  httpGet,
  startHttpsEcho,
  type RunningHttpsEcho,
  type TestCertificate,
} from '@portico/testing';
import type { Ack, Applier, FollowedIR } from '../src/applier.ts';
import { readCertificateFiles } from '../src/certificates.ts';
import { testApplier } from './support/applier.ts';
import { startEmulatedApi, type EmulatedApi } from './support/emulated-api.ts';
import { followedIR, rule } from './support/ir.ts';
import { startRealNginx, type RealNginx } from './support/real-nginx.ts';

let real: RealNginx;
let api: EmulatedApi | undefined;
let port: number;
let applier: Applier;
let followed: FollowedIR[] = [];
let systemCaBundle = '';
const acks: Ack[][] = [];
const echoes: Record<'private' | 'public', RunningHttpsEcho> = {} as never;
const certs: Record<'private' | 'public' | 'other', TestCertificate> = {} as never;

/** An upstream `name` to `echo` speaking TLS with `tls`. */
function upstream(name: string, echo: RunningHttpsEcho, tls: UpstreamTlsIR): UpstreamIR {
  return {
    name: `infra__${name}__443`,
    service: { namespace: 'infra', name, port: 443 },
    endpoints: [{ address: '127.0.0.1', port: echo.port }],
    tls,
  };
}

/** `/secret` to the private backend (CA in Secret `caSecret`), `/system` to the public one. */
function edgeIR(caSecret: string, hash: string): FollowedIR {
  const to = (path: string, target: string) =>
    rule({
      id: `r${path.slice(1)}`,
      route: 'web',
      path: { type: 'PathPrefix', value: path },
      upstream: `infra__${target}__443`,
    });
  const ir: GatewayIR = {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: 'infra', name: 'edge' },
    httpServers: [
      {
        port,
        protocol: 'HTTP',
        virtualHosts: [
          { hostname: '*', rules: [to('/secret', 'private'), to('/system', 'public')] },
        ],
      },
    ],
    upstreams: [
      upstream('private', echoes.private, {
        serverName: 'private.internal',
        trustedCertificates: [
          { kind: 'Secret', namespace: 'infra', name: caSecret, contentHash: hash },
        ],
        policy: 'infra/private',
      }),
      upstream('public', echoes.public, {
        serverName: 'public.example.net',
        trustedCertificates: [],
        wellKnownCACertificates: 'System',
        policy: 'infra/public',
      }),
    ],
  };
  return followedIR(ir);
}

/** Status and the SNI the backend saw, for `GET path` through NGINX. */
async function get(path: string): Promise<{ status: number; serverName?: string }> {
  const response = await httpGet(`http://127.0.0.1:${port}${path}`);
  if (response.status !== 200) return { status: response.status };
  return {
    status: 200,
    serverName: response.json<{ tls: { serverName: string } }>().tls.serverName,
  };
}

beforeAll(async () => {
  real = await startRealNginx('renderer-backend-ca');
  [port] = (await freePorts(1)) as [number];
  certs.private = await createTestCertificate(['private.internal']);
  certs.public = await createTestCertificate(['public.example.net']);
  certs.other = await createTestCertificate(['unrelated.example']);
  for (const name of ['private', 'public'] as const) {
    const context = { namespace: 'infra', ingress: '', service: name, pod: `${name}-1` };
    const { certPem: cert, keyPem: key } = certs[name];
    echoes[name] = await startHttpsEcho({ context, cert, key });
  }
  systemCaBundle = join(real.dataDir, 'system-ca.crt');
  await writeFile(systemCaBundle, `${certs.other.certPem}${certs.public.certPem}`);
  api = await startEmulatedApi(real.dataDir);
  const { kubectl, rest } = api;
  const ca = join(real.dataDir, 'private-ca.crt');
  await writeFile(ca, certs.private.certPem);
  await kubectl(
    '-n',
    'infra',
    'create',
    'secret',
    'generic',
    'backend-ca',
    `--from-file=ca.crt=${ca}`,
  );
  await kubectl('-n', 'infra', 'create', 'secret', 'generic', 'no-ca', `--from-file=other=${ca}`);
  applier = testApplier(real, {
    logger: createLogger('renderer-test', { level: 'silent' }),
    followed: () => followed,
    acks,
    certificateFiles: (files) => readCertificateFiles(rest, files, { systemCaBundle }),
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(echoes).map((e) => e.stop()));
  await api?.close();
  await real?.stop();
});

describe('Applier with BackendTLSPolicy CA sources', () => {
  // The steps build on each other: one NGINX, one data dir, in order.
  it('verifies one backend with ca.crt of a Secret and the other with the system bundle', async () => {
    followed = [edgeIR('backend-ca', 'aa01')];
    expect(await applier.apply()).toBe('applied');
    expect(await get('/secret')).toEqual({ status: 200, serverName: 'private.internal' });
    expect(await get('/system')).toEqual({ status: 200, serverName: 'public.example.net' });
    const system = join(real.dir.currentLink, 'certs', 'ca_system.pem');
    expect(await readFile(system, 'utf8')).toBe(await readFile(systemCaBundle, 'utf8'));
    expect((await stat(system)).mode & 0o777).toBe(0o600);
  });

  it('a system bundle without the backend CA makes NGINX refuse the backend (502)', async () => {
    await writeFile(systemCaBundle, certs.other.certPem);
    // The bundle is copied when a configuration is applied (a new image restarts the data
    // plane); the same rendered files are "unchanged" and copy nothing.
    followed = [{ ...edgeIR('backend-ca', 'aa01'), hash: 'same-files' }];
    expect(await applier.apply()).toBe('unchanged');
    expect(await get('/system')).toEqual({ status: 200, serverName: 'public.example.net' });
    followed = [edgeIR('backend-ca', 'aa04')];
    expect(await applier.apply()).toBe('applied');
    const before = echoes.public.requests().length;
    expect(await get('/system')).toEqual({ status: 502 });
    expect(echoes.public.requests().length).toBe(before);
    expect(await get('/secret')).toEqual({ status: 200, serverName: 'private.internal' });
    await writeFile(systemCaBundle, `${certs.other.certPem}${certs.public.certPem}`);
    followed = [edgeIR('backend-ca', 'aa01')];
    expect(await applier.apply()).toBe('applied');
    expect(await get('/system')).toEqual({ status: 200, serverName: 'public.example.net' });
  });

  it('a Secret without ca.crt keeps the last good configuration; the ack names it', async () => {
    followed = [edgeIR('no-ca', 'aa02')];
    expect(await applier.apply()).toBe('invalid');
    expect(acks.at(-1)?.[0]?.error).toMatch(
      /Secret infra\/no-ca has no PEM certificate in ca\.crt/,
    );
    expect(await get('/secret')).toEqual({ status: 200, serverName: 'private.internal' });
  });

  it('an unreadable system bundle keeps the last good configuration; the ack names the file', async () => {
    systemCaBundle = join(real.dataDir, 'absent.crt');
    followed = [edgeIR('backend-ca', 'aa03')];
    expect(await applier.apply()).toBe('invalid');
    expect(acks.at(-1)?.[0]?.error).toMatch(
      /cannot read the system CA bundle .*absent\.crt: ENOENT/,
    );
    expect(await get('/system')).toEqual({ status: 200, serverName: 'public.example.net' });
  });
});
