/**
 * What the watcher keeps of each object (pure). The store holds what the graph needs and no
 * more: no managedFields, no last-applied annotation, and for Secrets a summary instead of the
 * data (invariant 6: key material never reaches Redis).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { KubeObject } from '@portico/kube';
import { caBundleProblem, dataHash, summariseConfigMap } from './configmap.ts';

const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * A Secret as the graph sees it: existence, type, whether it holds a usable certificate (and a
 * usable CA bundle in `ca.crt`), and a hash of its data; never the data itself.
 */
export interface SecretSummary extends KubeObject {
  type: string;
  hasCertificate: boolean;
  hasKey: boolean;
  /**
   * Set when `tls.crt` is present but cannot serve TLS: it does not parse as a PEM
   * certificate, `tls.key` does not parse, or the key is not the certificate's.
   */
  certificateError?: string;
  /** `ca.crt` is present: the Secret may serve as a BackendTLSPolicy CA reference. */
  hasCaCertificate: boolean;
  /** Why `ca.crt` is not a PEM CA bundle; absent when it is (or when it is missing). */
  caCertificateError?: string;
  contentHash: string;
}

function trimMetadata(metadata: KubeObject['metadata']): KubeObject['metadata'] {
  const { managedFields: _managed, ...rest } = metadata;
  if (!rest.annotations) return rest;
  const annotations = Object.fromEntries(
    Object.entries(rest.annotations).filter(([key]) => !DROPPED_ANNOTATIONS.includes(key)),
  );
  return { ...rest, annotations };
}

function summariseSecret(secret: KubeObject): SecretSummary {
  const data = (secret.data ?? {}) as Record<string, string>;
  const certificatePem = decoded(data['tls.crt']);
  const keyPem = decoded(data['tls.key']);
  const certificateError = certificatePem ? tlsProblem(certificatePem, keyPem) : undefined;
  const caPem = decoded(data['ca.crt']);
  const caCertificateError = caPem ? caBundleProblem(caPem) : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: trimMetadata(secret.metadata),
    type: typeof secret.type === 'string' ? secret.type : 'Opaque',
    hasCertificate: Boolean(certificatePem),
    hasKey: Boolean(keyPem),
    ...(certificateError ? { certificateError } : {}),
    hasCaCertificate: Boolean(caPem),
    ...(caCertificateError === undefined ? {} : { caCertificateError }),
    contentHash: dataHash(data),
  };
}

function decoded(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, 'base64').toString() : '';
}

/**
 * Why the pair cannot serve TLS, in words that carry no key material: the certificate does
 * not parse, the key does not parse, or the key is not the certificate's. NGINX would refuse
 * such a pair at reload; finding it here turns it into `InvalidCertificateRef` instead.
 */
function tlsProblem(certificatePem: string, keyPem: string): string | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    return `tls.crt is not a valid PEM certificate: ${(error as Error).message}`;
  }
  if (!keyPem) return undefined; // the graph reports the missing key itself
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    return `tls.key is not a valid PEM private key: ${(error as Error).message}`;
  }
  return certificate.checkPrivateKey(key)
    ? undefined
    : 'tls.key is not the private key of the certificate in tls.crt';
}

/** The stored form of an object of `kind`. */
export function toStored(kind: string, object: KubeObject): KubeObject {
  if (kind === 'Secret') return summariseSecret(object);
  if (kind === 'ConfigMap') return summariseConfigMap(object, trimMetadata(object.metadata));
  return { ...object, kind, metadata: trimMetadata(object.metadata) };
}

/**
 * True when the new version differs from the old only in ways the graph cannot see: status
 * (our own status writes come back as watch events: ignoring them stops reconcile loops) and
 * bookkeeping metadata.
 */
export function isIrrelevantChange(before: KubeObject, after: KubeObject): boolean {
  return JSON.stringify(comparable(before)) === JSON.stringify(comparable(after));
}

function comparable(object: KubeObject): unknown {
  const { status: _status, metadata, ...rest } = object;
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

export function objectKey(object: KubeObject): string {
  return object.metadata.namespace
    ? `${object.metadata.namespace}/${object.metadata.name}`
    : object.metadata.name;
}
