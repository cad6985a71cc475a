/**
 * Validation of HTTPRoute filters (rule level and backendRef level). Values are checked with
 * the injected validators before they can reach NGINX (invariant 7); combinations the spec
 * forbids are `IncompatibleFilters`; filter types Portico does not serve are
 * `UnsupportedValue`. Either way the rule is dropped, never served half-filtered.
 */
import type {
  BackendFiltersIR,
  CorsIR,
  HeaderModifierIR,
  PathModifierIR,
  RewriteIR,
} from '@portico/ir';
import { check, RuleProblem } from './matches.ts';
import type {
  HTTPCORSFilter,
  HTTPHeaderFilter,
  HTTPPathModifier,
  HTTPRequestMirrorFilter,
  HTTPRequestRedirectFilter,
  HTTPRouteFilter,
  HTTPRouteMatch,
} from './resources.ts';
import type { RedirectNode, RuleFilters } from './types.ts';
import type { Validators } from './validation.ts';

const STATUS_CODES = new Set([301, 302, 303, 307, 308]);
const CORS_DEFAULT_MAX_AGE = 5;

/** Rule-level filters. `matches` are the rule's (ReplacePrefixMatch needs PathPrefix ones). */
export function validateRuleFilters(
  filters: readonly HTTPRouteFilter[],
  matches: readonly HTTPRouteMatch[] | undefined,
  validators: Validators,
): RuleFilters {
  const out: RuleFilters = { mirrors: [] };
  for (const [i, filter] of filters.entries()) {
    const where = `filter ${i} (${filter.type})`;
    switch (filter.type) {
      case 'RequestHeaderModifier':
        out.requestHeaders = headerModifier(filter.requestHeaderModifier, where, validators, true);
        break;
      case 'ResponseHeaderModifier':
        out.responseHeaders = headerModifier(
          filter.responseHeaderModifier,
          where,
          validators,
          false,
        );
        break;
      case 'RequestRedirect':
        out.redirect = redirect(filter.requestRedirect ?? {}, matches, where, validators);
        break;
      case 'URLRewrite':
        out.rewrite = rewrite(filter, matches, where, validators);
        break;
      case 'RequestMirror':
        out.mirrors.push(mirror(filter.requestMirror, where));
        break;
      case 'CORS':
        out.cors = cors(filter.cors ?? {}, where, validators);
        break;
      default:
        throw new RuleProblem(`${where}: filter type ${filter.type} is not supported`);
    }
  }
  if (out.redirect !== undefined && out.rewrite !== undefined) {
    throw new RuleProblem(
      'RequestRedirect and URLRewrite cannot be used in the same rule',
      'IncompatibleFilters',
    );
  }
  out.mirrors = out.mirrors.filter((m) => m.basisPoints > 0);
  return out;
}

/** backendRef-level filters: header modifiers only (others are implementation-specific). */
export function validateBackendFilters(
  filters: readonly HTTPRouteFilter[],
  where: string,
  validators: Validators,
): BackendFiltersIR | undefined {
  if (filters.length === 0) return undefined;
  const out: BackendFiltersIR = {};
  for (const [i, filter] of filters.entries()) {
    const at = `${where} filter ${i} (${filter.type})`;
    if (filter.type === 'RequestHeaderModifier') {
      out.requestHeaders = headerModifier(filter.requestHeaderModifier, at, validators, true);
    } else if (filter.type === 'ResponseHeaderModifier') {
      out.responseHeaders = headerModifier(filter.responseHeaderModifier, at, validators, false);
    } else {
      throw new RuleProblem(`${at}: not supported on a backendRef`);
    }
  }
  return out;
}

/**
 * A header modifier. Request `add` must read the header's current value from the request,
 * so its names follow `requestHeaderName`; names compare case-insensitively.
 */
function headerModifier(
  filter: HTTPHeaderFilter | undefined,
  where: string,
  validators: Validators,
  request: boolean,
): HeaderModifierIR {
  if (filter === undefined) throw new RuleProblem(`${where}: missing configuration`);
  const pairs = (list: HTTPHeaderFilter['set'], adding: boolean) =>
    (list ?? []).map(({ name, value }) => {
      check(
        adding && request ? validators.requestHeaderName(name) : validators.headerName(name),
        where,
      );
      check(validators.headerValue(value), `${where} header ${name}`);
      return { name, value };
    });
  const remove = (filter.remove ?? []).map((name) => {
    check(validators.headerName(name), where);
    return name;
  });
  return { set: pairs(filter.set, false), add: pairs(filter.add, true), remove };
}

