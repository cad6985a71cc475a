/**
 * Stream servers of the Gateway IR: TCP, UDP and TLS listeners (passthrough and terminate),
 * served by NGINX's `stream {}` module. Same rules as the rest of the IR: plain JSON, sorted,
 * no key material (a terminating route names its certificates, as HTTPS listeners do).
 */
import type { CertificateRefIR } from './types.ts';

/**
 * One listening socket of the `stream` module: a port and a transport. A TCP and a UDP
 * listener may share a port number (two sockets); the TLS listeners of one port (Passthrough
 * and Terminate alike) are one socket that routes by SNI. Sorted by `port`, then `transport` (`tcp` before `udp`).
 */
export interface StreamServerIR {
  /** The port the listeners declare (the renderer may add a local port offset). */
  port: number;
  transport: 'tcp' | 'udp';
  /**
   * `TCP`/`UDP`: one route gets the traffic (`routes` holds at most one entry);
   * `TLS`: connections are routed by the TLS SNI; each route either passes the encrypted
   * stream through or terminates it first (`StreamRouteIR.terminate`).
   */
  protocol: 'TCP' | 'UDP' | 'TLS';
  /**
   * What connections are forwarded to. TCP/UDP: at most one entry, hostname `*`. TLS:
   * one entry per served SNI hostname (exact, `*.` wildcard, or `*` for any),
   * sorted by hostname; a connection whose SNI matches none is closed.
   */
  routes: StreamRouteIR[];
}

/** Where a connection goes; `backends` empty means "no valid backend": close it. */
export interface StreamRouteIR {
  hostname: string;
  source: StreamRouteSource;
  backends: StreamBackendIR[];
  /**
   * TLS `Terminate` listeners (TLSRoute terminate mode): NGINX ends TLS with these
   * certificates (the listener's, in `certificateRefs` order, never empty) and forwards the
   * plain bytes. Absent: the encrypted stream passes through untouched.
   */
  terminate?: CertificateRefIR[];
}

export interface StreamRouteSource {
  kind: 'TCPRoute' | 'UDPRoute' | 'TLSRoute';
  namespace: string;
  name: string;
}

/**
 * A weighted share of the connections. `upstream` names an entry of `GatewayIR.upstreams`;
 * `null` is an invalid backend: its share of connections is refused (closed).
 */
export interface StreamBackendIR {
  upstream: string | null;
  weight: number;
}
