import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '@portico/testing';
import type { KubeObject } from '@portico/kube';
import { isIrrelevantChange, toStored } from '../src/mirror.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const b64 = (text: string) => Buffer.from(text).toString('base64');

let dir: string;
let certPem: string;
let keyPem: string;
let otherKeyPem: string;

beforeAll(async () => {
  // A real self-signed certificate and key, made by openssl.
  dir = await makeTempDir('watcher-cert');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=www.example.local',
      '-keyout',
      join(dir, 'tls.key'),
      '-out',
      join(dir, 'tls.crt'),
    ],
    { stdio: 'ignore' },
  );
  certPem = readFileSync(join(dir, 'tls.crt'), 'utf8');
  keyPem = readFileSync(join(dir, 'tls.key'), 'utf8');
  otherKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
});
afterAll(() => removeTempDir(dir));

/** A TLS Secret as `kubectl apply` leaves it: data, managedFields and last-applied (with data). */
function tlsSecret(data: Record<string, string>): KubeObject {
  const manifest = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', data };
  return {
    ...manifest,
    metadata: {
      name: 'site-cert',
      namespace: 'default',
      resourceVersion: '7',
      labels: { team: 'edge' },
      annotations: { [LAST_APPLIED]: JSON.stringify(manifest), note: 'kept' },
      managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': { 'f:tls.key': {} } } }],
    },
  };
}

/** Every key and string anywhere in a JSON value. */
function allKeysAndStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allKeysAndStrings);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...allKeysAndStrings(v)]);
  return [];
}

describe('toStored: Secrets (invariant 6)', () => {
  it('keeps a summary and no key material anywhere', () => {
    const secret = tlsSecret({ 'tls.crt': b64(certPem), 'tls.key': b64(keyPem) });
    const stored = toStored('Secret', secret);
    const json = JSON.stringify(stored);
    expect(allKeysAndStrings(stored)).not.toContain('data');
    expect(allKeysAndStrings(stored)).not.toContain('stringData');
    expect(json).not.toContain(b64(keyPem).slice(0, 40));
    expect(json).not.toContain(b64(certPem).slice(0, 40));
    expect(json).not.toContain('PRIVATE KEY');
    expect(json).not.toContain('managedFields');
    expect(json).not.toContain(LAST_APPLIED);
    expect(stored).toMatchObject({
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      hasCertificate: true,
      hasKey: true,
      metadata: { name: 'site-cert', namespace: 'default', labels: { team: 'edge' } },
    });
    expect(stored.metadata.annotations).toEqual({ note: 'kept' });
    expect(stored).not.toHaveProperty('certificateError');
    expect(stored.contentHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    {
      name: 'a certificate that does not parse',
      data: () => ({
        'tls.crt': b64('-----BEGIN CERTIFICATE-----\nnope\n'),
        'tls.key': b64(keyPem),
      }),
      expected: { hasCertificate: true, hasKey: true, error: true },
    },
    {
      name: 'a key that does not parse',
      data: () => ({ 'tls.crt': b64(certPem), 'tls.key': b64('-----BEGIN PRIVATE KEY-----\nx\n') }),
      expected: { hasCertificate: true, hasKey: true, error: true },
    },
    {
      name: 'a key that belongs to another certificate',
      data: () => ({ 'tls.crt': b64(certPem), 'tls.key': b64(otherKeyPem) }),
      expected: { hasCertificate: true, hasKey: true, error: true },
    },
    {
      name: 'no key',
      data: () => ({ 'tls.crt': b64(certPem) }),
      expected: { hasCertificate: true, hasKey: false, error: false },
    },
    {
      name: 'no data at all',
      data: () => ({}),
      expected: { hasCertificate: false, hasKey: false, error: false },
    },
  ])('summarises a Secret with $name', ({ data, expected }) => {
    const stored = toStored('Secret', tlsSecret(data()));
    expect({
      hasCertificate: stored.hasCertificate,
      hasKey: stored.hasKey,
      error: typeof stored.certificateError === 'string',
    }).toEqual(expected);
    expect(allKeysAndStrings(stored)).not.toContain('data');
    // The reason is in words: no key material leaks into it.
    expect(stored.certificateError ?? '').not.toMatch(/PRIVATE KEY|MII/);
  });

  it.each([
    {
      name: 'a PEM CA certificate',
      data: () => ({ 'ca.crt': b64(certPem) }),
      expected: { hasCaCertificate: true, error: undefined },
    },
    {
      name: 'two PEM CA certificates',
      data: () => ({ 'ca.crt': b64(`${certPem}${certPem}`) }),
      expected: { hasCaCertificate: true, error: undefined },
    },
    {
      name: 'a ca.crt that is not PEM',
      data: () => ({ 'ca.crt': b64('hello') }),
      expected: { hasCaCertificate: true, error: 'ca.crt holds no PEM certificate' },
    },
    {
      name: 'a ca.crt whose certificate does not parse',
      data: () => ({
        'ca.crt': b64('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----'),
      }),
      expected: { hasCaCertificate: true, error: 'ca.crt certificate 1 does not parse' },
    },
    {
      name: 'no ca.crt (a TLS pair only)',
      data: () => ({ 'tls.crt': b64(certPem), 'tls.key': b64(keyPem) }),
      expected: { hasCaCertificate: false, error: undefined },
    },
  ])('summarises ca.crt of a Secret with $name, without its data', ({ data, expected }) => {
    const stored = toStored('Secret', tlsSecret(data()));
    expect(stored.hasCaCertificate).toBe(expected.hasCaCertificate);
    if (expected.error === undefined) expect(stored).not.toHaveProperty('caCertificateError');
    else expect(stored.caCertificateError).toContain(expected.error);
    const json = JSON.stringify(stored);
    expect(json).not.toContain(b64(certPem).slice(0, 40));
    expect(json).not.toContain(certPem.split('\n')[1]?.slice(0, 40));
  });

  it('changes the content hash exactly when the data changes', () => {
    const one = { 'tls.crt': b64(certPem), 'tls.key': b64(keyPem) };
    const hash = (data: Record<string, string>) => toStored('Secret', tlsSecret(data)).contentHash;
    expect(hash({ ...one })).toBe(hash(one));
    expect(hash({ ...one, 'tls.key': b64(`${keyPem}\n`) })).not.toBe(hash(one));
    expect(hash({ 'tls.crt': one['tls.crt'] })).not.toBe(hash(one));
    expect(hash({ ...one, 'ca.crt': b64(certPem) })).not.toBe(hash(one));
  });
});

describe('toStored: other kinds', () => {
  it('drops managedFields and last-applied, keeps everything else and sets the kind', () => {
    const gateway: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      metadata: {
        name: 'gw',
        namespace: 'default',
        generation: 3,
        annotations: { [LAST_APPLIED]: '{"big":"blob"}', 'portico.dev/x': 'y' },
        managedFields: [{ manager: 'kubectl' }],
      },
      spec: { gatewayClassName: 'portico', listeners: [] },
      status: { conditions: [] },
    };
    expect(toStored('Gateway', gateway)).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: 'gw',
        namespace: 'default',
        generation: 3,
        annotations: { 'portico.dev/x': 'y' },
      },
      spec: { gatewayClassName: 'portico', listeners: [] },
      status: { conditions: [] },
    });
  });
});

