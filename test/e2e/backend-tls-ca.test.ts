/**
 * Where BackendTLSPolicy CAs come from, end to end (issue 5), driven with the real kubectl:
 * a CA in `ca.crt` of a Secret (`kubectl create secret generic --from-file`), a Secret without
 * `ca.crt`, and `wellKnownCACertificates: System` with the data plane's
 * `PORTICO_SYSTEM_CA_BUNDLE` pointed at a test CA file (no public CA is needed to stay honest).
 * Real HTTPS echo backends behind Services and EndpointSlices, a real HTTP client through the
 * Gateway's NGINX, the policy status as the controller wrote it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_DIR } from '@portico/local-stack';
import {
  createTestCertificate,
  makeTempDir,
  removeTempDir,
  startHttpsEcho,
  waitFor,
  type HttpsEchoResponse,
  type RunningHttpsEcho,
  type TestCertificate,
} from '@portico/testing';
import { endpointSlice, httpRoute } from './support/manifests.ts';
import { ask, conditionState, waitForAnswer, type Condition } from './support/observe.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

const NS = 'e2e-backend-ca';
const GATEWAY = 'backend-ca';
const PORT = 9400;
const HOST = 'ca.example.com';
let e2e: E2EStack;
let dir: string;
let base = '';
/** Backend `private` (its CA is in a Secret) and `public` (its CA is the "system" bundle). */
const certs: Record<'private' | 'public', TestCertificate> = {} as never;
const echoes: RunningHttpsEcho[] = [];

const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${GATEWAY}, namespace: ${NS} }
spec:
  gatewayClassName: portico
  listeners: [{ name: http, port: ${PORT}, protocol: HTTP }]
`;

/** Service `name` with one port `https` 443 whose endpoint is `echo`. */
function service(name: string, echo: RunningHttpsEcho): string {
  return `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${NS} }
spec: { ports: [{ name: https, port: 443, targetPort: ${echo.port} }] }
---
${endpointSlice({ namespace: NS, service: name, port: echo.port, portName: 'https' })}`;
}

/** A BackendTLSPolicy for Service `name`, with `validation` as YAML flow fields. */
function policy(name: string, hostname: string, validation: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: { name: ${name}, namespace: ${NS} }
spec:
  targetRefs: [{ group: '', kind: Service, name: ${name} }]
  validation: { hostname: ${hostname}, ${validation} }
`;
}

async function kubectl(...args: string[]): Promise<string> {
  return e2e.stack.kubectl(args);
}

/** Secret `name` with the private CA in `ca.crt`, made as users make it. */
async function createCaSecret(name: string): Promise<void> {
  const file = `--from-file=ca.crt=${join(dir, 'private-ca.crt')}`;
  await kubectl('-n', NS, 'create', 'secret', 'generic', name, file);
}

/** `Accepted=…/…` and `ResolvedRefs=…/…` of a policy's entry for our Gateway, and the messages. */
async function policyState(name: string): Promise<{ state: string; messages: string }> {
  const object = JSON.parse(
    await kubectl('-n', NS, 'get', 'backendtlspolicy', name, '-o', 'json'),
  ) as { status?: { ancestors?: { ancestorRef: { name: string }; conditions: Condition[] }[] } };
  const entry = object.status?.ancestors?.find((a) => a.ancestorRef.name === GATEWAY);
  const conditions = entry?.conditions ?? [];
  return {
    state: [
      conditionState(conditions, 'Accepted'),
      conditionState(conditions, 'ResolvedRefs'),
    ].join(' '),
    messages: conditions.map((c) => c.message).join(' | '),
  };
}

function waitForPolicy(name: string, state: string): Promise<{ state: string; messages: string }> {
  return waitFor(() => policyState(name), {
    description: `BackendTLSPolicy ${name} to be ${state}`,
    until: (value) => value.state === state,
    timeoutMs: 30_000,
    intervalMs: 200,
  });
}

/** The TLS handshake facts the backend saw for the last request. */
function lastHandshake(echo: RunningHttpsEcho): HttpsEchoResponse['tls'] | undefined {
  return echo.requests().at(-1)?.tls;
}

