/**
 * `affectedKeys` for ListenerSets: which Gateway keys a change reaches through them. A set's
 * status is written by its parent Gateway's reconcile, so every key here is a Gateway's.
 */
import { GATEWAY_GROUP, gatewayKey, namespaceOf } from './keys.ts';
import { parentGatewayKey, type ListenerSet } from './listenerset.ts';
import type { ParentReference } from './resources.ts';
import type { Snapshot } from './snapshot.ts';

/** A set's parent Gateway, when it is ours. */
export function keysOfListenerSet(set: ListenerSet, ours: ReadonlySet<string>): string[] {
  const key = parentGatewayKey(set);
  return key !== undefined && ours.has(key) ? [key] : [];
}

/** Parent Gateways of the ListenerSets a route's parentRefs name. */
export function gatewaysViaListenerSets(
  snapshot: Snapshot,
  routeNamespace: string,
  parentRefs: readonly ParentReference[],
  ours: ReadonlySet<string>,
): string[] {
  const named = new Set(
    parentRefs
      .filter((r) => (r.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && r.kind === 'ListenerSet')
      .map((r) => `${r.namespace ?? routeNamespace}/${r.name}`),
  );
  if (named.size === 0) return [];
  return (snapshot.listenerSets ?? [])
    .filter((s) => named.has(`${namespaceOf(s.metadata)}/${s.metadata.name}`))
    .flatMap((s) => keysOfListenerSet(s, ours));
}

/** `<ns>/<name>` of the Secrets a set's listeners name as certificates. */
function secretsOf(set: ListenerSet): string[] {
  const namespace = namespaceOf(set.metadata);
  return set.spec.listeners.flatMap((l) =>
    (l.tls?.certificateRefs ?? [])
      .filter((ref) => (ref.kind ?? 'Secret') === 'Secret' && (ref.group ?? '') === '')
      .map((ref) => `${ref.namespace ?? namespace}/${ref.name}`),
  );
}

/** Gateways of the sets whose certificates include `secret` (`<ns>/<name>`). */
export function gatewaysOfSetSecret(
  snapshot: Snapshot,
  ours: ReadonlySet<string>,
  secret: string,
): string[] {
  return (snapshot.listenerSets ?? [])
    .filter((s) => secretsOf(s).includes(secret))
    .flatMap((s) => keysOfListenerSet(s, ours));
}

/** A ReferenceGrant from sets of `fromNamespaces` decides their certificates in `target`. */
export function gatewaysOfSetGrant(
  snapshot: Snapshot,
  ours: ReadonlySet<string>,
  fromNamespaces: ReadonlySet<string>,
  target: string,
): string[] {
  return (snapshot.listenerSets ?? [])
    .filter(
      (s) =>
        fromNamespaces.has(namespaceOf(s.metadata)) &&
        secretsOf(s).some((secret) => secret.startsWith(`${target}/`)),
    )
    .flatMap((s) => keysOfListenerSet(s, ours));
}

/** Namespace labels decide `allowedListeners` Selectors: Gateways of sets living there. */
export function gatewaysOfSetNamespace(
  snapshot: Snapshot,
  ours: ReadonlySet<string>,
  namespace: string,
): string[] {
  return (snapshot.listenerSets ?? [])
    .filter((s) => namespaceOf(s.metadata) === namespace)
    .flatMap((s) => keysOfListenerSet(s, ours))
    .filter((key) => {
      const gateway = snapshot.gateways.find(
        (g) => gatewayKey(namespaceOf(g.metadata), g.metadata.name) === key,
      );
      return gateway?.spec.allowedListeners?.namespaces?.from === 'Selector';
    });
}
