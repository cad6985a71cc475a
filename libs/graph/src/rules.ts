/**
 * Validation of HTTPRoute rules: matches, filters, backendRef filters, timeouts, retry. A
 * rule that uses something we do not serve, or carries a value that fails a validator, is
 * dropped whole (never passed on, invariant 7): serving part of a match (say, its path without
 * its header condition) would widen what it matches.
 */
import {
  ConditionError,
  routeIncompatibleFilters,
  routeUnsupportedValue,
} from '@portico/conditions';
import type { RetryIR, TimeoutsIR } from '@portico/ir';
import { validateBackendFilters, validateRuleFilters } from './filters.ts';
import { RuleProblem, validateMatch } from './matches.ts';
import type { HTTPRouteMatch, HTTPRouteRule } from './resources.ts';
import type { RuleNode } from './types.ts';
import type { Validators } from './validation.ts';

/** The spec's default when a rule has no matches: every path. */
const DEFAULT_MATCHES: HTTPRouteMatch[] = [{ path: { type: 'PathPrefix', value: '/' } }];
/** Answers NGINX can retry on (`proxy_next_upstream http_<code>`). */
const RETRY_CODES = new Set([403, 404, 429, 500, 502, 503, 504]);
/** Gateway API `Duration`: up to four `<number><unit>` parts. */
const DURATION = /^(?:[0-9]{1,5}(?:h|m|s|ms)){1,4}$/;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** The rule without its backends (resolved later), or the ConditionError saying why it is dropped. */
export function validateRule(
  rule: HTTPRouteRule,
  index: number,
  validators: Validators,
): RuleNode | ConditionError {
  try {
    return {
      index,
      name: rule.name,
      matches: (rule.matches === undefined || rule.matches.length === 0
        ? DEFAULT_MATCHES
        : rule.matches
      ).map((m, i) => validateMatch(m, i, validators)),
      filters: validateRuleFilters(rule.filters ?? [], rule.matches, validators),
      timeouts: timeouts(rule.timeouts),
      retry: retry(rule.retry),
      backendFilters: backendFilters(rule, validators),
      backends: [],
      mirrors: [],
    };
  } catch (error) {
    if (!(error instanceof RuleProblem)) throw error;
    const message = `Dropped Rule ${index}: ${error.message}`;
    return new ConditionError(
      error.reason === 'IncompatibleFilters'
        ? routeIncompatibleFilters(message)
        : routeUnsupportedValue(message),
    );
  }
}

/** Weights and filters of each backendRef; the references themselves are resolved later. */
function backendFilters(rule: HTTPRouteRule, validators: Validators): RuleNode['backendFilters'] {
  return (rule.backendRefs ?? []).map((ref, i) => {
    const problem = validators.weight(ref.weight ?? 1);
    if (problem !== undefined) throw new RuleProblem(`backendRef ${i}: ${problem}`);
    return validateBackendFilters(ref.filters ?? [], `backendRef ${i}`, validators);
  });
}

/** Milliseconds of a Gateway API Duration (`1h30m`, `500ms`), or undefined if malformed. */
export function parseDuration(value: string): number | undefined {
  if (!DURATION.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/([0-9]+)(ms|h|m|s)/g)) {
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  }
  return total;
}

function timeouts(spec: HTTPRouteRule['timeouts']): TimeoutsIR | undefined {
  if (spec === undefined) return undefined;
  const out: TimeoutsIR = {};
  for (const field of ['request', 'backendRequest'] as const) {
    const raw = spec[field];
    if (raw === undefined) continue;
    const ms = parseDuration(raw);
    if (ms === undefined) throw new RuleProblem(`timeouts.${field} "${raw}" is not a duration`);
    out[field === 'request' ? 'requestMs' : 'backendRequestMs'] = ms;
  }
  const { requestMs, backendRequestMs } = out;
  if (requestMs && backendRequestMs && backendRequestMs > requestMs) {
    throw new RuleProblem('timeouts.backendRequest must not be longer than timeouts.request');
  }
  return out;
}

function retry(spec: HTTPRouteRule['retry']): RetryIR | undefined {
  if (spec === undefined) return undefined;
  const attempts = spec.attempts ?? 1;
  if (!Number.isInteger(attempts) || attempts < 0 || attempts > 100) {
    throw new RuleProblem(`retry.attempts ${attempts} is not in 0-100`);
  }
  const codes = [...new Set(spec.codes ?? [])].sort((a, b) => a - b);
  const unsupported = codes.filter((c) => !RETRY_CODES.has(c));
  if (unsupported.length > 0) {
    throw new RuleProblem(
      `retry.codes ${unsupported.join(', ')}: NGINX retries only on ${[...RETRY_CODES].join(', ')}`,
    );
  }
  if (spec.backoff !== undefined && parseDuration(spec.backoff) === undefined) {
    throw new RuleProblem(`retry.backoff "${spec.backoff}" is not a duration`);
  }
  return { attempts, codes };
}
