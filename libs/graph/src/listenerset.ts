/**
 * ListenerSets: listeners that other teams attach to a Gateway from objects of their own.
 *
 * A Gateway admits them through `spec.allowedListeners.namespaces` (`None` by default, then
 * `Same`, `Selector`, `All`). Admitted sets' listeners are merged into the Gateway in the
 * spec's precedence (the Gateway's own, then sets oldest first, then by `namespace/name`), so
 * they are served by the same data plane. A set listener that clashes with an earlier one of
 * the merged list (same port with an incompatible protocol, or the same hostname) is
 * conflicted and not served; the earlier one keeps working. A set is Accepted while at least
 * one of its listeners is valid. Routes reach set listeners only through a parentRef of kind
 * ListenerSet; a parentRef to the Gateway sees the Gateway's own listeners only.
 */
import {
  isTrue,
  listenerHostnameConflict,
  listenerNotAcceptedConflicted,
  listenerProtocolConflict,
  listenerSetAccepted,
  listenerSetAcceptedListenersNotValid,
  listenerSetRefused,
  ListenerSetReason,
  Reason,
  routeNoMatchingParent,
} from '@portico/conditions';
import type { ConflictReason, DesiredCondition } from '@portico/conditions';
import { contentHash } from '@portico/ir';
import { compareStrings, GATEWAY_GROUP, gatewayKey, namespaceOf } from './keys.ts';
import { selectorMatches } from './labels.ts';
import { family, processListeners, transport } from './listener.ts';
import type { FrontendTlsSpec } from './frontend-tls.ts';
import type { TlsContext } from './tls.ts';
import type { SnapshotLookup } from './lookup.ts';
import type {
  Condition,
  Listener,
  ListenerStatus,
  ObjectMeta,
  ParentReference,
} from './resources.ts';
import type { GatewayNode, ListenerNode, NormalizedParentRef, ParentNode } from './types.ts';
import type { Validators } from './validation.ts';

/** A ListenerSet (gateway.networking.k8s.io/v1) as the graph reads it. */
export interface ListenerSet {
  kind?: 'ListenerSet';
  metadata: ObjectMeta;
  spec: {
    parentRef: { group?: string; kind?: string; namespace?: string; name: string };
    listeners: Listener[];
  };
  status?: { conditions?: Condition[]; listeners?: ListenerStatus[] };
}

export interface ListenerSetNode {
  /** `<ns>/<name>`. */
  key: string;
  source: ListenerSet;
  /** The reconcile key of the parent Gateway, whose reconcile writes this set's status. */
  gatewayKey: string;
  /** Whether the set is attached (Accepted True): counted in `attachedListenerSets`. */
  accepted: boolean;
  /** `Accepted`; `Programmed` is added by @portico/status from the Gateway's. */
  conditions: DesiredCondition[];
  /** The set's listeners in spec order (empty when refused as a whole). */
  listeners: ListenerNode[];
}

/**
 * Builds the ListenerSet nodes of our Gateways, merges admitted sets' listeners into their
 * Gateway's `listeners` (after its own) and sets `listenerSets` / `attachedListenerSets`.
 * Runs after Gateway acceptance (a set of a refused Gateway is ParentNotAccepted) and before
 * routes (which attach to the merged listeners).
 */
export function attachListenerSets(
  gateways: ReadonlyMap<string, GatewayNode>,
  listenerSets: readonly ListenerSet[],
  validators: Validators,
  lookup: SnapshotLookup,
): void {
  const byGateway = new Map<string, ListenerSet[]>();
  for (const set of listenerSets) {
    const key = parentGatewayKey(set);
    if (key === undefined || !gateways.has(key)) continue;
    byGateway.set(key, [...(byGateway.get(key) ?? []), set]);
  }
  for (const gateway of gateways.values()) {
    const sets = [...(byGateway.get(gateway.key) ?? [])].sort(compareListenerSets);
    const from = gateway.source.spec.allowedListeners?.namespaces?.from ?? 'None';
    if (sets.length === 0 && from === 'None') continue;
    const nodes = sets.map((set) => listenerSetNode(set, gateway, validators, lookup));
    gateway.listenerSets = nodes;
    gateway.attachedListenerSets = nodes.filter((n) => n.accepted).length;
  }
}

