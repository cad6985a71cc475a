/**
 * Backend resolution: each backendRef of each kept rule becomes a weighted backend, either
 * an upstream (one per Service port, shared by every rule using it) or `null`, an invalid
 * backend whose share of the traffic answers 500 as the spec asks. The reasons become the
 * route's `ResolvedRefs` condition. A Service without ready endpoints resolves (ResolvedRefs
 * stays True) but cannot take traffic, so its share is `null` too.
 */
import {
  ConditionError,
  routeBackendNotFound,
  routeInvalidKind,
  routeRefNotPermitted,
  routeUnsupportedProtocol,
} from '@portico/conditions';
import { readyEndpoints } from './endpoints.ts';
import { GATEWAY_GROUP, namespaceOf } from './keys.ts';
import type { SnapshotLookup } from './lookup.ts';
import { upstreamName } from './naming.ts';
import { referenceAllowed } from './referencegrant.ts';
import { deepFreeze } from './frozen-memo.ts';
import type { BackendObjectReference, EndpointSlice, Service, ServicePort } from './resources.ts';
import type { BackendNode, MirrorNode, RouteNode, UpstreamNode } from './types.ts';
import type { Validators } from './validation.ts';

/** `appProtocol`s of ports that speak TLS: served only under a BackendTLSPolicy. */
export const HTTPS_APP_PROTOCOLS: ReadonlySet<string> = new Set(['https', 'HTTPS']);

/** Whether a backendRef names a core Service (the only kind we send traffic to so far). */
export function isServiceRef(ref: { group?: string; kind?: string }): boolean {
  const group = ref.group ?? '';
  return (group === '' || group === 'core') && (ref.kind ?? 'Service') === 'Service';
}

/**
 * Fills `rule.backends`, `rule.mirrors` and `route.resolvedRefs`; returns the upstreams, by
 * key, sorted. A mirror whose backend is invalid is left out (the route says why).
 */
