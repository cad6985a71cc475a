/**
 * The graph: the snapshot resolved into what Portico serves and says. Built by the pure
 * `buildGraph`; read by `buildGatewayIR` (what NGINX serves) and by @portico/status (what the
 * API server is told). Only objects of our controller are in it. Maps are keyed and filled in
 * sorted order, so iterating them is deterministic.
 */
import type { ClientValidationNode } from './frontend-tls.ts';
import type { DesiredCondition } from '@portico/conditions';
import type {
  BackendFiltersIR,
  CorsIR,
  EndpointIR,
  HeaderModifierIR,
  HttpMatchIR,
  PathModifierIR,
  RetryIR,
  RewriteIR,
  TimeoutsIR,
  ValueMatchIR,
} from '@portico/ir';
import type { DataPlaneSettings, GatewayParametersSpec } from '@portico/provision';
import type { ListenerSetNode } from './listenerset.ts';
import type { Validators } from './validation.ts';
import type { BackendTlsNode, BackendTlsPolicyNode } from './backendtls-types.ts';
import type {
  Gateway,
  GatewayClass,
  HTTPRoute,
  BackendObjectReference,
  Listener,
  ParentReference,
  RouteGroupKind,
} from './resources.ts';

/** What `buildGraph` needs besides the snapshot. */
export interface GraphDeps {
  /** `spec.controllerName` of the classes we own: `portico.dev/gateway-controller`. */
  controllerName: string;
  validators: Validators;
  /**
   * A Gateway key (`gateway/<ns>/<name>`): keep only the routes that concern that Gateway (a
   * parentRef to it, or a status entry of ours to clean up), as one Gateway's reconcile needs.
   * Its IR and statuses are those of the whole graph; with many Gateways the other Gateways'
   * routes are not resolved on every reconcile. Undefined: every route.
   */
  scope?: string | undefined;
}

export interface Graph {
  controllerName: string;
  /** Our GatewayClasses, by name. */
  gatewayClasses: Map<string, GatewayClassNode>;
  /** Gateways of our classes, by reconcile key `gateway/<ns>/<name>`. */
  gateways: Map<string, GatewayNode>;
  /**
   * HTTPRoutes and GRPCRoutes that name one of our Gateways or carry a status entry of ours,
   * by `<ns>/<name>` (GRPCRoutes: `GRPCRoute:<ns>/<name>`).
   */
  routes: Map<string, RouteNode>;
  /** One upstream per Service port that has ready endpoints, by `<ns>/<name>:<port>`. */
  upstreams: Map<string, UpstreamNode>;
  references: References;
  /** BackendTLSPolicies, by `<ns>/<name>` (absent in graphs built before they existed). */
  backendTlsPolicies?: Map<string, BackendTlsPolicyNode>;
}

export interface GatewayClassNode {
  source: GatewayClass;
  accepted: boolean;
  conditions: DesiredCondition[];
  /** The GatewayParameters its `parametersRef` names, when it has one and it is valid. */
  parameters?: GatewayParametersSpec;
}

export interface GatewayNode {
  key: string;
  source: Gateway;
  /** Whether the Gateway is served at all (class accepted, at least one listener accepted). */
  accepted: boolean;
  /** `Accepted` only: `Programmed` needs the data plane's answer, added by @portico/status. */
  conditions: DesiredCondition[];
  /** In `spec.listeners` order, as the status lists them. */
  listeners: ListenerNode[];
  /**
   * The data plane's settings (class then Gateway parameters over the defaults); absent when
   * the class is not accepted, an error when the parameters are invalid.
   */
  dataPlane?: { ok: true; settings: DataPlaneSettings } | { ok: false; message: string };
  /** The usable client certificate of `spec.tls.backend` (gateway-tls.ts), if any. */
  backendClientCertificate?: CertificateRef;
  /** ListenerSets naming this Gateway, in listener precedence order (listenerset.ts). */
  listenerSets?: ListenerSetNode[];
  /** `status.attachedListenerSets`; absent when the Gateway admits none and none name it. */
  attachedListenerSets?: number;
}

export interface ListenerNode {
  name: string;
  source: Listener;
  /** Whether the listener's `Accepted` condition is True (supported, valid, not conflicted). */
  accepted: boolean;
  /**
   * Whether the data plane serves this listener: accepted and, for HTTPS, holding at least
   * one usable certificate (a listener without one cannot terminate TLS).
   */
  served: boolean;
  /** HTTPS: the usable certificates, in `certificateRefs` order (the first is the default). */
  certificates: CertificateRef[];
  /** HTTPS: client certificate validation of its port (Gateway `spec.tls.frontend`). */
  clientValidation?: ClientValidationNode;
  supportedKinds: RouteGroupKind[];
  /** `Accepted`, `ResolvedRefs`, `Conflicted`; `Programmed` is added by @portico/status. */
  conditions: DesiredCondition[];
  /** Routes accepted through this listener, counted even when the listener is not accepted. */
  attachedRoutes: number;
  /**
   * Set when the listener comes from a ListenerSet: then `name` is unique within the merged
   * Gateway and `source.name` is the name the set (and its routes' sectionName) use.
   */
  listenerSet?: { namespace: string; name: string };
}

