/**
 * @portico/status: pure computation of the statuses Portico writes, from the graph, for one
 * reconcile key. Each result says whether it differs from the current status, so the writer
 * (a thin adapter that retries conflicts) can skip unchanged writes. No I/O; `now` passed in.
 */
import type { Graph } from '@portico/graph';
import { gatewayStatus } from './gateway.ts';
import { routeStatuses } from './route.ts';
import type { GatewayStatuses, GatewayStatusOptions } from './types.ts';

export type * from './types.ts';
export { gatewayClassStatus } from './gatewayclass.ts';
export { backendTlsPolicyStatuses } from './policy.ts';
export type { PolicyStatus } from './policy.ts';
export { listenerSetStatuses } from './listenerset.ts';
export type { ListenerSetStatus } from './listenerset.ts';
export type { GatewayClassStatusOptions } from './gatewayclass.ts';

/**
 * Statuses for a Gateway key: the Gateway's own (when it is ours) and, for every HTTPRoute
 * attached to it or holding an entry of ours for it, the route status with that slice
 * replaced. A key whose Gateway is gone or no longer ours still cleans up route entries.
 */
export function gatewayStatuses(
  graph: Graph,
  gatewayKey: string,
  options: GatewayStatusOptions,
): GatewayStatuses {
  const gateway = graph.gateways.get(gatewayKey);
  return {
    gateway: gateway === undefined ? undefined : gatewayStatus(gateway, options),
    routes: routeStatuses(graph, gatewayKey, options.now),
  };
}
