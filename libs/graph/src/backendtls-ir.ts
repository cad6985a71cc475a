/** A BackendTLSPolicy's settings as the IR carries them on an upstream. */
import type { UpstreamTlsIR } from '@portico/ir';
import type { BackendTlsNode } from './backendtls-types.ts';

/** The IR of an upstream's TLS: SNI and verification name, and the CAs by reference. */
export function upstreamTlsIR(tls: BackendTlsNode): UpstreamTlsIR {
  return {
    serverName: tls.hostname,
    trustedCertificates: tls.caCertificates.map((c) => ({ ...c })),
    policy: tls.policy,
  };
}
