/**
 * GRPCRoute (v1): service/method matches (type Exact unless said otherwise), header matches,
 * header and mirror filters.
 */
import type { ObjectSchema, Obj } from '../dsl.ts';
import { array, object, rule, string } from '../dsl.ts';
import { gatewayDefaultScope, hostname, sectionName, uniqueRuleNames } from '../types/common.ts';
import { filterFieldRules, headerModifier, notRepeated, requestMirror } from '../types/filters.ts';
import { headerMatch } from '../types/httpmatch.ts';
import { backendRef, localObjectReference, parentRefs } from '../types/refs.ts';
import { sessionPersistence } from '../types/session.ts';
import { routeStatus } from '../types/status.ts';
import { has, objsAt, size } from '../values.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

const SERVICE = String.raw`^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$`;
const serviceRegex = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const METHOD = '^[A-Za-z_][A-Za-z_0-9]*$';
const methodRegex = new RegExp(METHOD);

function methodMatch(): ObjectSchema {
  const exact = (m: Obj) => !has(m, 'type') || m.type === 'Exact';
  return object(
    {
      method: string({ maxLength: 1024 }),
      service: string({ maxLength: 1024 }),
      type: string({ enum: ['Exact', 'RegularExpression'], default: 'Exact' }),
    },
    {
      rules: [
        rule<Obj>(
          "One or both of 'service' or 'method' must be specified",
          (m) => !has(m, 'type') || has(m, 'service') || has(m, 'method'),
        ),
        rule<Obj>(
          `service must only contain valid characters (matching ${SERVICE})`,
          (m) => !(exact(m) && has(m, 'service')) || serviceRegex.test(String(m.service)),
        ),
        rule<Obj>(
          `method must only contain valid characters (matching ${METHOD})`,
          (m) => !(exact(m) && has(m, 'method')) || methodRegex.test(String(m.method)),
        ),
      ],
    },
  );
}

function grpcRouteMatch(): ObjectSchema {
  return object({
    headers: array(headerMatch(string({ minLength: 1, maxLength: 4096 })), {
      maxItems: 16,
      listType: 'map',
      mapKeys: ['name'],
    }),
    method: methodMatch(),
  });
}

function grpcFilters() {
  const filter = object(
    {
      extensionRef: localObjectReference(),
      requestHeaderModifier: headerModifier(),
      requestMirror: requestMirror(),
      responseHeaderModifier: headerModifier(),
      type: string({
        enum: ['ResponseHeaderModifier', 'RequestHeaderModifier', 'RequestMirror', 'ExtensionRef'],
      }),
    },
    {
      required: ['type'],
      rules: filterFieldRules([
        ['requestHeaderModifier', 'RequestHeaderModifier'],
        ['responseHeaderModifier', 'ResponseHeaderModifier'],
        ['requestMirror', 'RequestMirror'],
        ['extensionRef', 'ExtensionRef'],
      ]),
    },
  );
  return array(filter, {
    maxItems: 16,
    listType: 'atomic',
    rules: notRepeated(['RequestHeaderModifier', 'ResponseHeaderModifier']),
  });
}

function grpcRouteRule(): ObjectSchema {
  return object({
    backendRefs: array(backendRef({ filters: grpcFilters() }), {
      maxItems: 16,
      listType: 'atomic',
    }),
    filters: grpcFilters(),
    matches: array(grpcRouteMatch(), { maxItems: 64, listType: 'atomic' }),
    name: sectionName(),
    sessionPersistence: sessionPersistence(),
  });
}

/** Like HTTPRoute's, but rules may omit `matches` here. */
const totalMatches = rule<readonly unknown[]>(
  'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
  (rules) =>
    objsAt({ rules }, 'rules')
      .slice(0, 16)
      .reduce((n, r) => n + size(r.matches), 0) <= 128,
);

function spec(): ObjectSchema {
  return object({
    hostnames: array(hostname(), { maxItems: 16, listType: 'atomic' }),
    parentRefs: parentRefs(),
    rules: array(grpcRouteRule(), {
      maxItems: 16,
      listType: 'atomic',
      rules: [totalMatches, uniqueRuleNames],
    }),
    useDefaultGateways: gatewayDefaultScope(),
  });
}

export const grpcRoute: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'GRPCRoute',
  versions: { v1: root(spec(), routeStatus()) },
};
