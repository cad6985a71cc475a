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
import type { StreamServerIR } from './stream.ts';
import type { CaCertificateRefIR, UpstreamTlsIR } from './backend-tls.ts';

/**
 * Bumped on any incompatible change; a renderer refuses an IR version it does not know.
 * 2: `UpstreamTlsIR.subjectAltNames` (BackendTLSPolicy SAN validation), and the stream
 * protocol renamed earlier without a bump.
 */
export const IR_SCHEMA_VERSION = 2;

export interface GatewayIR {
  schemaVersion: typeof IR_SCHEMA_VERSION;
  gateway: GatewayRef;
  /** One entry per distinct listener port with an HTTP-family protocol, sorted by port. */
  httpServers: HttpServerIR[];
  /**
   * TCP, UDP and TLS passthrough sockets (see `StreamServerIR`), sorted by port then
   * transport; absent when the Gateway has none.
   */
  streamServers?: StreamServerIR[];
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
   * Set when a GRPCRoute is served on the port: NGINX must speak HTTP/2 there (ALPN `h2` on
   * HTTPS; h2c with prior knowledge on cleartext HTTP, where NGINX before 1.25.1 then serves
   * only HTTP/2, see docs/architecture.md).
   */
  http2?: true;
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
  /**
   * Client certificate validation of the listener's port (Gateway `spec.tls.frontend`):
   * `AllowValidOnly` refuses clients without a certificate chaining to `trustedCertificates`;
   * `AllowInsecureFallback` asks for one but lets every client through.
   */
  clientValidation?: ClientValidationIR;
}

/** How an HTTPS listener checks client certificates. */
export interface ClientValidationIR {
  mode: 'AllowValidOnly' | 'AllowInsecureFallback';
  /** CA bundles in `caCertificateRefs` order; never empty. */
  trustedCertificates: CaCertificateRefIR[];
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
  /** Filters of the route rule (absent: none). */
  filters?: RuleFiltersIR;
  /** `rules[].timeouts` in milliseconds; 0 means "no timeout" as the spec defines it. */
  timeouts?: TimeoutsIR;
  /** `rules[].retry` (experimental channel). */
  retry?: RetryIR;
}

export interface RouteSource {
  /** A GRPCRoute's rules are HTTP rules on `/<service>/<method>`, proxied with `grpc_pass`. */
  kind: 'HTTPRoute' | 'GRPCRoute';
  namespace: string;
  name: string;
  ruleIndex: number;
  matchIndex: number;
  /** `rules[].name`, when the rule has one (named rules). */
  ruleName?: string;
}

/**
 * What a request must look like for the rule to apply. Every condition present must hold
 * (AND). Precedence between rules is expressed by their order in `VirtualHostIR.rules`.
 */
export interface HttpMatchIR {
  /** `RegularExpression` values are full-match regexes of the RE2 subset the graph checked. */
  path: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  /** An HTTP method (`GET`, ...); absent: any method. */
  method?: string;
  /** Header conditions; names are compared case-insensitively, values case-sensitively. */
  headers?: ValueMatchIR[];
  /** Query parameter conditions; names and values are compared case-sensitively. */
  queryParams?: ValueMatchIR[];
}

/** One header or query parameter condition. `RegularExpression` values must match fully. */
export interface ValueMatchIR {
  name: string;
  type: 'Exact' | 'RegularExpression';
  value: string;
}

/** The filters of a rule, at most one of each kind (the CRD enforces it), mirrors excepted. */
export interface RuleFiltersIR {
  requestHeaders?: HeaderModifierIR;
  responseHeaders?: HeaderModifierIR;
  /** Answer with a redirect instead of proxying (backends are not used). */
  redirect?: RedirectIR;
  rewrite?: RewriteIR;
  /** Copies of the request sent to other upstreams; their answers are ignored. */
  mirrors?: MirrorIR[];
  cors?: CorsIR;
}

/** Header changes, applied in the spec's order: set, add (append), remove. */
export interface HeaderModifierIR {
  set: HeaderValueIR[];
  add: HeaderValueIR[];
  remove: string[];
}

export interface HeaderValueIR {
  name: string;
  value: string;
}

/** `ReplacePrefixMatch` replaces the rule's PathPrefix match value. */
export interface PathModifierIR {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  value: string;
}

/**
 * A redirect, already resolved against the listener: `port` null means "leave the port out"
 * (it is the well-known port of `scheme`); `hostname` null means "the request's host".
 */
export interface RedirectIR {
  scheme: 'http' | 'https';
  hostname: string | null;
  port: number | null;
  path?: PathModifierIR;
  statusCode: 301 | 302 | 303 | 307 | 308;
}

export interface RewriteIR {
  hostname?: string;
  path?: PathModifierIR;
}

/** A mirror: `upstream` names an entry of `GatewayIR.upstreams`. */
export interface MirrorIR {
  upstream: string;
  /** Share of requests mirrored, in hundredths of a percent (10000: every request). */
  basisPoints: number;
}

export interface CorsIR {
  /** Origins as written (`https://a.example`, `https://*.example`, or `*`). */
  allowOrigins: string[];
  /** Methods, or `*` (then the requested method is echoed). */
  allowMethods: string[];
  /** Header names, or `*` (then the requested headers are echoed). */
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  /** Seconds a preflight answer may be cached. */
  maxAge: number;
}

export interface TimeoutsIR {
  /** Whole request, retries included. */
  requestMs?: number;
  /** One attempt against a backend. */
  backendRequestMs?: number;
}

/**
 * Retries: how many further attempts after the first, on which answers (5xx codes NGINX can
 * retry on) and connection errors. Backoff cannot be expressed in NGINX: retries are immediate.
 */
export interface RetryIR {
  attempts: number;
  codes: number[];
}

/**
 * A weighted share of a rule's traffic. `upstream` names an entry of `GatewayIR.upstreams`;
 * `null` marks an invalid backend (missing Service, wrong kind, no ready endpoint): its share
 * of the requests gets HTTP 500, as the spec asks.
 */
export interface WeightedBackendIR {
  upstream: string | null;
  weight: number;
  /** Filters of this backendRef only (the spec allows header modifiers here). */
  filters?: BackendFiltersIR;
}

export interface BackendFiltersIR {
  requestHeaders?: HeaderModifierIR;
  responseHeaders?: HeaderModifierIR;
}

export interface UpstreamIR {
  /** Unique, `[a-z0-9_]+`, derived from the Service and port, e.g. `default__httpbin__80`. */
  name: string;
  service: { namespace: string; name: string; port: number };
  /** Ready endpoints, sorted by address then port; never empty (else the backend is invalid). */
  endpoints: EndpointIR[];
  /**
   * The Service port's `appProtocol` when it changes how NGINX proxies: `websocket` passes
   * upgrades on; `h2c` speaks HTTP/2 cleartext (prior knowledge) to the endpoints.
   */
  protocol?: 'websocket' | 'h2c';
  /** Set when a BackendTLSPolicy applies to the Service port: NGINX connects with TLS. */
  tls?: UpstreamTlsIR;
}

export interface EndpointIR {
  address: string;
  port: number;
}