describe('isIrrelevantChange', () => {
  const base: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'default', resourceVersion: '10', generation: 1 },
    spec: { hostnames: ['a.example'] },
    status: { parents: [] },
  };
  const change = (patch: (o: KubeObject) => KubeObject) => patch(structuredClone(base));

  it.each([
    {
      name: 'a status-only change (our own status write coming back)',
      after: change((o) => ({ ...o, status: { parents: [{ controllerName: 'x' }] } })),
      irrelevant: true,
    },
    {
      name: 'a resourceVersion-only change',
      after: change((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '11' } })),
      irrelevant: true,
    },
    {
      name: 'a managedFields-only change',
      after: change((o) => ({ ...o, metadata: { ...o.metadata, managedFields: [{}] } })),
      irrelevant: true,
    },
    {
      name: 'a spec change',
      after: change((o) => ({
        ...o,
        metadata: { ...o.metadata, generation: 2 },
        spec: { hostnames: ['b.example'] },
      })),
      irrelevant: false,
    },
    {
      name: 'a label change',
      after: change((o) => ({ ...o, metadata: { ...o.metadata, labels: { env: 'prod' } } })),
      irrelevant: false,
    },
    {
      name: 'an annotation change',
      after: change((o) => ({ ...o, metadata: { ...o.metadata, annotations: { a: 'b' } } })),
      irrelevant: false,
    },
  ])('$name: irrelevant=$irrelevant', ({ after, irrelevant }) => {
    expect(isIrrelevantChange(base, after)).toBe(irrelevant);
  });
});
