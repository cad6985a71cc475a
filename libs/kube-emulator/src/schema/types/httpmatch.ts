/**
 * `HTTPRouteMatch`: path (defaulting to PathPrefix "/"), headers, query parameters and method,
 * with the path rules the CRD writes in CEL (absolute, normalized, no encoded slash).
 */
import type { Obj, ObjectSchema, Rule } from '../dsl.ts';
import { array, object, rule, string } from '../dsl.ts';
import { headerName, headerValue, PATTERNS } from './common.ts';

export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
] as const;

const PLAIN_TYPES = "['Exact', 'PathPrefix']";

/** A rule that applies only to Exact and PathPrefix path values. */
function plainPathRule(message: string, valid: (value: string) => boolean): Rule<Obj> {
  return rule<Obj>(
    message,
    (p) => !(p.type === 'Exact' || p.type === 'PathPrefix') || valid(String(p.value)),
  );
}

const pathRules: readonly Rule<Obj>[] = [
  plainPathRule(
    `value must be an absolute path and start with '/' when type one of ${PLAIN_TYPES}`,
    (v) => v.startsWith('/'),
  ),
  ...['//', '/./', '/../', '%2f', '%2F', '#'].map((s) =>
    plainPathRule(`must not contain '${s}' when type one of ${PLAIN_TYPES}`, (v) => !v.includes(s)),
  ),
  ...['/..', '/.'].map((s) =>
    plainPathRule(
      `must not end with '${s}' when type one of ${PLAIN_TYPES}`,
      (v) => !v.endsWith(s),
    ),
  ),
  rule<Obj>("type must be one of ['Exact', 'PathPrefix', 'RegularExpression']", (p) =>
    ['Exact', 'PathPrefix', 'RegularExpression'].includes(String(p.type)),
  ),
  plainPathRule(
    `must only contain valid characters (matching ${PATTERNS.absolutePath.source}) for types ${PLAIN_TYPES}`,
    (v) => PATTERNS.absolutePath.regex.test(v),
  ),
];

/** `HTTPPathMatch`: defaults to `{type: PathPrefix, value: "/"}`. */
function pathMatch(): ObjectSchema {
  return object(
    {
      type: string({ enum: ['Exact', 'PathPrefix', 'RegularExpression'], default: 'PathPrefix' }),
      value: string({ maxLength: 1024, default: '/' }),
    },
    { default: { type: 'PathPrefix', value: '/' }, rules: pathRules },
  );
}

/** `HTTPHeaderMatch` / `GRPCHeaderMatch` (type defaults to Exact); `value` differs per kind. */
export function headerMatch(value = headerValue()): ObjectSchema {
  return object(
    {
      name: headerName(),
      type: string({ enum: ['Exact', 'RegularExpression'], default: 'Exact' }),
      value,
    },
    { required: ['name', 'value'] },
  );
}

function queryParamMatch(): ObjectSchema {
  return object(
    {
      name: headerName(),
      type: string({ enum: ['Exact', 'RegularExpression'], default: 'Exact' }),
      value: string({ minLength: 1, maxLength: 1024 }),
    },
    { required: ['name', 'value'] },
  );
}

/** `HTTPRouteMatch`. */
export function httpRouteMatch(): ObjectSchema {
  const keyedByName = { maxItems: 16, listType: 'map', mapKeys: ['name'] } as const;
  return object({
    headers: array(headerMatch(), keyedByName),
    method: string({ enum: HTTP_METHODS }),
    path: pathMatch(),
    queryParams: array(queryParamMatch(), keyedByName),
  });
}
