/**
 * The backend TLS bridge through the Applier, on a real NGINX and a real TLS backend (the
 * HTTPS echo with a certificate for DNS abc.example.com and URI
 * spiffe://abc.example.com/test-identity): a policy listing that URI gets 200 and the backend
 * sees abc.example.com as SNI; one listing another URI or DNS name gets 502 and one log line
 * naming the policy and the SANs found; a policy of the hostname alone stays on NGINX's own
 * check (no bridge socket); a socket the next configuration drops is closed and removed; after
 * a renderer restart the bridge listens again although NGINX already serves the version.
 */
import { access, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IR_SCHEMA_VERSION,
  type GatewayIR,
  type SubjectAltNameIR,
  type UpstreamIR,
} from '@portico/ir';
import type { CertificateFile, RenderedFile } from '@portico/nginx-render';
import {
  createTestCertificate,
  freePorts,
  httpRequest,
  startHttpsEcho,
  type RunningHttpsEcho,
  type TestCertificate,
} from '@portico/testing';
import type { Applier, FollowedIR } from '../src/applier.ts';
import { BackendTlsBridges } from '../src/backend-tls-bridge.ts';
import { prepareSocketDir, socketDirFor } from '../src/sockets.ts';
import { capturingLogger, testApplier } from './support/applier.ts';
import { followedIR, rule } from './support/ir.ts';
import { startRealNginx, type RealNginx } from './support/real-nginx.ts';

const HOST = 'abc.example.com';
const IDENTITY = 'spiffe://abc.example.com/test-identity';
const CA = { kind: 'ConfigMap' as const, namespace: 'infra', name: 'ca', contentHash: 'c0ffee' };

let real: RealNginx;
let socketDir: string;
let port: number;
let backend: TestCertificate;
let echo: RunningHttpsEcho;
let bridges: BackendTlsBridges;
let applier: Applier;
let followed: FollowedIR[] = [];
const log = capturingLogger();
const logger = log.logger;

/** An upstream `<name>` to the echo whose policy lists `sans`. */
function upstream(name: string, sans: SubjectAltNameIR[]): UpstreamIR {
  return {
    name,
    service: { namespace: 'infra', name, port: 443 },
    endpoints: [{ address: '127.0.0.1', port: echo.port }],
    tls: {
      serverName: HOST,
      trustedCertificates: [CA],
      subjectAltNames: sans,
      policy: `infra/${name.replace(/_/g, '-')}`,
    },
  };
}

/** One HTTP listener; `/<name>` goes to each upstream. */
function gatewayIR(upstreams: UpstreamIR[]): FollowedIR {
  const ir: GatewayIR = {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: 'infra', name: 'gw' },
    httpServers: [
      {
        port,
        protocol: 'HTTP',
        virtualHosts: [
          {
            hostname: '*',
            rules: upstreams.map((u, i) =>
              rule({
                id: `r${i}`,
                route: 'r',
                ruleIndex: i,
                path: { type: 'Exact', value: `/${u.name}` },
                upstream: u.name,
              }),
            ),
          },
        ],
      },
    ],
    upstreams: [...upstreams].sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
  return followedIR(ir);
}

/** The API server's part, faked at its port: every CA bundle is the backend's certificate. */
function caFiles(files: CertificateFile[]): Promise<RenderedFile[]> {
  return Promise.resolve(
    files.map((f) => ({ path: f.certificatePath, contents: backend.certPem, mode: 0o600 })),
  );
}

