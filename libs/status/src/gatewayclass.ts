/**
 * GatewayClass status: the graph's `Accepted` verdict with time and generation, and the
 * features we claim (the conformance suite reads `supportedFeatures`).
 */
import { mergeConditions } from '@portico/conditions';
import type { Graph } from '@portico/graph';
import { differs } from './changed.ts';
import type { GatewayClassStatus, StatusResult } from './types.ts';

export interface GatewayClassStatusOptions {
  now: Date;
  /** Feature names as the conformance suite spells them; sorted and capped here. */
  supportedFeatures: string[];
}

/** The desired status of class `name`, or undefined when the class is not ours. */
export function gatewayClassStatus(
  graph: Graph,
  name: string,
  options: GatewayClassStatusOptions,
): StatusResult<GatewayClassStatus> | undefined {
  const node = graph.gatewayClasses.get(name);
  if (node === undefined) return undefined;
  const current = node.source.status;
  const generation = node.source.metadata.generation ?? 0;
  const status: GatewayClassStatus = {
    conditions: mergeConditions(current?.conditions, node.conditions, options.now, generation),
    supportedFeatures: [...new Set(options.supportedFeatures)]
      .sort()
      .slice(0, 64)
      .map((feature) => ({ name: feature })),
  };
  return { name, status, changed: differs(current, status) };
}
