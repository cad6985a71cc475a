/**
 * Small constructors for the objects the scenarios apply. The conformance scenarios describe
 * their Gateways, routes, grants and Services with these (rather than with YAML copied from
 * the upstream suite); the harness serialises them and applies them with the real kubectl.
 */
import type { KubeObject } from '@portico/kube';

export const GATEWAY_API = 'gateway.networking.k8s.io/v1';
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** The GatewayClass every conformance Gateway uses (the suite's `{GATEWAY_CLASS_NAME}`). */
export const CLASS_NAME = 'portico';
export const CONTROLLER_NAME = 'portico.dev/gateway-controller';

/** Namespaces of the upstream suite. */
export const INFRA = 'gateway-conformance-infra';
export const APP = 'gateway-conformance-app-backend';
export const WEB = 'gateway-conformance-web-backend';

/** A namespaced name, as the upstream tests pass them around. */
export interface Ref {
  namespace: string;
  name: string;
}

export const ref = (namespace: string, name: string): Ref => ({ namespace, name });

type Json = Record<string, unknown>;

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** One listener; `from` defaults to `Same` as in the upstream base Gateways. */
export interface ListenerSpec {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  from?: 'Same' | 'All' | 'Selector';
  selector?: Record<string, string>;
  kinds?: Array<{ kind: string; group?: string }>;
  tls?: Json;
}

export function listener(spec: ListenerSpec): Json {
  const namespaces: Json = { from: spec.from ?? 'Same' };
  if (spec.selector) namespaces['selector'] = { matchLabels: spec.selector };
  const allowedRoutes: Json = { namespaces };
  if (spec.kinds) allowedRoutes['kinds'] = spec.kinds;
  return {
    name: spec.name,
    port: spec.port,
    protocol: spec.protocol,
    ...(spec.hostname ? { hostname: spec.hostname } : {}),
    allowedRoutes,
    ...(spec.tls ? { tls: spec.tls } : {}),
  };
}

/** Shorthand for a plain HTTP listener. */
export function http(name: string, extra: Partial<ListenerSpec> = {}): Json {
  return listener({ name, port: 80, protocol: 'HTTP', ...extra });
}

/** TLS termination with Secrets as certificates (`ns/name` or `name`). */
export function terminate(...secrets: string[]): Json {
  return {
    mode: 'Terminate',
    certificateRefs: secrets.map((s) => {
      const [ns, name] = s.includes('/') ? s.split('/') : [undefined, s];
      return { group: '', kind: 'Secret', name, ...(ns ? { namespace: ns } : {}) };
    }),
  };
}

export function gateway(
  at: Ref,
  listeners: Json[],
  extra: { annotations?: Record<string, string>; spec?: Json; className?: string } = {},
): KubeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'Gateway',
    metadata: { ...at, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { gatewayClassName: extra.className ?? CLASS_NAME, listeners, ...extra.spec },
  };
}

/** The upstream annotation that keeps a Gateway out of namespace readiness checks. */
export const SKIP_READINESS = { 'gateway-api/skip-this-for-readiness': 'true' };

export function gatewayClass(name: string, spec: Json = {}): KubeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'GatewayClass',
    metadata: { name },
    spec: { controllerName: CONTROLLER_NAME, ...spec },
  };
}

/** A parentRef; `namespace`, `sectionName`, `port` only when given. */
export function parent(name: string, extra: Json = {}): Json {
  return { name, ...extra };
}

/** A backendRef to a Service port (other kinds through `extra`). */
export function backend(name: string, port: number, extra: Json = {}): Json {
  return { name, port, ...extra };
}

export const exact = (value: string): Json => ({ path: { type: 'Exact', value } });
export const prefix = (value: string): Json => ({ path: { type: 'PathPrefix', value } });
export const headers = (values: Record<string, string>): Json => ({
  headers: Object.entries(values).map(([name, value]) => ({ name, value })),
});

export interface RuleSpec {
  matches?: Json[];
  backends?: Json[];
  filters?: Json[];
  extra?: Json;
}

export function rule(spec: RuleSpec): Json {
  return {
    ...(spec.matches ? { matches: spec.matches } : {}),
    ...(spec.filters ? { filters: spec.filters } : {}),
    ...(spec.backends ? { backendRefs: spec.backends } : {}),
    ...spec.extra,
  };
}

export function httpRoute(
  at: Ref,
  spec: { parents: Json[]; hostnames?: string[]; rules: Json[] },
): KubeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'HTTPRoute',
    metadata: { ...at },
    spec: {
      parentRefs: spec.parents,
      ...(spec.hostnames ? { hostnames: spec.hostnames } : {}),
      rules: spec.rules,
    },
  };
}

/** A GRPCRoute (rules built with {@link rule}; method matches as `{ method: {...} }`). */
export function grpcRoute(
  at: Ref,
  spec: { parents: Json[]; hostnames?: string[]; rules: Json[] },
): KubeObject {
  return { ...httpRoute(at, spec), kind: 'GRPCRoute' };
}

/** A TCPRoute or UDPRoute: rules of backendRefs only. */
export function streamRoute(
  kind: 'TCPRoute' | 'UDPRoute',
  at: Ref,
  spec: { parents: Json[]; rules: Array<{ backends: Json[] }> },
): KubeObject {
  return {
    apiVersion: GATEWAY_API,
    kind,
    metadata: { ...at },
    spec: {
      parentRefs: spec.parents,
      rules: spec.rules.map((r) => ({ backendRefs: r.backends })),
    },
  };
}

/** A ReferenceGrant in `at.namespace`, from one kind/namespace to one kind (and name). */
export function referenceGrant(
  at: Ref,
  from: { group?: string; kind: string; namespace: string },
  to: { group?: string; kind: string; name?: string },
): KubeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'ReferenceGrant',
    metadata: { ...at },
    spec: {
      from: [{ group: from.group ?? GATEWAY_GROUP, kind: from.kind, namespace: from.namespace }],
      to: [{ group: to.group ?? '', kind: to.kind, ...(to.name ? { name: to.name } : {}) }],
    },
  };
}

export interface ServicePortSpec {
  name?: string;
  port: number;
  targetPort: number;
  appProtocol?: string;
  /** Default TCP. */
  protocol?: 'TCP' | 'UDP';
}

export function service(
  at: Ref,
  ports: ServicePortSpec[],
  extra: { selector?: Record<string, string>; headless?: boolean } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...at },
    spec: {
      ...(extra.selector ? { selector: extra.selector } : {}),
      ...(extra.headless ? { clusterIP: 'None' } : {}),
      ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
    },
  };
}

/** A filter of a type with its config under the camel-cased key, as the API nests them. */
export function filter(type: string, config: Json): Json {
  const key = type.charAt(0).toLowerCase() + type.slice(1);
  return { type, [key]: config };
}