/**
 * A Secret a listener terminates TLS with, by reference (invariant 6): the renderer reads the
 * key material itself; `contentHash` changes when the Secret's data does, so a rotated
 * certificate changes the IR and reaches NGINX by reload.
 */
export interface CertificateRef {
  namespace: string;
  name: string;
  contentHash: string;
}

/** A parentRef with the spec's defaults applied (group, kind, namespace). */
export interface NormalizedParentRef extends ParentReference {
  group: string;
  kind: string;
  namespace: string;
}

export interface RouteNode {
  key: string;
  /**
   * The route's kind. A GRPCRoute's `source` is the HTTPRoute it amounts to (method matches
   * as paths, see grpcroute.ts), with the GRPCRoute's metadata and status.
   */
  kind: 'HTTPRoute' | 'GRPCRoute';
  source: HTTPRoute;
  /** Valid route hostnames (empty: any host the listener allows). */
  hostnames: string[];
  /** Rules that passed validation, with their original indexes. */
  rules: RuleNode[];
  /** Set when nothing of the route can be served (e.g. every rule dropped). */
  refusal: DesiredCondition | undefined;
  /** `PartiallyInvalid` when some rules were dropped. */
  partiallyInvalid: DesiredCondition | undefined;
  /** `ResolvedRefs` of the route as a whole (the same for every parent). */
  resolvedRefs: DesiredCondition;
  /** parentRefs that name one of our Gateways, in spec order. */
  parents: ParentNode[];
}

export interface ParentNode {
  /** Index in `spec.parentRefs`. */
  index: number;
  ref: NormalizedParentRef;
  gatewayKey: string;
  /** Set when the parentRef names a ListenerSet (of the Gateway `gatewayKey`). */
  listenerSet?: { namespace: string; name: string };
  accepted: DesiredCondition;
  /** The listeners the route attached to, with the hostnames it serves there. */
  bindings: ListenerBinding[];
}

export interface ListenerBinding {
  listenerName: string;
  /** Served hostnames: intersections of route and listener names, or `*` for any. */
  hostnames: string[];
}

export interface RuleNode {
  index: number;
  /** `rules[].name`, when set. */
  name: string | undefined;
  matches: MatchNode[];
  filters: RuleFilters;
  timeouts: TimeoutsIR | undefined;
  retry: RetryIR | undefined;
  /** Validated filters of each backendRef, by backendRef index. */
  backendFilters: (BackendFiltersIR | undefined)[];
  backends: BackendNode[];
  /** The rule's mirrors, resolved like backends (filled by resolveBackendRefs). */
  mirrors: MirrorNode[];
}

/** A validated match: header and query conditions de-duplicated by name and sorted. */
export interface MatchNode {
  index: number;
  path: HttpMatchIR['path'];
  method: string | undefined;
  headers: ValueMatchIR[];
  queryParams: ValueMatchIR[];
}

/** Validated filters of a rule; redirect port and scheme defaults need the listener (IR). */
export interface RuleFilters {
  requestHeaders?: HeaderModifierIR;
  responseHeaders?: HeaderModifierIR;
  redirect?: RedirectNode;
  rewrite?: RewriteIR;
  /** Mirror targets before resolution. */
  mirrors: { ref: BackendObjectReference; basisPoints: number }[];
  cors?: CorsIR;
}

export interface RedirectNode {
  scheme: 'http' | 'https' | undefined;
  hostname: string | undefined;
  port: number | undefined;
  path: PathModifierIR | undefined;
  statusCode: 301 | 302 | 303 | 307 | 308;
}

/** A weighted backend; `upstreamKey` null means "invalid backend": its share answers 500. */
export interface BackendNode {
  weight: number;
  upstreamKey: string | null;
  filters?: BackendFiltersIR;
}

/** A resolved mirror; mirrors of invalid backends are left out (and reported). */
export interface MirrorNode {
  upstreamKey: string;
  basisPoints: number;
}

export interface UpstreamNode {
  name: string;
  service: { namespace: string; name: string; port: number };
  /** Ready endpoints, sorted, never empty. */
  endpoints: EndpointIR[];
  /** Set for `appProtocol: kubernetes.io/ws` and `kubernetes.io/h2c` ports. */
  protocol?: 'websocket' | 'h2c';
  /** Set when a BackendTLSPolicy wins the Service port (backendtls.ts). */
  tls?: BackendTlsNode;
}

/**
 * What the graph references, including objects that do not exist yet, so the watcher can
 * drop events for Services and Secrets nothing uses (NGF `IsReferenced`). Values are the
 * reconcile keys of the Gateways that reference them.
 */
export interface References {
  /** By Service `<ns>/<name>`. EndpointSlices matter through their Service. */
  services: Map<string, Set<string>>;
  /** By Secret `<ns>/<name>`. */
  secrets: Map<string, Set<string>>;
}
