/**
 * HTTP match precedence (Gateway API, HTTPRouteRule): across all routes on a hostname,
 * 1. an `Exact` path match; 2. a `PathPrefix` match with the most characters; 3. a method
 * match; 4. the most header matches; 5. the most query parameter matches; then the oldest
 * route by creationTimestamp; then the route's `<namespace>/<name>` alphabetically; then rule
 * order within the route (and match order within the rule).
 *
 * `RegularExpression` paths are ordered by the implementation: Portico puts them after `Exact`
 * and before every `PathPrefix` (a regex is more specific than a prefix it overlaps, as in
 * Envoy Gateway), longer patterns first.
 *
 * GRPCRoute rules arrive as paths (grpcroute.ts) and follow the GRPCRoute order: an exact
 * service and method (`Exact`), then an exact service (a `PathPrefix` on `/<service>`, longer
 * first), then method-only and regex matches (paths by regex), then no method match (`/`).
 */
import type { ValueMatchIR } from '@portico/ir';
import { compareStrings } from './keys.ts';

export interface PathRuleKey {
  path: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  /** Absent: HTTPRoute. */
  kind?: 'HTTPRoute' | 'GRPCRoute';
  method?: string | undefined;
  headers?: readonly ValueMatchIR[];
  queryParams?: readonly ValueMatchIR[];
  /** RFC 3339 as the API server writes it (UTC, `Z`): string order is time order. */
  creationTimestamp: string | undefined;
  namespace: string;
  name: string;
  ruleIndex: number;
  matchIndex: number;
}

const TYPE_ORDER = { Exact: 0, RegularExpression: 2, PathPrefix: 3 } as const;

/** Rank of a path by type; a GRPCRoute's service match (a prefix other than `/`) ranks 1. */
function typeRank(key: PathRuleKey): number {
  const grpcService =
    key.kind === 'GRPCRoute' && key.path.type === 'PathPrefix' && key.path.value !== '/';
  return grpcService ? 1 : TYPE_ORDER[key.path.type];
}
/** A route without a timestamp (never from a real API server) sorts after every dated one. */
const UNKNOWN_AGE = '\uffff';

/** Negative when `a` takes precedence over `b`. A total order, so sorting is deterministic. */
export function comparePathRules(a: PathRuleKey, b: PathRuleKey): number {
  return (
    typeRank(a) - typeRank(b) ||
    b.path.value.length - a.path.value.length ||
    Number(b.method !== undefined) - Number(a.method !== undefined) ||
    (b.headers?.length ?? 0) - (a.headers?.length ?? 0) ||
    (b.queryParams?.length ?? 0) - (a.queryParams?.length ?? 0) ||
    compareStrings(a.creationTimestamp ?? UNKNOWN_AGE, b.creationTimestamp ?? UNKNOWN_AGE) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.name, b.name) ||
    a.ruleIndex - b.ruleIndex ||
    a.matchIndex - b.matchIndex ||
    compareStrings(a.path.value, b.path.value)
  );
}

/** Whether two matches are identical, so only the one that sorts first may be served. */
export function sameMatch(a: PathRuleKey, b: PathRuleKey): boolean {
  return (
    a.path.type === b.path.type &&
    a.path.value === b.path.value &&
    a.method === b.method &&
    sameConditions(a.headers ?? [], b.headers ?? []) &&
    sameConditions(a.queryParams ?? [], b.queryParams ?? [])
  );
}

/** Conditions are sorted by name by the graph, so equal sets are equal lists. */
function sameConditions(a: readonly ValueMatchIR[], b: readonly ValueMatchIR[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => x.name === b[i]?.name && x.type === b[i]?.type && x.value === b[i]?.value)
  );
}