beforeAll(async () => {
  dir = await makeTempDir('e2e-backend-ca');
  certs.private = await createTestCertificate(['private.internal']);
  certs.public = await createTestCertificate(['public.example.net']);
  // The "system" bundle: an unrelated CA first, as a real bundle holds many.
  const other = await createTestCertificate(['unrelated.example']);
  await writeFile(join(dir, 'system-ca.crt'), `${other.certPem}${certs.public.certPem}`);
  await writeFile(join(dir, 'private-ca.crt'), certs.private.certPem);
  await writeFile(join(dir, 'private.crt'), certs.private.certPem);
  await writeFile(join(dir, 'private.key'), certs.private.keyPem);
  for (const [pod, cert] of [
    ['private-1', certs.private],
    ['public-1', certs.public],
  ] as const) {
    const context = { namespace: NS, ingress: '', service: pod.replace(/-1$/, ''), pod };
    echoes.push(await startHttpsEcho({ context, cert: cert.certPem, key: cert.keyPem }));
  }
  e2e = await startE2EStack({
    seed: false,
    listenerPorts: [PORT],
    serviceEnv: { PORTICO_SYSTEM_CA_BUNDLE: join(dir, 'system-ca.crt') },
  });
  await kubectl('apply', '-f', join(SEED_DIR, 'gatewayclass.yaml'));
  await kubectl('create', 'namespace', NS);
  await createCaSecret('backend-ca');
  await kubectl(
    '-n',
    NS,
    'create',
    'secret',
    'tls',
    'tls-only',
    `--cert=${join(dir, 'private.crt')}`,
    `--key=${join(dir, 'private.key')}`,
  );
  const [privateEcho, publicEcho] = echoes as [RunningHttpsEcho, RunningHttpsEcho];
  await e2e.apply(
    [
      gateway,
      service('secret-ca', privateEcho),
      service('no-ca', privateEcho),
      service('system', publicEcho),
      service('system-wrong', privateEcho),
      policy(
        'secret-ca',
        'private.internal',
        "caCertificateRefs: [{ group: '', kind: Secret, name: backend-ca }]",
      ),
      policy(
        'no-ca',
        'private.internal',
        "caCertificateRefs: [{ group: '', kind: Secret, name: tls-only }]",
      ),
      policy('system', 'public.example.net', 'wellKnownCACertificates: System'),
      policy('system-wrong', 'private.internal', 'wellKnownCACertificates: System'),
      httpRoute({
        namespace: NS,
        name: 'backends',
        gateway: `${NS}/${GATEWAY}`,
        hostnames: [HOST],
        rules: ['secret-ca', 'no-ca', 'system', 'system-wrong'].map((name) => ({
          pathPrefix: `/${name}`,
          backends: [{ name, port: 443 }],
        })),
      }),
    ].join('---\n'),
  );
  await e2e.stack.waitForGatewayProgrammed(NS, GATEWAY, 60_000);
  base = await e2e.gatewayUrl(NS, GATEWAY, PORT);
}, 120_000);

afterAll(async () => {
  await Promise.all(echoes.map((e) => e.stop()));
  await e2e?.stop();
  if (dir) await removeTempDir(dir);
});

describe('BackendTLSPolicy CA sources', () => {
  it('a CA from ca.crt of a Secret verifies the backend', async () => {
    await waitForAnswer(base, HOST, '/secret-ca', '200 private-1');
    expect(lastHandshake(echoes[0] as RunningHttpsEcho)?.serverName).toBe('private.internal');
    await waitForPolicy('secret-ca', 'Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs');
  });

  it('a Secret without ca.crt answers 500 and the policy says why', async () => {
    const { messages } = await waitForPolicy(
      'no-ca',
      'Accepted=False/NoValidCACertificate ResolvedRefs=False/InvalidCACertificateRef',
    );
    expect(messages).toContain(`Secret ${NS}/tls-only has no ca.crt`);
    await waitForAnswer(base, HOST, '/no-ca', '500');
  });

  it('adding ca.crt to that Secret makes the policy usable without touching the policy', async () => {
    await kubectl('-n', NS, 'delete', 'secret', 'tls-only');
    await createCaSecret('tls-only');
    await waitForPolicy('no-ca', 'Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs');
    await waitForAnswer(base, HOST, '/no-ca', '200 private-1');
  });

  it('wellKnownCACertificates System trusts the data plane bundle (PORTICO_SYSTEM_CA_BUNDLE)', async () => {
    await waitForPolicy('system', 'Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs');
    await waitForAnswer(base, HOST, '/system', '200 public-1');
    expect(lastHandshake(echoes[1] as RunningHttpsEcho)?.serverName).toBe('public.example.net');
  });

  it('System does not trust a backend whose CA is not in that bundle: NGINX refuses it (502)', async () => {
    await waitForPolicy('system-wrong', 'Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs');
    const before = (echoes[0] as RunningHttpsEcho).requests().length;
    await waitForAnswer(base, HOST, '/system-wrong', '502');
    expect((echoes[0] as RunningHttpsEcho).requests().length).toBe(before);
    expect(await ask(base, HOST, '/system')).toMatchObject({ status: 200 });
  });
});
