/**
 * The spec pieces of TLSRoute, TCPRoute and UDPRoute: one rule (v1) of 1-16 weighted backends;
 * the v1alpha2 versions still allow up to 16 named rules.
 */
import type { ArraySchema, ObjectSchema } from '../dsl.ts';
import { array, object } from '../dsl.ts';
import { gatewayDefaultScope, sectionName, uniqueRuleNames } from './common.ts';
import { backendRef, parentRefs } from './refs.ts';

/** `rules` of a stream route; `v1alpha2` keeps the older, wider limit. */
export function l4Rules(version: 'v1' | 'v1alpha2'): ArraySchema {
  const l4Rule = object(
    {
      backendRefs: array(backendRef(), { minItems: 1, maxItems: 16, listType: 'atomic' }),
      name: sectionName(),
    },
    { required: ['backendRefs'] },
  );
  return version === 'v1'
    ? array(l4Rule, { minItems: 1, maxItems: 1, listType: 'atomic' })
    : array(l4Rule, { minItems: 1, maxItems: 16, listType: 'atomic', rules: [uniqueRuleNames] });
}

/** TCPRoute and UDPRoute spec (the two CRDs are identical). */
export function l4RouteSpec(version: 'v1' | 'v1alpha2'): ObjectSchema {
  return object(
    {
      parentRefs: parentRefs(),
      rules: l4Rules(version),
      useDefaultGateways: gatewayDefaultScope(),
    },
    { required: ['rules'] },
  );
}
