/**
 * ListenerSet status, written by the reconcile of the set's parent Gateway: `Accepted` from
 * the graph, `Programmed` following the Gateway's (a refused set says why on both, as the
 * conformance suite expects), and one entry per listener, named as in the set's spec.
 */
import {
  isTrue,
  listenerEntryNotProgrammed,
  listenerProgrammed,
  listenerProgrammingInvalid,
  listenerProgrammingPending,
  listenerSetNotProgrammed,
  listenerSetProgrammed,
  mergeConditions,
  Reason,
} from '@portico/conditions';
import type { Condition, DesiredCondition } from '@portico/conditions';
import type { Graph, ListenerNode, ListenerSetNode, ListenerStatus } from '@portico/graph';
import { assignAddresses } from './addresses.ts';
import { differs } from './changed.ts';
import { gatewayProgrammedCondition } from './gateway.ts';
import type { GatewayStatusOptions, StatusResult } from './types.ts';

export interface ListenerSetStatus {
  conditions: Condition[];
  /** Absent when the set is refused before its listeners are looked at (e.g. NotAllowed). */
  listeners?: ListenerStatus[];
}

/** Desired statuses of the ListenerSets naming the Gateway `gatewayKey`, in precedence order. */
export function listenerSetStatuses(
  graph: Graph,
  gatewayKey: string,
  options: GatewayStatusOptions,
): StatusResult<ListenerSetStatus>[] {
  const gateway = graph.gateways.get(gatewayKey);
  if (gateway === undefined) return [];
  const assigned = assignAddresses(gateway.source, options.addresses);
  const gatewayProgrammed = gatewayProgrammedCondition(gateway, options, assigned);
  return (gateway.listenerSets ?? []).map((set) => setStatus(set, gatewayProgrammed, options.now));
}

/** The Gateway key of the ListenerSet `<namespace>/<name>`, when one of ours has it. */
export function listenerSetGatewayKey(
  graph: Graph,
  namespace: string,
  name: string,
): string | undefined {
  for (const gateway of graph.gateways.values()) {
    if (gateway.listenerSets?.some((s) => s.key === `${namespace}/${name}`)) return gateway.key;
  }
  return undefined;
}

function setStatus(
  set: ListenerSetNode,
  gatewayProgrammed: DesiredCondition,
  now: Date,
): StatusResult<ListenerSetStatus> {
  const { metadata, status: current } = set.source;
  const generation = metadata.generation ?? 0;
  const programmed = setProgrammed(set, gatewayProgrammed);
  const listeners = set.listeners.map((l) =>
    entryStatus(l, programmed, current?.listeners, now, generation),
  );
  const status: ListenerSetStatus = {
    conditions: mergeConditions(
      current?.conditions,
      [...set.conditions, programmed],
      now,
      generation,
    ),
    ...(listeners.length === 0 ? {} : { listeners }),
  };
  return {
    ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
    name: metadata.name,
    status,
    changed: differs(current, status),
  };
}

function setProgrammed(
  set: ListenerSetNode,
  gatewayProgrammed: DesiredCondition,
): DesiredCondition {
  const accepted = set.conditions.find((c) => c.type === 'Accepted');
  if (!set.accepted && accepted !== undefined) {
    return listenerSetNotProgrammed(accepted.reason, accepted.message);
  }
  if (gatewayProgrammed.status === 'True') return listenerSetProgrammed();
  const reason = gatewayProgrammed.reason === Reason.Pending ? Reason.Pending : Reason.Invalid;
  return listenerSetNotProgrammed(reason, `parent Gateway: ${gatewayProgrammed.message}`);
}

function entryStatus(
  listener: ListenerNode,
  setProgrammedCond: DesiredCondition,
  current: readonly ListenerStatus[] | undefined,
  now: Date,
  generation: number,
): ListenerStatus {
  const [accepted, ...others] = listener.conditions;
  const programmed = entryProgrammed(listener, setProgrammedCond);
  const desired = accepted === undefined ? [programmed] : [accepted, programmed, ...others];
  const name = listener.source.name;
  const previous = current?.find((s) => s.name === name)?.conditions;
  return {
    name,
    supportedKinds: listener.supportedKinds.map((k) => ({ ...k })),
    attachedRoutes: listener.attachedRoutes,
    conditions: mergeConditions(previous, desired, now, generation),
  };
}

/** A conflicted entry says its conflict on `Programmed` too (what the conformance suite asks). */
function entryProgrammed(
  listener: ListenerNode,
  setProgrammedCond: DesiredCondition,
): DesiredCondition {
  const conflict = listener.conditions.find((c) => c.type === 'Conflicted' && c.status === 'True');
  if (conflict !== undefined) return listenerEntryNotProgrammed(conflict.reason, conflict.message);
  if (!listener.accepted) return listenerProgrammingInvalid('listener is not accepted');
  if (!isTrue(listener.conditions, 'ResolvedRefs')) {
    return listenerProgrammingInvalid('listener has unresolved references');
  }
  if (setProgrammedCond.status === 'True') return listenerProgrammed();
  return setProgrammedCond.reason === Reason.Pending
    ? listenerProgrammingPending(setProgrammedCond.message)
    : listenerProgrammingInvalid(setProgrammedCond.message);
}
