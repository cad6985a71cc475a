/**
 * GatewayClasses: keep the ones naming our controller, decide whether we accept them.
 * Classes of other controllers are left out of the graph entirely (no status, and their
 * Gateways are ignored). A class whose `parametersRef` does not lead to valid GatewayParameters
 * is not accepted (`InvalidParameters`).
 */
import { gatewayClassAccepted } from '@portico/conditions';
import type { GatewayParametersObject } from '@portico/provision';
import { compareStrings } from './keys.ts';
import { classParameters, classParametersCondition } from './parameters.ts';
import type { GatewayClass } from './resources.ts';
import type { GatewayClassNode } from './types.ts';

/** Our classes by name, in name order. */
export function processGatewayClasses(
  classes: readonly GatewayClass[],
  controllerName: string,
  parameters: readonly GatewayParametersObject[] = [],
): Map<string, GatewayClassNode> {
  const ours = classes
    .filter((c) => c.spec.controllerName === controllerName)
    .sort((a, b) => compareStrings(a.metadata.name, b.metadata.name));
  return new Map(ours.map((c) => [c.metadata.name, classNode(c, parameters)]));
}

function classNode(
  source: GatewayClass,
  parameters: readonly GatewayParametersObject[],
): GatewayClassNode {
  const resolved = classParameters(source, parameters);
  const invalid = classParametersCondition(resolved);
  if (invalid) return { source, accepted: false, conditions: [invalid] };
  return {
    source,
    accepted: true,
    conditions: [gatewayClassAccepted()],
    ...(resolved?.ok ? { parameters: resolved.spec } : {}),
  };
}
