/**
 * Data plane settings: a GatewayClass `parametersRef` (defaults for its Gateways) and a Gateway
 * `infrastructure.parametersRef` (that Gateway), both to Portico's GatewayParameters, resolved
 * and layered by @portico/provision. A reference that cannot be followed, to another kind, or to
 * invalid content is `InvalidParameters`, as the spec asks: on the class (which is then not
 * accepted), or on the Gateway. Runs after `processGateways`: it only narrows acceptance.
 */
import { gatewayClassInvalidParameters, gatewayInvalidParameters } from '@portico/conditions';
import {
  resolveParametersRef,
  resolveSettings,
  type GatewayParametersObject,
  type ParametersResult,
} from '@portico/provision';
import { namespaceOf } from './keys.ts';
import type { GatewayClass } from './resources.ts';
import type { GatewayClassNode, GatewayNode } from './types.ts';

/** A class's own parameters; undefined when it has no `parametersRef`. */
export function classParameters(
  source: GatewayClass,
  objects: readonly GatewayParametersObject[],
): ParametersResult | undefined {
  const ref = source.spec.parametersRef;
  return ref === undefined ? undefined : resolveParametersRef(ref, undefined, objects);
}

/** The class's `Accepted` condition when its parameters are invalid. */
export function classParametersCondition(result: ParametersResult | undefined) {
  return result !== undefined && !result.ok
    ? gatewayClassInvalidParameters(result.message)
    : undefined;
}

function refuse(node: GatewayNode, message: string): void {
  node.accepted = false;
  node.conditions = [
    ...node.conditions.filter((c) => c.type !== 'Accepted'),
    gatewayInvalidParameters(message),
  ];
}

/**
 * Resolves each Gateway's settings (`node.dataPlane`) when its class is accepted, and refuses
 * the Gateway (`InvalidParameters`) when its own reference, or the merge of class and Gateway
 * settings, is invalid. A Gateway already refused for its parameters keeps that condition.
 */
export function applyGatewayParameters(
  gateways: ReadonlyMap<string, GatewayNode>,
  classes: ReadonlyMap<string, GatewayClassNode>,
  objects: readonly GatewayParametersObject[],
): void {
  for (const node of gateways.values()) {
    const gatewayClass = classes.get(node.source.spec.gatewayClassName);
    if (!gatewayClass?.accepted) continue;
    if (node.conditions.some((c) => c.reason === 'InvalidParameters')) continue;
    const ref = node.source.spec.infrastructure?.parametersRef;
    const own = ref
      ? resolveParametersRef(ref, namespaceOf(node.source.metadata), objects)
      : undefined;
    if (own && !own.ok) {
      refuse(node, `infrastructure.${own.message}`);
      continue;
    }
    const layers = [gatewayClass.parameters ?? {}, own?.spec ?? {}];
    const merged = resolveSettings(layers);
    node.dataPlane = merged;
    if (!merged.ok) refuse(node, `GatewayClass and Gateway parameters together: ${merged.message}`);
  }
}
