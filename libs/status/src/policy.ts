/**
 * BackendTLSPolicy status for one Gateway key: `status.ancestors` is a map keyed by
 * (ancestorRef, controllerName) (GEP-713). A reconcile of a Gateway owns exactly our entry for
 * that Gateway: it is replaced when the policy is relevant to the Gateway, removed when it no
 * longer is; other controllers' entries and ours for other Gateways stay as they are, in place.
 */
import { mergeConditions } from '@portico/conditions';
import type { BackendTlsPolicyNode, Graph, PolicyAncestorStatus } from '@portico/graph';
import { GATEWAY_GROUP, gatewayKey, namespaceOf, parseGatewayKey } from '@portico/graph';
import { differs } from './changed.ts';
import type { StatusResult } from './types.ts';

/** At most this many ancestors per policy (the CRD's limit): a full list gets no new entry. */
const MAX_ANCESTORS = 16;

export interface PolicyStatus {
  ancestors: PolicyAncestorStatus[];
}

/** Statuses of the policies relevant to `key`, or holding our entry for it, sorted by ns/name. */
export function backendTlsPolicyStatuses(
  graph: Graph,
  key: string,
  now: Date,
): StatusResult<PolicyStatus>[] {
  const results: StatusResult<PolicyStatus>[] = [];
  for (const node of graph.backendTlsPolicies?.values() ?? []) {
    const current = node.source.status?.ancestors ?? [];
    const relevant = node.ancestors.includes(key);
    if (!relevant && !current.some((e) => isOurEntryFor(graph, e, key))) continue;
    const status = { ancestors: mergeAncestors(graph, node, key, relevant, now) };
    results.push({
      namespace: namespaceOf(node.source.metadata),
      name: node.source.metadata.name,
      status,
      changed: differs({ ancestors: current }, status),
    });
  }
  return results;
}

function mergeAncestors(
  graph: Graph,
  node: BackendTlsPolicyNode,
  key: string,
  relevant: boolean,
  now: Date,
): PolicyAncestorStatus[] {
  const current = node.source.status?.ancestors ?? [];
  const previous = current.find((e) => isOurEntryFor(graph, e, key));
  const gateway = parseGatewayKey(key);
  const desired: PolicyAncestorStatus | undefined =
    relevant && gateway !== undefined
      ? {
          ancestorRef: { group: GATEWAY_GROUP, kind: 'Gateway', ...gateway },
          controllerName: graph.controllerName,
          conditions: mergeConditions(
            previous?.conditions,
            node.conditions,
            now,
            node.source.metadata.generation ?? 0,
          ),
        }
      : undefined;
  const merged = current.flatMap((entry) => {
    if (!isOurEntryFor(graph, entry, key)) return [entry];
    return desired === undefined ? [] : [desired];
  });
  if (desired !== undefined && previous === undefined && merged.length < MAX_ANCESTORS) {
    merged.push(desired);
  }
  return merged;
}

function isOurEntryFor(graph: Graph, entry: PolicyAncestorStatus, key: string): boolean {
  const ref = entry.ancestorRef;
  return (
    entry.controllerName === graph.controllerName &&
    (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP &&
    (ref.kind ?? 'Gateway') === 'Gateway' &&
    ref.namespace !== undefined &&
    gatewayKey(ref.namespace, ref.name) === key
  );
}
