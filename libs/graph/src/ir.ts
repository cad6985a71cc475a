/**
 * `buildGatewayIR`: one Gateway of the graph as the IR its data plane serves. Only accepted
 * listeners of an accepted Gateway are served; rules are sorted by Gateway API precedence per
 * virtual host, and of two identical matches only the first by that order is kept.
 */
import { canonicalJson, IR_SCHEMA_VERSION } from '@portico/ir';
import type {
  GatewayIR,
  HttpMatchIR,
  HttpRuleIR,
  HttpServerIR,
  RedirectIR,
  TlsListenerIR,
  RuleFiltersIR,
  UpstreamIR,
  VirtualHostIR,
  WeightedBackendIR,
} from '@portico/ir';
import { upstreamTlsIR } from './backendtls-ir.ts';
import { compareStrings, namespaceOf } from './keys.ts';
import { ruleId } from './naming.ts';
import { comparePathRules, sameMatch } from './precedence.ts';
import type { PathRuleKey } from './precedence.ts';
import type {
  BackendNode,
  CertificateRef,
  Graph,
  ListenerNode,
  MatchNode,
  RouteNode,
  RuleNode,
} from './types.ts';
import { collectVirtualHosts, listenerHostname } from './virtual-hosts.ts';

interface Candidate extends PathRuleKey {
  kind: RouteNode['kind'];
  rule: RuleNode;
  match: MatchNode;
}

/** What a virtual host's rules need to know about where they are served. */
interface Listening {
  port: number;
  scheme: 'http' | 'https';
}

/** The IR of `gatewayKey`, or undefined when that Gateway is not ours (nothing to serve). */
export function buildGatewayIR(graph: Graph, gatewayKey: string): GatewayIR | undefined {
  const gateway = graph.gateways.get(gatewayKey);
  if (gateway === undefined) return undefined;
  const ports = collectVirtualHosts(graph, gateway, candidatesOf);
  const used = new Set<string>();
  const httpServers: HttpServerIR[] = [...ports.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, { protocol, listeners, hosts }]) => {
      const https = protocol === 'HTTPS';
      const virtualHosts = [...hosts.entries()]
        .sort(([a], [b]) => compareStrings(a, b))
        .map(([hostname, host]): VirtualHostIR => {
          const listening: Listening = { port, scheme: https ? 'https' : 'http' };
          const vhost = virtualHost(listening, hostname, host.candidates, graph, used);
          return https ? { ...vhost, listener: host.listener } : vhost;
        });
      // gRPC needs HTTP/2 on the port (grpc.ts in @portico/nginx-render says how it is served).
      const grpc = [...hosts.values()].some((h) =>
        h.candidates.some((c) => c.kind === 'GRPCRoute'),
      );
      return {
        port,
        protocol,
        ...(grpc ? { http2: true as const } : {}),
        virtualHosts,
        ...(https ? { listeners: tlsListenersIR(listeners) } : {}),
      };
    });
  return {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: {
      namespace: namespaceOf(gateway.source.metadata),
      name: gateway.source.metadata.name,
    },
    httpServers,
    upstreams: upstreamsIR(graph, used, gateway.backendClientCertificate),
  };
}