/** The Gateway a set names (kind Gateway of our group only), as a reconcile key. */
export function parentGatewayKey(set: ListenerSet): string | undefined {
  const { group, kind, namespace, name } = set.spec.parentRef;
  if ((group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (kind ?? 'Gateway') !== 'Gateway') {
    return undefined;
  }
  return gatewayKey(namespace ?? namespaceOf(set.metadata), name);
}

/** Listener precedence among sets: oldest first, then `namespace/name`. */
export function compareListenerSets(a: ListenerSet, b: ListenerSet): number {
  const byAge = compareStrings(
    a.metadata.creationTimestamp ?? '',
    b.metadata.creationTimestamp ?? '',
  );
  return byAge !== 0 ? byAge : compareStrings(setKey(a), setKey(b));
}

function setKey(set: ListenerSet): string {
  return `${namespaceOf(set.metadata)}/${set.metadata.name}`;
}

function listenerSetNode(
  source: ListenerSet,
  gateway: GatewayNode,
  validators: Validators,
  lookup: SnapshotLookup,
): ListenerSetNode {
  const namespace = namespaceOf(source.metadata);
  const base = { key: setKey(source), source, gatewayKey: gateway.key };
  const refuse = (reason: Parameters<typeof listenerSetRefused>[0], message: string) => ({
    ...base,
    accepted: false,
    conditions: [listenerSetRefused(reason, message)],
    listeners: [],
  });
  if (!gateway.accepted) {
    return refuse(ListenerSetReason.ParentNotAccepted, 'the parent Gateway is not accepted');
  }
  if (!allowsListenerSet(gateway, namespace, lookup)) {
    return refuse(
      ListenerSetReason.NotAllowed,
      `Gateway ${gateway.source.metadata.name} does not allow ListenerSets from namespace ${namespace} (spec.allowedListeners)`,
    );
  }
  const owner = { namespace, name: source.metadata.name };
  const frontend = (gateway.source.spec as { tls?: { frontend?: FrontendTlsSpec } }).tls?.frontend;
  const context: TlsContext = {
    gatewayNamespace: namespace,
    lookup,
    fromKind: 'ListenerSet',
    // The Gateway's client validation covers every HTTPS listener on its ports.
    ...(frontend === undefined
      ? {}
      : { frontend, frontendNamespace: namespaceOf(gateway.source.metadata) }),
  };
  // One at a time: precedence runs through the merged list, this set's earlier listeners too.
  const listeners: ListenerNode[] = [];
  for (const spec of source.spec.listeners) {
    const [node] = processListeners([spec], validators, context);
    if (node === undefined) continue;
    const named = { ...node, name: mergedName(owner, node.name), listenerSet: owner };
    const merged = markConflict(named, gateway.listeners);
    gateway.listeners.push(merged);
    listeners.push(merged);
  }
  const invalid = listeners.filter((l) => !isValid(l)).map((l) => l.source.name);
  if (invalid.length === listeners.length) {
    return {
      ...refuse(ListenerSetReason.ListenersNotValid, `no valid listener: ${invalid.join(', ')}`),
      listeners,
    };
  }
  const accepted =
    invalid.length === 0
      ? listenerSetAccepted()
      : listenerSetAcceptedListenersNotValid(
          `invalid listeners: ${invalid.join(', ')}; the others are served`,
        );
  return { ...base, accepted: true, conditions: [accepted], listeners };
}

/** Whether the Gateway's `allowedListeners` admits sets living in `namespace`. */
export function allowsListenerSet(
  gateway: GatewayNode,
  namespace: string,
  lookup: SnapshotLookup,
): boolean {
  const namespaces = gateway.source.spec.allowedListeners?.namespaces;
  switch (namespaces?.from ?? 'None') {
    case 'All':
      return true;
    case 'Same':
      return namespace === namespaceOf(gateway.source.metadata);
    case 'Selector':
      return (
        namespaces?.selector !== undefined &&
        selectorMatches(namespaces.selector, lookup.namespaceLabels(namespace))
      );
    default:
      return false;
  }
}

/** A listener counts for its set when accepted (not conflicted) and its references resolve. */
function isValid(listener: ListenerNode): boolean {
  return listener.accepted && isTrue(listener.conditions, 'ResolvedRefs');
}

/**
 * The merged listener's name: unique within the Gateway (a set may reuse a Gateway listener
 * name) and a valid section name, because the IR names HTTPS listeners by it.
 */
export function mergedName(owner: { namespace: string; name: string }, listener: string): string {
  return `${listener}-ls${contentHash([owner.namespace, owner.name]).slice(0, 10)}`;
}

/**
 * Conflicts with listeners earlier in the merged list that are not conflicted themselves
 * (the earlier one wins): same socket with another protocol family, or same family and
 * hostname (TCP and UDP have none).
 */
function markConflict(listener: ListenerNode, earlier: readonly ListenerNode[]): ListenerNode {
  if (isTrue(listener.conditions, 'Conflicted')) return listener;
  const { port, protocol } = listener.source;
  for (const other of earlier) {
    if (isTrue(other.conditions, 'Conflicted')) continue;
    if (other.source.port !== port || transport(other.source.protocol) !== transport(protocol)) {
      continue;
    }
    const where = other.listenerSet
      ? `ListenerSet ${other.listenerSet.namespace}/${other.listenerSet.name}`
      : 'the Gateway';
    if (family(other.source.protocol) !== family(protocol)) {
      return conflicted(
        listener,
        Reason.ProtocolConflict,
        `port ${port} is used with protocol ${other.source.protocol} by listener ${other.source.name} of ${where}`,
      );
    }
    if (hostKey(other.source) === hostKey(listener.source)) {
      return conflicted(
        listener,
        Reason.HostnameConflict,
        `port ${port} and hostname "${listener.source.hostname ?? '*'}" are used by listener ${other.source.name} of ${where}`,
      );
    }
  }
  return listener;
}

function hostKey(l: Listener): string {
  return l.protocol === 'TCP' || l.protocol === 'UDP' ? '' : (l.hostname ?? '');
}

function conflicted(listener: ListenerNode, reason: ConflictReason, message: string): ListenerNode {
  const conflict =
    reason === Reason.HostnameConflict
      ? listenerHostnameConflict(message)
      : listenerProtocolConflict(message);
  const conditions = listener.conditions.map((c) =>
    c.type === 'Accepted'
      ? listenerNotAcceptedConflicted(reason, message)
      : c.type === 'Conflicted'
        ? conflict
        : c,
  );
  return { ...listener, accepted: false, served: false, conditions };
}

/**
 * A route's parentRef of kind ListenerSet, when the set belongs to one of our Gateways. Its
 * `accepted` is a placeholder until attachment (attach.ts) binds it.
 */
export function listenerSetParent(
  ref: NormalizedParentRef,
  index: number,
  gateways: ReadonlyMap<string, GatewayNode>,
): ParentNode | undefined {
  for (const gateway of gateways.values()) {
    const set = gateway.listenerSets?.find((s) => s.key === `${ref.namespace}/${ref.name}`);
    if (set === undefined) continue;
    return {
      index,
      ref,
      gatewayKey: gateway.key,
      listenerSet: { namespace: ref.namespace, name: ref.name },
      accepted: routeNoMatchingParent(`ListenerSet ${set.key} is not accepted by its Gateway`),
      bindings: [],
    };
  }
  return undefined;
}

/** Whether a parentRef names a ListenerSet (after defaults). */
export function isListenerSetRef(ref: ParentReference & { group: string; kind: string }): boolean {
  return ref.group === GATEWAY_GROUP && ref.kind === 'ListenerSet';
}

/** Whether `listener` answers a parentRef: the Gateway's own for a Gateway, the set's for a set. */
export function listenerOfParent(listener: ListenerNode, parent: ParentNode): boolean {
  const a = listener.listenerSet;
  const b = parent.listenerSet;
  if (a === undefined || b === undefined) return a === b;
  return a.namespace === b.namespace && a.name === b.name;
}

/** The namespace `allowedRoutes.namespaces.from: Same` means: the set's for set listeners. */
export function ownerNamespace(listener: ListenerNode, gatewayNamespace: string): string {
  return listener.listenerSet?.namespace ?? gatewayNamespace;
}
