/**
 * IR builders shared by the renderer's unit tests: the smallest HTTP server that routes
 * everything to some upstreams, for tests about what surrounds the routing (upstream TLS,
 * bridges, the h2c front) rather than the routing itself; and a Gateway whose port 443
 * carries TLS routes, with or without an HTTPS listener beside them.
 */
import type {
  CertificateRefIR,
  GatewayIR,
  HttpServerIR,
  StreamRouteIR,
  UpstreamIR,
} from '@portico/ir';

/**
 * A cleartext HTTP server on `port` with one virtual host `hostname` and one PathPrefix `/`
 * rule `id` (from HTTPRoute default/r) splitting evenly between `upstreams`.
 */
export function prefixServer(
  port: number,
  hostname: string,
  upstreams: readonly string[],
  id = 'r0',
): HttpServerIR {
  return {
    port,
    protocol: 'HTTP',
    virtualHosts: [
      {
        hostname,
        rules: [
          {
            id,
            source: {
              kind: 'HTTPRoute',
              namespace: 'default',
              name: 'r',
              ruleIndex: 0,
              matchIndex: 0,
            },
            match: { path: { type: 'PathPrefix', value: '/' } },
            backends: upstreams.map((upstream) => ({ upstream, weight: 1 })),
          },
        ],
      },
    ],
  };
}

/** The certificate of the TLS port's terminating routes and HTTPS listener. */
export const TLS_PORT_CERT: CertificateRefIR = {
  namespace: 'infra',
  name: 'cert',
  contentHash: 'ab12',
};

/** Upstream `name` (Service infra/`service` port 443): one endpoint `address`:8443. */
export function tlsUpstream(name: string, address: string, service = name): UpstreamIR {
  return {
    name,
    service: { namespace: 'infra', name: service, port: 443 },
    endpoints: [{ address, port: 8443 }],
  };
}

export interface TlsPortSpec {
  /** Gateway infra/`name` (default gw). */
  name?: string;
  routes: StreamRouteIR[];
  upstreams: UpstreamIR[];
  /** Adds an HTTPS listener `web` for this hostname on port 443 (no rules). */
  httpsHostname?: string | undefined;
}

/** A Gateway whose port 443 carries `routes` and, with `httpsHostname`, an HTTPS listener. */
export function tlsPortGateway(spec: TlsPortSpec): GatewayIR {
  const { httpsHostname } = spec;
  return {
    schemaVersion: 2,
    gateway: { namespace: 'infra', name: spec.name ?? 'gw' },
    httpServers:
      httpsHostname === undefined
        ? []
        : [
            {
              port: 443,
              protocol: 'HTTPS',
              listeners: [{ name: 'web', hostname: httpsHostname, certificates: [TLS_PORT_CERT] }],
              virtualHosts: [{ hostname: httpsHostname, listener: 'web', rules: [] }],
            },
          ],
    streamServers: [{ port: 443, transport: 'tcp', protocol: 'TLS', routes: spec.routes }],
    upstreams: spec.upstreams,
  };
}