export function resolveBackendRefs(
  routes: ReadonlyMap<string, RouteNode>,
  lookup: SnapshotLookup,
  validators: Validators,
): Map<string, UpstreamNode> {
  const upstreams = new Map<string, UpstreamNode>();
  for (const route of routes.values()) {
    const problems: ConditionError[] = [];
    const namespace = namespaceOf(route.source.metadata);
    const resolve = (ref: BackendObjectReference): string | null => {
      const resolved = resolveBackend(ref, route.kind, namespace, lookup, validators);
      if (resolved instanceof ConditionError) problems.push(resolved);
      else if (resolved !== null) upstreams.set(resolved.key, resolved.upstream);
      return resolved instanceof ConditionError || resolved === null ? null : resolved.key;
    };
    for (const rule of route.rules) {
      const refs = route.source.spec.rules?.[rule.index]?.backendRefs ?? [];
      rule.backends = refs.map((ref, i) => {
        const filters = rule.backendFilters[i];
        const node: BackendNode = { weight: ref.weight ?? 1, upstreamKey: resolve(ref) };
        return filters === undefined ? node : { ...node, filters };
      });
      rule.mirrors = rule.filters.mirrors.flatMap((m): MirrorNode[] => {
        const upstreamKey = resolve(m.ref);
        return upstreamKey === null ? [] : [{ upstreamKey, basisPoints: m.basisPoints }];
      });
    }
    const first = problems[0];
    if (first !== undefined) {
      route.resolvedRefs = {
        ...first.condition,
        message: problems.map((p) => p.message).join('; '),
      };
    }
  }
  return new Map([...upstreams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

type Resolved = { key: string; upstream: UpstreamNode } | null | ConditionError;

/** One backendRef: an upstream, null (valid but no ready endpoint), or why it is invalid. */
function resolveBackend(
  ref: BackendObjectReference,
  routeKind: RouteNode['kind'],
  routeNamespace: string,
  lookup: SnapshotLookup,
  validators: Validators,
): Resolved {
  const namespace = ref.namespace ?? routeNamespace;
  const where = `${namespace}/${ref.name}`;
  if (!isServiceRef(ref)) {
    const kind = `${ref.group || 'core'}/${ref.kind ?? 'Service'}`;
    return new ConditionError(
      routeInvalidKind(`backendRef ${kind} ${where}: only Services are supported`),
    );
  }
  const from = { group: GATEWAY_GROUP, kind: routeKind, namespace: routeNamespace };
  const to = { group: '', kind: 'Service', name: ref.name };
  if (
    namespace !== routeNamespace &&
    !referenceAllowed(lookup.referenceGrants.get(namespace), from, to)
  ) {
    return new ConditionError(
      routeRefNotPermitted(`backendRef to Service ${where} is not allowed by any ReferenceGrant`),
    );
  }
  const service = lookup.services.get(where);
  if (service === undefined)
    return new ConditionError(routeBackendNotFound(`Service ${where} not found`));
  if (ref.port === undefined) {
    return new ConditionError(routeBackendNotFound(`backendRef to Service ${where} has no port`));
  }
  const slices = lookup.endpointSlices.get(where) ?? [];
  return servicePortBackend({ service, port: ref.port, routeKind, slices }, validators);
}

/** What decides a Service port's upstream. */
interface ServicePortInput {
  service: Service;
  port: number;
  routeKind: RouteNode['kind'];
  slices: readonly EndpointSlice[];
}

/**
 * The upstream of a Service port, remembered per frozen Service while its EndpointSlices are
 * the same objects: routes sharing a Service, and every reconcile after the first, reuse it
 * (endpoint sorting and upstream naming for 1,000 Services was a fifth of `buildGraph`).
 * Callers get their own upstream object, which later steps extend (BackendTLS).
 */
function servicePortBackend(input: ServicePortInput, validators: Validators): Resolved {
  const { service, slices } = input;
  if (!Object.isFrozen(service) || !slices.every((s) => Object.isFrozen(s)))
    return copied(upstreamOf(input, validators));
  const byPort = servicePortUpstreams.get(service) ?? new Map<string, RememberedUpstream>();
  servicePortUpstreams.set(service, byPort);
  const memoKey = `${input.routeKind}|${input.port}`;
  const hit = byPort.get(memoKey);
  if (
    hit !== undefined &&
    hit.validators === validators &&
    hit.slices.length === slices.length &&
    hit.slices.every((slice, i) => slice === slices[i])
  ) {
    return copied(hit.resolved);
  }
  const resolved = deepFreeze(upstreamOf(input, validators));
  byPort.set(memoKey, { slices: [...slices], validators, resolved });
  return copied(resolved);
}

interface RememberedUpstream {
  slices: readonly EndpointSlice[];
  validators: Validators;
  resolved: Resolved;
}

const servicePortUpstreams = new WeakMap<Service, Map<string, RememberedUpstream>>();

function copied(resolved: Resolved): Resolved {
  if (resolved === null || resolved instanceof ConditionError) return resolved;
  return { key: resolved.key, upstream: { ...resolved.upstream } };
}

function upstreamOf(
  { service, port, routeKind, slices }: ServicePortInput,
  validators: Validators,
): Resolved {
  const namespace = namespaceOf(service.metadata);
  const { name } = service.metadata;
  const where = `${namespace}/${name}`;
  const servicePort = service.spec.ports?.find((p) => p.port === port);
  if (servicePort === undefined) {
    return new ConditionError(routeBackendNotFound(`Service ${where} has no port ${port}`));
  }
  const protocol =
    routeKind === 'GRPCRoute' ? grpcBackendProtocol(servicePort) : backendProtocol(servicePort);
  if (protocol instanceof ConditionError) return protocol;
  const endpoints = readyEndpoints(slices, servicePort, validators);
  if (endpoints.length === 0) return null;
  const upstream: UpstreamNode = {
    name: upstreamName(namespace, name, port),
    service: { namespace, name, port },
    endpoints,
  };
  return { key: `${where}:${port}`, upstream: protocol ? { ...upstream, protocol } : upstream };
}

/**
 * GRPCRoute backends are reached with `grpc_pass`, which speaks HTTP/2 cleartext: a port
 * without `appProtocol` or with `kubernetes.io/h2c` (what gRPC Services declare, the upstream
 * conformance backends among them) is served; any other protocol (HTTP/1.x, WebSocket, TLS)
 * cannot carry gRPC from NGINX and is refused as UnsupportedProtocol.
 */
function grpcBackendProtocol(port: ServicePort): undefined | ConditionError {
  const appProtocol = port.appProtocol;
  if (appProtocol === undefined || appProtocol === 'kubernetes.io/h2c') return undefined;
  return new ConditionError(
    routeUnsupportedProtocol(
      `Service port ${port.port} has appProtocol "${appProtocol}": GRPCRoute backends need kubernetes.io/h2c`,
    ),
  );
}

/**
 * How NGINX talks to a Service port, from its `appProtocol`: plain HTTP/1.1 (none, `http`,
 * `kubernetes.io/http`), WebSocket upgrades (`kubernetes.io/ws`), HTTP/2 cleartext with prior
 * knowledge (`kubernetes.io/h2c`: `proxy_pass` speaks HTTP/1.x only in every NGINX release,
 * so the renderer uses `grpc_pass`, which speaks h2c for any request), HTTPS (`https`,
 * `HTTPS`: TLS comes from the port's BackendTLSPolicy, and backendtls.ts refuses the port as
 * UnsupportedProtocol when no usable policy holds it), or not at all: `kubernetes.io/wss` and
 * any other are refused as UnsupportedProtocol.
 */
function backendProtocol(port: ServicePort): 'websocket' | 'h2c' | undefined | ConditionError {
  const appProtocol = port.appProtocol;
  if (appProtocol === undefined || ['http', 'HTTP', 'kubernetes.io/http'].includes(appProtocol)) {
    return undefined;
  }
  if (appProtocol === 'kubernetes.io/ws') return 'websocket';
  if (appProtocol === 'kubernetes.io/h2c') return 'h2c';
  if (HTTPS_APP_PROTOCOLS.has(appProtocol)) return undefined;
  return new ConditionError(
    routeUnsupportedProtocol(
      `Service port ${port.port} has appProtocol "${appProtocol}": not supported`,
    ),
  );
}