function redirect(
  filter: HTTPRequestRedirectFilter,
  matches: readonly HTTPRouteMatch[] | undefined,
  where: string,
  validators: Validators,
): RedirectNode {
  const { scheme, hostname, port } = filter;
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw new RuleProblem(`${where}: scheme ${scheme} is not supported`);
  }
  if (hostname !== undefined) check(preciseHostname(hostname, validators), where);
  if (port !== undefined) check(validators.port(port), where);
  const statusCode = filter.statusCode ?? 302;
  if (!STATUS_CODES.has(statusCode)) {
    throw new RuleProblem(`${where}: status code ${statusCode} is not supported`);
  }
  return {
    scheme,
    hostname,
    port,
    path: pathModifier(filter.path, matches, where, validators),
    statusCode: statusCode as RedirectNode['statusCode'],
  };
}

function rewrite(
  filter: HTTPRouteFilter,
  matches: readonly HTTPRouteMatch[] | undefined,
  where: string,
  validators: Validators,
): RewriteIR {
  const config = filter.urlRewrite ?? {};
  const out: RewriteIR = {};
  if (config.hostname !== undefined) {
    check(preciseHostname(config.hostname, validators), where);
    out.hostname = config.hostname;
  }
  const path = pathModifier(config.path, matches, where, validators);
  if (path !== undefined) out.path = path;
  return out;
}

function preciseHostname(value: string, validators: Validators): string | undefined {
  if (value.startsWith('*')) return `hostname "${value}" must not be a wildcard`;
  return validators.hostname(value);
}

/** `ReplacePrefixMatch` only makes sense when every match of the rule is a PathPrefix. */
function pathModifier(
  modifier: HTTPPathModifier | undefined,
  matches: readonly HTTPRouteMatch[] | undefined,
  where: string,
  validators: Validators,
): PathModifierIR | undefined {
  if (modifier === undefined) return undefined;
  if (modifier.type === 'ReplaceFullPath' && modifier.replaceFullPath !== undefined) {
    check(validators.replacementPath(modifier.replaceFullPath), where);
    return { type: 'ReplaceFullPath', value: modifier.replaceFullPath };
  }
  if (modifier.type === 'ReplacePrefixMatch' && modifier.replacePrefixMatch !== undefined) {
    check(validators.replacementPath(modifier.replacePrefixMatch), where);
    const allPrefix = (matches ?? [{}]).every(
      (m) => (m.path?.type ?? 'PathPrefix') === 'PathPrefix',
    );
    if (!allPrefix) {
      throw new RuleProblem(
        `${where}: ReplacePrefixMatch needs PathPrefix matches only`,
        'IncompatibleFilters',
      );
    }
    return { type: 'ReplacePrefixMatch', value: modifier.replacePrefixMatch };
  }
  throw new RuleProblem(`${where}: path modifier ${modifier.type} is incomplete or unknown`);
}

/** Mirror share in basis points: `percent`, or `fraction` (denominator 100 by default). */
function mirror(
  filter: HTTPRequestMirrorFilter | undefined,
  where: string,
): RuleFilters['mirrors'][number] {
  if (filter === undefined) throw new RuleProblem(`${where}: missing configuration`);
  let basisPoints = 10000;
  if (filter.percent !== undefined) {
    if (!Number.isInteger(filter.percent) || filter.percent < 0 || filter.percent > 100) {
      throw new RuleProblem(`${where}: percent must be 0-100`);
    }
    basisPoints = filter.percent * 100;
  } else if (filter.fraction !== undefined) {
    const { numerator, denominator = 100 } = filter.fraction;
    if (
      !Number.isInteger(numerator) ||
      !Number.isInteger(denominator) ||
      denominator <= 0 ||
      numerator < 0 ||
      numerator > denominator
    ) {
      throw new RuleProblem(`${where}: fraction must satisfy 0 <= numerator <= denominator`);
    }
    basisPoints = Math.round((numerator * 10000) / denominator);
  }
  return { ref: filter.backendRef, basisPoints };
}

function cors(filter: HTTPCORSFilter, where: string, validators: Validators): CorsIR {
  const origins = filter.allowOrigins ?? [];
  for (const origin of origins) check(validators.corsOrigin(origin), where);
  const methods = filter.allowMethods ?? [];
  for (const method of methods) {
    if (method !== '*' && !/^[A-Z]{1,32}$/.test(method)) {
      throw new RuleProblem(`${where}: invalid method "${method}"`);
    }
  }
  const names = (list: string[] | undefined) =>
    (list ?? []).map((name) => {
      if (name !== '*') check(validators.headerName(name), where);
      return name;
    });
  const maxAge = filter.maxAge ?? CORS_DEFAULT_MAX_AGE;
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86400 * 365) {
    throw new RuleProblem(`${where}: maxAge must be a number of seconds`);
  }
  return {
    allowOrigins: origins,
    allowMethods: methods,
    allowHeaders: names(filter.allowHeaders),
    exposeHeaders: names(filter.exposeHeaders),
    allowCredentials: filter.allowCredentials ?? false,
    maxAge,
  };
}
