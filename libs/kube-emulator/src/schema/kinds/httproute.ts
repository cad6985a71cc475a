/**
 * HTTPRoute (v1, v1beta1). A route without rules gets one rule matching every path; a rule
 * without matches gets a PathPrefix "/" match; backends weigh 1 unless told otherwise.
 */
import type { Obj, ObjectSchema, Rule } from '../dsl.ts';
import { array, integer, object, rule } from '../dsl.ts';
import {
  duration,
  gatewayDefaultScope,
  hostname,
  sectionName,
  uniqueRuleNames,
} from '../types/common.ts';
import { httpFilters } from '../types/httpfilters.ts';
import { httpRouteMatch } from '../types/httpmatch.ts';
import { backendRef, parentRefs } from '../types/refs.ts';
import { sessionPersistence } from '../types/session.ts';
import { routeStatus } from '../types/status.ts';
import { durationMs, existsOne, objAt, objsAt, size } from '../values.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

const MATCH_ALL = { path: { type: 'PathPrefix', value: '/' } };

/** The filter replaces the matched prefix (requestRedirect or urlRewrite with ReplacePrefixMatch). */
function replacesPrefix(filter: Obj, field: 'requestRedirect' | 'urlRewrite'): boolean {
  const path = objAt(objAt(filter, field), 'path');
  return path?.type === 'ReplacePrefixMatch' && path.replacePrefixMatch !== undefined;
}

/** Exactly one match, and it is a PathPrefix match. */
function singlePrefixMatch(r: Obj): boolean {
  const matches = objsAt(r, 'matches');
  return size(r.matches) === 1 && objAt(matches[0], 'path')?.type === 'PathPrefix';
}

function prefixReplaceRules(): Rule<Obj>[] {
  const names = { requestRedirect: 'RequestRedirect', urlRewrite: 'URLRewrite' } as const;
  const inRule = (field: keyof typeof names) =>
    rule<Obj>(
      `When using ${names[field]} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified`,
      (r) =>
        !existsOne(objsAt(r, 'filters'), (f) => replacesPrefix(f, field)) || singlePrefixMatch(r),
    );
  const inBackends = (field: keyof typeof names, when: string) =>
    rule<Obj>(
      `Within backendRefs, ${when} ${names[field]} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified`,
      (r) =>
        !existsOne(objsAt(r, 'backendRefs'), (b) =>
          existsOne(objsAt(b, 'filters'), (f) => replacesPrefix(f, field)),
        ) || singlePrefixMatch(r),
    );
  return [
    inRule('requestRedirect'),
    inRule('urlRewrite'),
    inBackends('requestRedirect', 'when using'),
    inBackends('urlRewrite', 'When using'),
  ];
}

const ruleRules: readonly Rule<Obj>[] = [
  rule<Obj>(
    'RequestRedirect filter must not be used together with backendRefs',
    (r) =>
      size(r.backendRefs) === 0 ||
      objsAt(r, 'filters').every((f) => f.requestRedirect === undefined),
  ),
  ...prefixReplaceRules(),
];

function timeouts(): ObjectSchema {
  return object(
    { backendRequest: duration(), request: duration() },
    {
      rules: [
        rule<Obj>('backendRequest timeout cannot be longer than request timeout', (t) => {
          if (t.request === undefined || t.backendRequest === undefined) return true;
          const request = durationMs(String(t.request));
          const backend = durationMs(String(t.backendRequest));
          if (request === undefined || backend === undefined) {
            return { evalError: 'invalid duration' };
          }
          return request === 0 || backend <= request;
        }),
      ],
    },
  );
}

function retry(): ObjectSchema {
  return object({
    attempts: integer({ minimum: 1 }),
    backoff: duration(),
    codes: array(integer({ minimum: 400, maximum: 599 }), { listType: 'set' }),
  });
}

function httpRouteRule(): ObjectSchema {
  return object(
    {
      backendRefs: array(backendRef({ filters: httpFilters() }), {
        maxItems: 16,
        listType: 'atomic',
      }),
      filters: httpFilters(),
      matches: array(httpRouteMatch(), { maxItems: 64, listType: 'atomic', default: [MATCH_ALL] }),
      name: sectionName(),
      retry: retry(),
      sessionPersistence: sessionPersistence(),
      timeouts: timeouts(),
    },
    { rules: ruleRules },
  );
}

/** "the total number of matches across all rules in a route must be less than 128". */
export const totalMatches = rule<readonly unknown[]>(
  'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
  (rules) => (rules as Obj[]).slice(0, 16).reduce((n, r) => n + size(r.matches), 0) <= 128,
);

function spec(): ObjectSchema {
  return object({
    hostnames: array(hostname(), { maxItems: 16, listType: 'atomic' }),
    parentRefs: parentRefs(),
    rules: array(httpRouteRule(), {
      minItems: 1,
      maxItems: 16,
      listType: 'atomic',
      default: [{ matches: [MATCH_ALL] }],
      rules: [totalMatches, uniqueRuleNames],
    }),
    useDefaultGateways: gatewayDefaultScope(),
  });
}

const schema = root(spec(), routeStatus());

export const httpRoute: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  versions: { v1: schema, v1beta1: schema },
};
