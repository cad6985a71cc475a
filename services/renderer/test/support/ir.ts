/**
 * IR pieces the Applier tests share: one HTTPRoute rule to one upstream, and the followed
 * entry the Applier loads for an IR.
 */
import { contentHash, type GatewayIR, type HttpRuleIR } from '@portico/ir';
import type { FollowedIR } from '../../src/applier.ts';

export interface RuleSpec {
  id: string;
  /** HTTPRoute infra/`route` and the index of the rule in it. */
  route: string;
  ruleIndex?: number;
  path: { type: 'Exact' | 'PathPrefix'; value: string };
  upstream: string;
}

/** One rule sending `path` to `upstream`, from rule `ruleIndex` (default 0) of the route. */
export function rule(spec: RuleSpec): HttpRuleIR {
  return {
    id: spec.id,
    source: {
      kind: 'HTTPRoute',
      namespace: 'infra',
      name: spec.route,
      ruleIndex: spec.ruleIndex ?? 0,
      matchIndex: 0,
    },
    match: { path: spec.path },
    backends: [{ upstream: spec.upstream, weight: 1 }],
  };
}

/** What the Applier loads for `ir` of Gateway infra/`name`: the IR with its content hash. */
export function followedIR(ir: GatewayIR): FollowedIR {
  const key = `gateway/${ir.gateway.namespace}/${ir.gateway.name}`;
  return { gatewayKey: key, hash: contentHash(ir), ir };
}
