/**
 * The Gateway IR: a plain, versioned, sorted description of what one Gateway's data plane
 * must serve. The reconciler builds it (pure `buildGatewayIR`), publishes it to Redis with a
 * content hash, and every renderer turns it into NGINX files (pure `renderNginx`).
 *
 * Rules for everything in here:
 * - plain JSON (no Map, no Date, no undefined-vs-missing games): it crosses Redis;
 * - deterministic: arrays are sorted by the comparators documented on each field, so equal
 *   input gives byte-equal JSON and an equal hash;
 * - no secret material: certificates are referenced, never embedded (invariant 6);
 * - values that reach nginx.conf were validated by the graph (invariant 7); the renderer
 *   still quotes every string it writes.
 */

/** Bumped on any incompatible change; a renderer refuses an IR version it does not know. */
export const IR_SCHEMA_VERSION = 1;

export interface GatewayIR {
  schemaVersion: typeof IR_SCHEMA_VERSION;
  gateway: GatewayRef;
  /** One entry per distinct listener port with an HTTP-family protocol, sorted by port. */
  httpServers: HttpServerIR[];
  /** Upstreams referenced by the routes above, sorted by `name`, each name unique. */
  upstreams: UpstreamIR[];
}

export interface GatewayRef {
  namespace: string;
  name: string;
}

export interface HttpServerIR {
  /** The port the listener declares (the renderer may add a local port offset). */
  port: number;
  /** HTTPS terminates TLS with the certificates of `listeners`. */
  protocol: 'HTTP' | 'HTTPS';
  /**
   * One virtual host per hostname served on this port, sorted by hostname. Exact names
   * first in the sort is not needed: NGINX itself prefers exact `server_name` over wildcard
   * ones. A listener without a hostname gives the catch-all virtual host `*`. Every served
   * listener has a virtual host for its own hostname (possibly without rules), so that a
   * request always lands in its most specific listener (listener isolation).
   */
  virtualHosts: VirtualHostIR[];
  /**
   * HTTPS only: the listeners on this port, sorted by name. The renderer selects the TLS
   * certificate by SNI among them, and answers 421 when the Host belongs to a listener other
   * than the one the SNI selected (a misdirected request, RFC 9110 15.5.20).
   */
  listeners?: TlsListenerIR[];
}

/** An HTTPS listener: its hostname pattern and the certificates it terminates TLS with. */
export interface TlsListenerIR {
  /** The listener's name (a Gateway API SectionName: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`). */
  name: string;
  /** Exact, `*.` wildcard, or `*` for a listener without a hostname. */
  hostname: string;
  /** In `certificateRefs` order, never empty (a listener without one is not served). */
  certificates: CertificateRefIR[];
}

/**
 * A certificate by reference (invariant 6): the renderer reads `tls.crt` and `tls.key` of
 * this Secret from the API server. `contentHash` (`[0-9a-f]+`) changes with the Secret's data,
 * so a rotation is a new IR and a reload.
 */
export interface CertificateRefIR {
  namespace: string;
  name: string;
  contentHash: string;
}

export interface VirtualHostIR {
  /** An exact hostname (`www.example.com`), a wildcard (`*.example.com`) or `*` (any). */
  hostname: string;
  /** HTTPS only: the name of the listener (in `HttpServerIR.listeners`) that owns this host. */
  listener?: string;
  /** Sorted by Gateway API precedence (see `comparePathRules` in @portico/graph). */
  rules: HttpRuleIR[];
}

export interface HttpRuleIR {
  /** Stable id, unique in the Gateway, safe as an NGINX variable suffix: `[a-z0-9_]+`. */
  id: string;
  /** Where the rule came from, for logs and generated comments. */
  source: RouteSource;
  match: HttpMatchIR;
  /** Backends with their weights; empty means "no valid backend": answer 500. */
  backends: WeightedBackendIR[];
}

export interface RouteSource {
  kind: 'HTTPRoute';
  namespace: string;
  name: string;
  ruleIndex: number;
  matchIndex: number;
}

export interface HttpMatchIR {
  path: { type: 'Exact' | 'PathPrefix'; value: string };
}

/**
 * A weighted share of a rule's traffic. `upstream` names an entry of `GatewayIR.upstreams`;
 * `null` marks an invalid backend (missing Service, wrong kind, no ready endpoint): its share
 * of the requests gets HTTP 500, as the spec asks.
 */
export interface WeightedBackendIR {
  upstream: string | null;
  weight: number;
}

export interface UpstreamIR {
  /** Unique, `[a-z0-9_]+`, derived from the Service and port, e.g. `default__httpbin__80`. */
  name: string;
  service: { namespace: string; name: string; port: number };
  /** Ready endpoints, sorted by address then port; never empty (else the backend is invalid). */
  endpoints: EndpointIR[];
}

export interface EndpointIR {
  address: string;
  port: number;
}
