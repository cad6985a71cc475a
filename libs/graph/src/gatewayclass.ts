/**
 * GatewayClasses: keep the ones naming our controller, decide whether we accept them.
 * Classes of other controllers are left out of the graph entirely (no status, and their
 * Gateways are ignored).
 */
import { gatewayClassAccepted, gatewayClassInvalidParameters } from '@portico/conditions';
import { compareStrings } from './keys.ts';
import type { GatewayClass } from './resources.ts';
import type { GatewayClassNode } from './types.ts';

/** Our classes by name, in name order. */
export function processGatewayClasses(
  classes: readonly GatewayClass[],
  controllerName: string,
): Map<string, GatewayClassNode> {
  const ours = classes
    .filter((c) => c.spec.controllerName === controllerName)
    .sort((a, b) => compareStrings(a.metadata.name, b.metadata.name));
  return new Map(ours.map((c) => [c.metadata.name, classNode(c)]));
}

function classNode(source: GatewayClass): GatewayClassNode {
  // Portico takes no parameters yet: a class that points at some cannot mean what it says.
  const ref = source.spec.parametersRef;
  const condition =
    ref === undefined
      ? gatewayClassAccepted()
      : gatewayClassInvalidParameters(
          `parametersRef ${ref.group}/${ref.kind} ${ref.name} is not supported: Portico takes no parameters`,
        );
  return { source, accepted: ref === undefined, conditions: [condition] };
}
