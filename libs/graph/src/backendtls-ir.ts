/** A BackendTLSPolicy's settings as the IR carries them on an upstream. */
import type { UpstreamTlsIR } from '@portico/ir';
import type { BackendTlsNode } from './backendtls-types.ts';
import type { CertificateRef } from './types.ts';

/**
 * The IR of an upstream's TLS: SNI and verification name, the CAs by reference, and the
 * Gateway's client certificate (per Gateway: upstreams are shared in the graph, not in the IR).
 */
export function upstreamTlsIR(
  tls: BackendTlsNode,
  clientCertificate: CertificateRef | undefined,
): UpstreamTlsIR {
  return {
    serverName: tls.hostname,
    trustedCertificates: tls.caCertificates.map((c) => ({ ...c })),
    ...(tls.subjectAltNames === undefined
      ? {}
      : { subjectAltNames: tls.subjectAltNames.map((s) => ({ ...s })) }),
    ...(tls.wellKnownCACertificates === undefined
      ? {}
      : { wellKnownCACertificates: tls.wellKnownCACertificates }),
    ...(clientCertificate === undefined ? {} : { clientCertificate: { ...clientCertificate } }),
    policy: tls.policy,
  };
}
