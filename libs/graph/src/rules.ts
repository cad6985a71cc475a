/**
 * Validation of HTTPRoute rules. A rule that uses something we do not serve yet, or carries
 * a value that fails a validator, is dropped whole (never passed on, invariant 7): serving
 * part of a match (say, its path without its header condition) would widen what it matches.
 */
import { ConditionError, routeUnsupportedValue } from '@portico/conditions';
import type { HTTPRouteMatch, HTTPRouteRule } from './resources.ts';
import type { MatchNode } from './types.ts';
import type { Validators } from './validation.ts';

/** The spec's default when a rule has no matches: every path. */
const DEFAULT_MATCHES: HTTPRouteMatch[] = [{ path: { type: 'PathPrefix', value: '/' } }];

/** The rule's matches, or the ConditionError saying why the rule is dropped. */
export function validateRule(
  rule: HTTPRouteRule,
  index: number,
  validators: Validators,
): MatchNode[] | ConditionError {
  const problem = unsupportedFeature(rule) ?? invalidWeight(rule, validators);
  if (problem !== undefined) return dropped(index, problem);
  const matches: MatchNode[] = [];
  const sources =
    rule.matches === undefined || rule.matches.length === 0 ? DEFAULT_MATCHES : rule.matches;
  for (const [matchIndex, match] of sources.entries()) {
    const node = validateMatch(match, matchIndex, validators);
    if (typeof node === 'string') return dropped(index, node);
    matches.push(node);
  }
  return matches;
}

function dropped(index: number, problem: string): ConditionError {
  return new ConditionError(routeUnsupportedValue(`Dropped Rule ${index}: ${problem}`));
}

function unsupportedFeature(rule: HTTPRouteRule): string | undefined {
  if ((rule.filters ?? []).length > 0) return 'filters are not supported yet';
  if ((rule.backendRefs ?? []).some((b) => (b.filters ?? []).length > 0)) {
    return 'backendRef filters are not supported yet';
  }
  return undefined;
}

function invalidWeight(rule: HTTPRouteRule, validators: Validators): string | undefined {
  for (const ref of rule.backendRefs ?? []) {
    const problem = validators.weight(ref.weight ?? 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function validateMatch(
  match: HTTPRouteMatch,
  index: number,
  validators: Validators,
): MatchNode | string {
  if ((match.headers ?? []).length > 0)
    return `match ${index}: header matches are not supported yet`;
  if ((match.queryParams ?? []).length > 0) {
    return `match ${index}: query parameter matches are not supported yet`;
  }
  if (match.method !== undefined) return `match ${index}: method matches are not supported yet`;
  const type = match.path?.type ?? 'PathPrefix';
  const value = match.path?.value ?? '/';
  if (type !== 'Exact' && type !== 'PathPrefix') {
    return `match ${index}: path match type ${type} is not supported yet`;
  }
  const problem = validators.pathValue(value);
  return problem === undefined ? { index, path: { type, value } } : `match ${index}: ${problem}`;
}