/** HTTPS listeners of one port with their certificates, sorted by name. */
function tlsListenersIR(listeners: readonly ListenerNode[]): TlsListenerIR[] {
  return listeners
    .map((l) => ({
      name: l.name,
      hostname: listenerHostname(l),
      certificates: l.certificates.map((c) => ({ ...c })),
      ...(l.clientValidation === undefined
        ? {}
        : {
            clientValidation: {
              mode: l.clientValidation.mode,
              trustedCertificates: l.clientValidation.caCertificates.map((c) => ({ ...c })),
            },
          }),
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
}

function candidatesOf(route: RouteNode): Candidate[] {
  const meta = route.source.metadata;
  return route.rules.flatMap((rule) =>
    rule.matches.map((match) => ({
      kind: route.kind,
      path: match.path,
      method: match.method,
      headers: match.headers,
      queryParams: match.queryParams,
      creationTimestamp: meta.creationTimestamp,
      namespace: namespaceOf(meta),
      name: meta.name,
      ruleIndex: rule.index,
      matchIndex: match.index,
      rule,
      match,
    })),
  );
}

function virtualHost(
  listening: Listening,
  hostname: string,
  candidates: Candidate[],
  graph: Graph,
  used: Set<string>,
): VirtualHostIR {
  const kept: Candidate[] = [];
  for (const c of [...candidates].sort(comparePathRules)) {
    if (!kept.some((k) => sameMatch(k, c))) kept.push(c);
  }
  const rules = kept.map((c): HttpRuleIR => {
    const { namespace, name, ruleIndex, matchIndex, rule } = c;
    const ir: HttpRuleIR = {
      id: ruleId({ port: listening.port, hostname, namespace, name, ruleIndex, matchIndex }),
      source: {
        kind: c.kind,
        namespace,
        name,
        ruleIndex,
        matchIndex,
        ...(rule.name === undefined ? {} : { ruleName: rule.name }),
      },
      match: matchIR(c.match),
      backends: backendsIR(rule.backends, graph),
    };
    const filters = filtersIR(rule, listening, graph);
    if (filters !== undefined) ir.filters = filters;
    if (rule.timeouts !== undefined) ir.timeouts = { ...rule.timeouts };
    if (rule.retry !== undefined) ir.retry = { ...rule.retry, codes: [...rule.retry.codes] };
    for (const b of ir.backends) if (b.upstream !== null) used.add(b.upstream);
    for (const m of ir.filters?.mirrors ?? []) used.add(m.upstream);
    return ir;
  });
  return { hostname, rules };
}

/** The match as the IR spells it: absent fields for conditions the match does not have. */
function matchIR(match: MatchNode): HttpMatchIR {
  const ir: HttpMatchIR = { path: { ...match.path } };
  if (match.method !== undefined) ir.method = match.method;
  if (match.headers.length > 0) ir.headers = match.headers.map((h) => ({ ...h }));
  if (match.queryParams.length > 0) ir.queryParams = match.queryParams.map((q) => ({ ...q }));
  return ir;
}

/** Filters with redirect defaults resolved against the listener; undefined when none. */
function filtersIR(rule: RuleNode, listening: Listening, graph: Graph): RuleFiltersIR | undefined {
  const { requestHeaders, responseHeaders, redirect, rewrite, cors } = rule.filters;
  const ir: RuleFiltersIR = {};
  if (requestHeaders !== undefined) ir.requestHeaders = structuredClone(requestHeaders);
  if (responseHeaders !== undefined) ir.responseHeaders = structuredClone(responseHeaders);
  if (redirect !== undefined) ir.redirect = redirectIR(rule.filters.redirect, listening);
  if (rewrite !== undefined) ir.rewrite = structuredClone(rewrite);
  const mirrors = rule.mirrors.flatMap((m) => {
    const upstream = graph.upstreams.get(m.upstreamKey)?.name;
    return upstream === undefined ? [] : [{ upstream, basisPoints: m.basisPoints }];
  });
  if (mirrors.length > 0) ir.mirrors = mirrors;
  if (cors !== undefined) ir.cors = structuredClone(cors);
  return Object.keys(ir).length === 0 ? undefined : ir;
}

const WELL_KNOWN_PORTS = { http: 80, https: 443 } as const;

/**
 * The spec's port rules: without `port`, a redirect that sets `scheme` goes to that scheme's
 * well-known port, else to the listener's port; a port well known for the scheme is left out
 * of the Location header. Without `scheme`, the listener's scheme.
 */
function redirectIR(redirect: RuleNode['filters']['redirect'], listening: Listening): RedirectIR {
  if (redirect === undefined) throw new Error('internal: no redirect');
  const scheme = redirect.scheme ?? listening.scheme;
  const port =
    redirect.port ?? (redirect.scheme === undefined ? listening.port : WELL_KNOWN_PORTS[scheme]);
  const ir: RedirectIR = {
    scheme,
    hostname: redirect.hostname ?? null,
    port: port === WELL_KNOWN_PORTS[scheme] ? null : port,
    statusCode: redirect.statusCode,
  };
  if (redirect.path !== undefined) ir.path = { ...redirect.path };
  return ir;
}

/**
 * Weighted backends; zero weights dropped, equal upstreams with equal filters merged
 * (first-seen order).
 */
function backendsIR(backends: readonly BackendNode[], graph: Graph): WeightedBackendIR[] {
  const merged: WeightedBackendIR[] = [];
  for (const b of backends) {
    if (b.weight === 0) continue;
    const upstream =
      b.upstreamKey === null ? null : (graph.upstreams.get(b.upstreamKey)?.name ?? null);
    const filters = upstream === null ? undefined : b.filters;
    const same = merged.find(
      (m) => m.upstream === upstream && canonicalJson(m.filters) === canonicalJson(filters),
    );
    if (same !== undefined) same.weight += b.weight;
    else if (filters === undefined) merged.push({ upstream, weight: b.weight });
    else merged.push({ upstream, weight: b.weight, filters: structuredClone(filters) });
  }
  return merged;
}

function upstreamsIR(
  graph: Graph,
  used: ReadonlySet<string>,
  clientCertificate: CertificateRef | undefined,
): UpstreamIR[] {
  return [...graph.upstreams.values()]
    .filter((u) => used.has(u.name))
    .map((u) => ({
      name: u.name,
      service: { ...u.service },
      endpoints: u.endpoints.map((e) => ({ ...e })),
      ...(u.protocol === undefined ? {} : { protocol: u.protocol }),
      ...(u.tls === undefined ? {} : { tls: upstreamTlsIR(u.tls, clientCertificate) }),
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
}
