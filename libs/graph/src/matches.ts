/**
 * Validation of HTTPRoute matches: path (`Exact`, `PathPrefix`, `RegularExpression`), method,
 * headers and query parameters. Every value that will reach NGINX is checked here; a failure
 * is a `RuleProblem` that drops the whole rule (serving part of a match would widen it).
 */
import type { ValueMatchIR } from '@portico/ir';
import { compareStrings } from './keys.ts';
import type { HTTPRouteMatch, HTTPValueMatch } from './resources.ts';
import type { MatchNode } from './types.ts';
import type { Validators } from './validation.ts';

/** Why a rule cannot be served, with the Accepted reason it leads to. */
export class RuleProblem extends Error {
  readonly reason: 'UnsupportedValue' | 'IncompatibleFilters';

  constructor(message: string, reason: RuleProblem['reason'] = 'UnsupportedValue') {
    super(message);
    this.name = 'RuleProblem';
    this.reason = reason;
  }
}

/** Throws the problem when `problem` is defined (validators return messages). */
export function check(problem: string | undefined, where: string): void {
  if (problem !== undefined) throw new RuleProblem(`${where}: ${problem}`);
}

/** HTTPRoute `HTTPMethod` values. */
const METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/** One match of a rule, validated and normalised. */
export function validateMatch(
  match: HTTPRouteMatch,
  index: number,
  validators: Validators,
): MatchNode {
  const where = `match ${index}`;
  const type = match.path?.type ?? 'PathPrefix';
  const value = match.path?.value ?? '/';
  if (type === 'Exact' || type === 'PathPrefix') check(validators.pathValue(value), where);
  else if (type === 'RegularExpression') check(validators.regex(value), `${where} path`);
  else throw new RuleProblem(`${where}: path match type ${type} is not supported`);
  if (match.method !== undefined && !METHODS.has(match.method)) {
    throw new RuleProblem(`${where}: method ${match.method} is not supported`);
  }
  return {
    index,
    path: { type, value },
    method: match.method,
    headers: valueMatches(match.headers ?? [], 'header', where, validators),
    queryParams: valueMatches(match.queryParams ?? [], 'query', where, validators),
  };
}

/**
 * Header or query conditions: the first entry per name counts (the spec: later entries with
 * an equivalent name are ignored; header names compare case-insensitively), sorted by name so
 * equal matches compare equal.
 */
function valueMatches(
  entries: readonly HTTPValueMatch[],
  kind: 'header' | 'query',
  where: string,
  validators: Validators,
): ValueMatchIR[] {
  const seen = new Map<string, ValueMatchIR>();
  for (const entry of entries) {
    const key = kind === 'header' ? entry.name.toLowerCase() : entry.name;
    if (seen.has(key)) continue;
    const at = `${where} ${kind} "${entry.name}"`;
    check(
      kind === 'header'
        ? validators.requestHeaderName(entry.name)
        : validators.queryParamName(entry.name),
      where,
    );
    const type = entry.type ?? 'Exact';
    if (type === 'Exact') check(validators.headerValue(entry.value), at);
    else if (type === 'RegularExpression') check(validators.regex(entry.value), at);
    else throw new RuleProblem(`${at}: match type ${type} is not supported`);
    seen.set(key, { name: key, type, value: entry.value });
  }
  return [...seen.values()].sort((a, b) => compareStrings(a.name, b.name));
}
