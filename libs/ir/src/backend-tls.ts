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

/**
 * One of a policy's `validation.subjectAltNames`: the backend's certificate must carry a DNS
 * name matching `hostname` (a precise DNS name; certificate wildcards apply) or a URI SAN equal
 * to `uri` (an absolute URI, e.g. a SPIFFE ID). Both were validated by the graph.
 */
export type SubjectAltNameIR =
  { type: 'Hostname'; hostname: string } | { type: 'URI'; uri: string };

/** How NGINX speaks TLS to one upstream. */
export interface UpstreamTlsIR {
  /**
   * The policy's `validation.hostname`: always the SNI. Without `subjectAltNames` it is also
   * the name the backend's certificate must carry (a precise DNS name, validated by the graph).
   */
  serverName: string;
  /**
   * The policy's `validation.subjectAltNames`, in its order: when present and non-empty the
   * certificate must carry at least one of them, and `serverName` is only the SNI. Absent:
   * the certificate is checked against `serverName`.
   */
  subjectAltNames?: SubjectAltNameIR[];
  /** CAs the backend's certificate must chain to, in `caCertificateRefs` order; never empty. */
  trustedCertificates: CaCertificateRefIR[];
  /** The Gateway's client certificate for backends, when it has a usable one. */
  clientCertificate?: CertificateRefIR;
  /** `<namespace>/<name>` of the BackendTLSPolicy, for comments and logs. */
  policy: string;
  /**
   * `System`: the policy's `wellKnownCACertificates`, so the data plane's own system CA bundle
   * is the trust (the renderer's `PORTICO_SYSTEM_CA_BUNDLE`); `trustedCertificates` is then
   * empty (the spec allows one source or the other, never both).
   */
  wellKnownCACertificates?: 'System';
}
