/**
 * GRPCRoutes. A gRPC call is an HTTP/2 POST to `/<service>/<method>`, so a GRPCRoute is
 * served as the HTTP rules it amounts to: its method matches become path matches, its header
 * matches and filters (header modifiers, mirrors) keep their HTTPRoute shape. The route then
 * goes through the same validation, backend resolution, attachment and precedence as an
 * HTTPRoute (one code path, one set of validators: invariant 7), tagged `GRPCRoute` so that
 * attachment checks the listener's kinds, ReferenceGrants are read for `GRPCRoute`, and the
 * renderer proxies with `grpc_pass` over HTTP/2.
 *
 * Precedence (GRPCRoute spec): longer service, then longer method, then more header matches.
 * As paths: an exact service and method is an `Exact` path and beats a service-only match (a
 * `PathPrefix` on `/<service>`), which beats a method-only or regex match (a path regex);
 * among regexes and prefixes the longer one wins, then the header count, then age and name.
 */
import { processRoutesOfKind } from './httproute.ts';
import type { HTTPRoute, HTTPRouteMatch, HTTPRouteRule } from './resources.ts';
import type { GatewayNode, GraphDeps, RouteNode } from './types.ts';

/** `GRPCMethodMatch`: `type` defaults to Exact; at least one of service and method is set. */
export interface GRPCMethodMatch {
  type?: 'Exact' | 'RegularExpression';
  service?: string;
  method?: string;
}

export interface GRPCRouteMatch {
  method?: GRPCMethodMatch;
  headers?: NonNullable<HTTPRouteMatch['headers']>;
}

export interface GRPCRouteRule extends Omit<HTTPRouteRule, 'matches' | 'timeouts' | 'retry'> {
  matches?: GRPCRouteMatch[];
}

/** A GRPCRoute (v1) as the store holds it, with its `status.parents`. */
export interface GRPCRoute {
  kind?: 'GRPCRoute';
  metadata: HTTPRoute['metadata'];
  spec: {
    parentRefs?: HTTPRoute['spec']['parentRefs'];
    hostnames?: string[];
    rules?: GRPCRouteRule[];
  };
  status?: HTTPRoute['status'];
}

/** What any path segment of a gRPC path may be (service or method left unset). */
const ANY_SEGMENT = '[^/]+';

/** GRPCRoutes that concern us, as route nodes of kind `GRPCRoute`, by `<ns>/<name>`. */
export function processGRPCRoutes(
  routes: readonly GRPCRoute[],
  gateways: ReadonlyMap<string, GatewayNode>,
  deps: GraphDeps,
): Map<string, RouteNode> {
  return processRoutesOfKind(routes.map(asHttpRoute), 'GRPCRoute', gateways, deps);
}

/**
 * The HTTPRoute a GRPCRoute amounts to: same metadata, parents, hostnames, backends and
 * status; matches turned into paths. No matches means every call, as for HTTPRoute.
 */
export function asHttpRoute(route: GRPCRoute): HTTPRoute {
  const rules = route.spec.rules?.map((rule): HTTPRouteRule => ({
    ...rule,
    matches: rule.matches?.map(grpcMatchAsHttp),
  }));
  const { parentRefs, hostnames } = route.spec;
  return {
    metadata: route.metadata,
    spec: {
      ...(parentRefs === undefined ? {} : { parentRefs }),
      ...(hostnames === undefined ? {} : { hostnames }),
      ...(rules === undefined ? {} : { rules }),
    },
    ...(route.status === undefined ? {} : { status: route.status }),
  };
}

/** One GRPCRouteMatch as an HTTPRouteMatch (see the file comment for the mapping). */
export function grpcMatchAsHttp(match: GRPCRouteMatch): HTTPRouteMatch {
  const headers = match.headers === undefined ? {} : { headers: match.headers };
  const method = match.method;
  if (method === undefined || (method.service === undefined && method.method === undefined)) {
    return { path: { type: 'PathPrefix', value: '/' }, ...headers };
  }
  const { service, method: name } = method;
  if ((method.type ?? 'Exact') === 'RegularExpression') {
    const pattern = `/(?:${service ?? ANY_SEGMENT})/(?:${name ?? ANY_SEGMENT})`;
    return { path: { type: 'RegularExpression', value: pattern }, ...headers };
  }
  if (service !== undefined && name !== undefined) {
    return { path: { type: 'Exact', value: `/${service}/${name}` }, ...headers };
  }
  if (service !== undefined)
    return { path: { type: 'PathPrefix', value: `/${service}` }, ...headers };
  const literal = escapeRegexLiteral(name ?? '');
  return { path: { type: 'RegularExpression', value: `/${ANY_SEGMENT}/${literal}` }, ...headers };
}

/** Escapes a literal for a regex (the CRD limits methods to `[A-Za-z_][A-Za-z_0-9]*` anyway). */
function escapeRegexLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}
