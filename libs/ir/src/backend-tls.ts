/**
 * TLS from the data plane to a backend (Gateway API BackendTLSPolicy) and the client
 * certificate it presents there (Gateway `spec.tls.backend.clientCertificateRef`). Everything
 * is by reference (invariant 6): the renderer reads CA bundles and key material itself.
 */
import type { CertificateRefIR } from './types.ts';

/**
 * A CA bundle: `ca.crt` of a ConfigMap (or a Secret). `contentHash` (`[0-9a-f]+`) changes
 * with the data, so a rotated CA is a new IR and a reload.
 */
export interface CaCertificateRefIR {
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
  contentHash: string;
}

/** How NGINX speaks TLS to one upstream. */
export interface UpstreamTlsIR {
  /**
   * The policy's `validation.hostname`: sent as SNI and checked against the backend's
   * certificate (a precise DNS name, validated by the graph).
   */
  serverName: string;
  /** CAs the backend's certificate must chain to, in `caCertificateRefs` order; never empty. */
  trustedCertificates: CaCertificateRefIR[];
  /** The Gateway's client certificate for backends, when it has a usable one. */
  clientCertificate?: CertificateRefIR;
  /** `<namespace>/<name>` of the BackendTLSPolicy, for comments and logs. */
  policy: string;
}
