/**
 * What the watcher keeps of a ConfigMap: whether `ca.crt` holds a usable PEM CA bundle, and a
 * hash of the data. The graph needs no more (a BackendTLSPolicy names the ConfigMap; the
 * renderer reads the bundle from the API server), and application ConfigMaps can be large.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { KubeObject } from '@portico/kube';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface ConfigMapSummary extends KubeObject {
  hasCaCertificate: boolean;
  /** Why `ca.crt` is not a CA bundle NGINX can load; absent when it is (or is missing). */
  caCertificateError?: string;
  contentHash: string;
}

/** The summary of a ConfigMap (`metadata` already trimmed by the caller). */
export function summariseConfigMap(
  configMap: KubeObject,
  metadata: KubeObject['metadata'],
): ConfigMapSummary {
  const data = (configMap.data ?? {}) as Record<string, string>;
  const ca = data['ca.crt'] ?? '';
  const caCertificateError = ca === '' ? undefined : caBundleProblem(ca);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata,
    hasCaCertificate: ca !== '',
    ...(caCertificateError === undefined ? {} : { caCertificateError }),
    contentHash: dataHash(data),
  };
}

/**
 * A short hash of a ConfigMap's or Secret's `data` (keys sorted, each key and value hashed):
 * it moves when any of it changes, so the graph can follow content it does not hold.
 */
export function dataHash(data: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data).sort())
    hash
      .update(key)
      .update('\0')
      .update(data[key] ?? '');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Why `ca.crt` (of a ConfigMap or a Secret) cannot serve as a CA bundle, in words that carry
 * none of its data: every PEM block must parse as a certificate, and there must be one.
 */
export function caBundleProblem(pem: string): string | undefined {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return 'ca.crt holds no PEM certificate';
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `ca.crt certificate ${i + 1} does not parse: ${(error as Error).message}`;
    }
  }
  return undefined;
}
