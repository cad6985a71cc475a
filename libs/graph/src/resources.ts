/**
 * Structural types of the Kubernetes objects the graph reads, as plain JSON.
 *
 * Why our own types rather than `@kubernetes-models/gateway-api`'s `IHTTPRoute` & co: the
 * snapshot is what the watcher mirrors into Redis, so it is plain data that may miss any
 * defaulted field (the graph applies the spec's defaults itself); those models describe
 * Gateway API up to v1.5 while we target v1.6; and Service, EndpointSlice, Namespace and our
 * Secret summaries are not in that package anyway. Only the fields the graph reads are listed;
 * the structural types stay assignable from the richer objects the watcher holds.
 */

/** The parts of `metav1.ObjectMeta` the graph uses. Namespaced objects carry `namespace`. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  generation?: number;
  /** RFC 3339; drives route precedence ("oldest route wins"). */
  creationTimestamp?: string;
  labels?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

export interface GatewayClass {
  kind?: 'GatewayClass';
  metadata: ObjectMeta;
  spec: {
    controllerName: string;
    parametersRef?: { group: string; kind: string; name: string; namespace?: string };
  };
  status?: { conditions?: Condition[]; supportedFeatures?: { name: string }[] };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface RouteGroupKind {
  group?: string;
  kind: string;
}

export interface SecretObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: { mode?: string; certificateRefs?: SecretObjectReference[] };
  allowedRoutes?: {
    namespaces?: { from?: string; selector?: LabelSelector };
    kinds?: RouteGroupKind[];
  };
}

export interface ListenerStatus {
  name: string;
  supportedKinds: RouteGroupKind[];
  attachedRoutes: number;
  conditions: Condition[];
}

export interface GatewayStatusAddress {
  type?: string;
  value: string;
}

/** A `spec.addresses` entry: `type` defaults to IPAddress; an empty value asks us to pick. */
export interface GatewaySpecAddress {
  type?: string;
  value?: string;
}

export interface Gateway {
  kind?: 'Gateway';
  metadata: ObjectMeta;
  spec: {
    gatewayClassName: string;
    listeners: Listener[];
    addresses?: GatewaySpecAddress[];
    infrastructure?: {
      parametersRef?: { group: string; kind: string; name: string };
    };
    /** Which ListenerSets may attach (listenerset.ts); absent: none. */
    allowedListeners?: { namespaces?: { from?: string; selector?: LabelSelector } };
  };
  status?: {
    addresses?: GatewayStatusAddress[];
    conditions?: Condition[];
    listeners?: ListenerStatus[];
  };
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions: Condition[];
}

export interface HTTPPathMatch {
  type?: string;
  value?: string;
}

/** A header or query parameter condition (`type` defaults to `Exact`). */
export interface HTTPValueMatch {
  type?: string;
  name: string;
  value: string;
}

export interface HTTPRouteMatch {
  path?: HTTPPathMatch;
  headers?: HTTPValueMatch[];
  queryParams?: HTTPValueMatch[];
  method?: string;
}

export interface HTTPHeader {
  name: string;
  value: string;
}

export interface HTTPHeaderFilter {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}

export interface HTTPPathModifier {
  type: string;
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

export interface HTTPRequestRedirectFilter {
  scheme?: string;
  hostname?: string;
  path?: HTTPPathModifier;
  port?: number;
  statusCode?: number;
}

export interface HTTPURLRewriteFilter {
  hostname?: string;
  path?: HTTPPathModifier;
}

export interface HTTPRequestMirrorFilter {
  backendRef: BackendObjectReference;
  percent?: number;
  fraction?: { numerator: number; denominator?: number };
}

export interface HTTPCORSFilter {
  allowOrigins?: string[];
  allowCredentials?: boolean;
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

export interface HTTPRouteFilter {
  type: string;
  requestHeaderModifier?: HTTPHeaderFilter;
  responseHeaderModifier?: HTTPHeaderFilter;
  requestRedirect?: HTTPRequestRedirectFilter;
  urlRewrite?: HTTPURLRewriteFilter;
  requestMirror?: HTTPRequestMirrorFilter;
  cors?: HTTPCORSFilter;
  extensionRef?: { group: string; kind: string; name: string };
}

export interface BackendObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
}

export interface BackendRef extends BackendObjectReference {
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
  timeouts?: { request?: string; backendRequest?: string };
  retry?: { codes?: number[]; attempts?: number; backoff?: string };
}

export interface HTTPRoute {
  kind?: 'HTTPRoute';
  metadata: ObjectMeta;
  spec: {
    parentRefs?: ParentReference[];
    hostnames?: string[];
    rules?: HTTPRouteRule[];
  };
  status?: { parents?: RouteParentStatus[] };
}

export interface ReferenceGrant {
  kind?: 'ReferenceGrant';
  metadata: ObjectMeta;
  spec: {
    from: { group: string; kind: string; namespace: string }[];
    to: { group: string; kind: string; name?: string }[];
  };
}

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface Service {
  kind?: 'Service';
  metadata: ObjectMeta;
  spec: { ports?: ServicePort[]; type?: string };
}

export interface EndpointSlice {
  kind?: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: string;
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

export interface Namespace {
  kind?: 'Namespace';
  metadata: ObjectMeta;
}

/**
 * What the watcher keeps of a Secret: existence, type and validity, never key material
 * (invariant 6). `contentHash` lets the renderer notice a rotated certificate.
 */
export interface SecretSummary {
  kind?: 'Secret';
  metadata: ObjectMeta;
  type: string;
  hasCertificate: boolean;
  hasKey: boolean;
  /**
   * Why `tls.crt`/`tls.key` cannot serve TLS (certificate or key does not parse, or they do
   * not belong together), computed by the watcher; absent when they are usable.
   */
  certificateError?: string;
  /** `ca.crt` is present (a CA bundle for BackendTLSPolicy `caCertificateRefs`). */
  hasCaCertificate?: boolean;
  /** Why `ca.crt` is not a PEM CA bundle NGINX can load; absent when it is (or is missing). */
  caCertificateError?: string;
  contentHash: string;
}
