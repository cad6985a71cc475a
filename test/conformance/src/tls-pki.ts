/**
 * The certificates upstream's suite makes at start for its TLS tests, in our own openssl
 * calls: one CA (published as the ConfigMap `tls-checks-ca-certificate`, key `ca.crt`) and
 * leaf certificates it signed, as `kubernetes.io/tls` Secrets. Made once per process,
 * synchronously (scenario manifests are plain values), with P-256 keys because they are fast.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '@portico/kube';
import { APP, INFRA } from './builders.ts';

export interface Leaf {
  namespace: string;
  name: string;
  hosts: string[];
}

/** The Secrets upstream signs with the `tls-checks` CA (names, namespaces and SANs). */
export const TLS_LEAVES: Leaf[] = [
  {
    namespace: INFRA,
    name: 'tls-checks-certificate',
    hosts: ['abc.example.com', 'other.example.com'],
  },
  { namespace: INFRA, name: 'tls-passthrough-checks-certificate', hosts: ['abc.example.com'] },
  { namespace: APP, name: 'tls-passthrough-checks-certificate', hosts: ['abc.example.com'] },
  { namespace: INFRA, name: 'tls-terminate-checks-certificate', hosts: ['tls.example.com'] },
];

export interface Pem {
  cert: string;
  key: string;
}

export interface TlsPki {
  caPem: string;
  /** By `<namespace>/<name>` of the Secret. */
  leaves: Map<string, Pem>;
}

let made: TlsPki | undefined;

/** The CA and every leaf, made on first use. */
export function tlsPki(): TlsPki {
  made ??= makePki();
  return made;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makePki(): TlsPki {
  const dir = mkdtempSync(join(tmpdir(), 'portico-conformance-pki-'));
  try {
    const ca = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
    openssl([
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      ca.key,
      '-out',
      ca.cert,
      '-days',
      '2',
      '-subj',
      '/CN=portico conformance CA',
    ]);
    const leaves = new Map<string, Pem>();
    TLS_LEAVES.forEach((leaf, i) => {
      const base = join(dir, `leaf-${i}`);
      const ext = `${base}.ext`;
      writeFileSync(ext, `subjectAltName=${leaf.hosts.map((h) => `DNS:${h}`).join(',')}\n`);
      openssl([
        'req',
        ...EC_KEY,
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/CN=${leaf.hosts[0] ?? 'leaf'}`,
      ]);
      openssl([
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        ca.cert,
        '-CAkey',
        ca.key,
        '-CAcreateserial',
        '-out',
        `${base}.crt`,
        '-days',
        '2',
        '-extfile',
        ext,
      ]);
      leaves.set(`${leaf.namespace}/${leaf.name}`, {
        cert: readFileSync(`${base}.crt`, 'utf8'),
        key: readFileSync(`${base}.key`, 'utf8'),
      });
    });
    return { caPem: readFileSync(ca.cert, 'utf8'), leaves };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Secrets and the CA ConfigMap, as objects to apply. */
export function pkiObjects(): KubeObject[] {
  const pki = tlsPki();
  const secrets = TLS_LEAVES.map((leaf): KubeObject => {
    const pem = pki.leaves.get(`${leaf.namespace}/${leaf.name}`) as Pem;
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { namespace: leaf.namespace, name: leaf.name },
      data: {
        'tls.crt': Buffer.from(pem.cert).toString('base64'),
        'tls.key': Buffer.from(pem.key).toString('base64'),
      },
    };
  });
  const ca: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace: INFRA, name: 'tls-checks-ca-certificate' },
    data: { 'ca.crt': pki.caPem },
  };
  return [...secrets, ca];
}
