/**
 * HTTP match precedence (Gateway API, HTTPRouteRule): across all routes on a hostname,
 * an Exact path match beats a PathPrefix one; a longer prefix beats a shorter one; (method,
 * header and query matches come next in the spec; not served yet); then the oldest route by
 * creationTimestamp; then the route's `<namespace>/<name>` alphabetically; then rule order
 * within the route (and match order within the rule).
 */
import { compareStrings } from './keys.ts';

export interface PathRuleKey {
  path: { type: 'Exact' | 'PathPrefix'; value: string };
  /** RFC 3339 as the API server writes it (UTC, `Z`): string order is time order. */
  creationTimestamp: string | undefined;
  namespace: string;
  name: string;
  ruleIndex: number;
  matchIndex: number;
}

const TYPE_ORDER = { Exact: 0, PathPrefix: 1 } as const;
/** A route without a timestamp (never from a real API server) sorts after every dated one. */
const UNKNOWN_AGE = '\uffff';

/** Negative when `a` takes precedence over `b`. A total order, so sorting is deterministic. */
export function comparePathRules(a: PathRuleKey, b: PathRuleKey): number {
  return (
    TYPE_ORDER[a.path.type] - TYPE_ORDER[b.path.type] ||
    b.path.value.length - a.path.value.length ||
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
  return a.path.type === b.path.type && a.path.value === b.path.value;
}