async function get(path: string): Promise<number> {
  const response = await httpRequest(`http://127.0.0.1:${port}${path}`, {
    headers: { host: HOST },
  });
  return response.status;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const URI_OK: SubjectAltNameIR = { type: 'URI', uri: IDENTITY };
const URI_OTHER: SubjectAltNameIR = { type: 'URI', uri: 'spiffe://def.example.com/test-identity' };
const DNS_OTHER: SubjectAltNameIR = { type: 'Hostname', hostname: 'def.example.com' };
const DNS_SAME: SubjectAltNameIR = { type: 'Hostname', hostname: HOST };

beforeAll(async () => {
  real = await startRealNginx('renderer-bridge');
  [port] = (await freePorts(1)) as [number];
  backend = await createTestCertificate([HOST], { uris: [IDENTITY] });
  echo = await startHttpsEcho({
    context: { namespace: 'infra', ingress: '', service: 'tls', pod: 'tls-0' },
    cert: backend.certPem,
    key: backend.keyPem,
  });
  bridges = new BackendTlsBridges(logger, { retireAfterMs: 0 });
  // The renderer's socket directory: NGINX workers (www-data under root) may connect there.
  socketDir = socketDirFor(real.dataDir);
  await prepareSocketDir(socketDir);
  applier = applierWith(bridges);
}, 60_000);

/** An Applier on the test's NGINX, socket directory and IRs, with `bridge`. */
function applierWith(bridge: BackendTlsBridges): Applier {
  const { settings } = real.applierDeps(5_000);
  return testApplier(real, {
    settings: { ...settings, paths: { ...settings.paths, socketDir } },
    logger,
    followed: () => followed,
    certificateFiles: caFiles,
    bridges: bridge,
  });
}

afterAll(async () => {
  await bridges?.close();
  await echo?.stop();
  await real?.stop();
  if (socketDir) await rm(socketDir, { recursive: true, force: true });
});

describe('backend TLS bridge on a real NGINX', () => {
  // The steps build on each other: one NGINX, one data dir, in order.
  it('verifies SANs NGINX cannot: a matching URI answers, others get 502', async () => {
    followed = [
      gatewayIR([
        upstream('uri', [URI_OK]),
        upstream('multiple', [URI_OTHER, DNS_SAME]),
        upstream('uri_mismatch', [URI_OTHER]),
        upstream('dns_mismatch', [DNS_OTHER]),
        upstream('multiple_mismatch', [URI_OTHER, DNS_OTHER]),
        upstream('native', [DNS_SAME]),
      ]),
    ];
    expect(await applier.apply()).toBe('applied');
    expect(bridges.sockets()).toHaveLength(5);
    const statuses = {
      uri: await get('/uri'),
      multiple: await get('/multiple'),
      uriMismatch: await get('/uri_mismatch'),
      dnsMismatch: await get('/dns_mismatch'),
      multipleMismatch: await get('/multiple_mismatch'),
      native: await get('/native'),
    };
    expect(statuses).toEqual({
      uri: 200,
      multiple: 200,
      uriMismatch: 502,
      dnsMismatch: 502,
      multipleMismatch: 502,
      native: 200,
    });
  });

  it('sends the policy hostname as SNI', () => {
    const names = new Set(echo.requests().map((r) => r.tls.serverName));
    expect([...names]).toEqual([HOST]);
    expect(echo.requests()).toHaveLength(3);
  });

  it('logs each refusal once, naming the policy and the SANs found', () => {
    const lines = log
      .text()
      .split('\n')
      .filter((l) => l.includes('carries none of'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const line = lines.find((l) => l.includes('infra/uri-mismatch')) ?? '';
    expect(line).toContain(`found DNS:${HOST}, URI:${IDENTITY}`);
    expect(line).toContain('wanted URI:spiffe://def.example.com/test-identity');
    expect(line).toContain(`"endpoint":"127.0.0.1:${echo.port}"`);
  });

  it('closes and removes the sockets a new configuration drops', async () => {
    const before = bridges.sockets();
    followed = [gatewayIR([upstream('uri', [URI_OK])])];
    expect(await applier.apply()).toBe('applied');
    const after = bridges.sockets();
    expect(after).toHaveLength(1);
    expect(before).toContain(after[0]);
    for (const socket of before.filter((s) => !after.includes(s))) {
      expect(await exists(socket)).toBe(false);
    }
    expect(await get('/uri')).toBe(200);
  });

  it('listens again after a renderer restart, when NGINX already serves the version', async () => {
    await bridges.close();
    expect(await get('/uri')).toBe(502);
    bridges = new BackendTlsBridges(logger, { retireAfterMs: 0 });
    applier = applierWith(bridges);
    expect(await applier.apply()).toBe('unchanged');
    expect(bridges.sockets()).toHaveLength(1);
    expect(await get('/uri')).toBe(200);
  });
});
