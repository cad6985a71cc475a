/**
 * The backend TLS bridge plan: for upstreams whose BackendTLSPolicy lists subject alternative
 * names NGINX cannot check (backend-tls.ts `bridged`), NGINX proxies in cleartext to one unix
 * socket per (endpoint, TLS settings), and the renderer service listens there, opens TLS to
 * the endpoint with the policy's SNI, CAs and SANs, and pipes bytes both ways.
 *
 * The upstream keeps one `server unix:...` per endpoint, so NGINX still balances, retries and
 * keeps connections alive across endpoints as it does for direct ones. This module is pure: it
 * names the sockets (by a hash of everything the bridge does, so equal settings share one and
 * changed settings get a new one) and describes each bridge for the service to run.
 */
import { createHash } from 'node:crypto';
import type { EndpointIR, SubjectAltNameIR } from '@portico/ir';
import type { UpstreamTls } from './backend-tls.ts';
import { socketPath } from './stream-tls.ts';
import { endpointAddress } from './validate.ts';

/** One socket of the bridge: what the renderer listens on and where it connects. */
export interface BackendTlsBridge {
  /** Absolute path of the unix socket NGINX connects to. */
  socket: string;
  /** The backend endpoint (an IP address, checked) and port. */
  address: string;
  port: number;
  /** Sent as SNI (the policy's `validation.hostname`). */
  serverName: string;
  /** The certificate must carry at least one of these (never empty here). */
  subjectAltNames: SubjectAltNameIR[];
  /** The CA bundle, relative to the configuration directory. */
  trustedCertificatePath: string;
  /** The Gateway's client certificate for backends, relative to the configuration directory. */
  clientCertificate?: { certificatePath: string; keyPath: string };
  /** `<namespace>/<name>` of the policy, for logs. */
  policy: string;
}

/** The bridge of one endpoint of a bridged upstream. */
export function bridgeOf(
  tls: UpstreamTls,
  endpoint: EndpointIR,
  socketDir: string,
  field: string,
): BackendTlsBridge {
  // Checks the address and port the same way a direct `server` line does.
  endpointAddress(endpoint.address, endpoint.port, field);
  const id = createHash('sha256')
    .update(`${tls.key}\0${endpoint.address}\0${endpoint.port}`)
    .digest('hex')
    .slice(0, 16);
  return {
    socket: socketPath(socketDir, `btls_${id}`, 'settings.paths.socketDir'),
    address: endpoint.address,
    port: endpoint.port,
    serverName: tls.serverName,
    subjectAltNames: tls.subjectAltNames.map((san) => ({ ...san })),
    trustedCertificatePath: tls.trusted.certificatePath,
    ...(tls.client === undefined
      ? {}
      : {
          clientCertificate: {
            certificatePath: tls.client.certificatePath,
            keyPath: tls.client.keyPath,
          },
        }),
    policy: tls.policy,
  };
}
