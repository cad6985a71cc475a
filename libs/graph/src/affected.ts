/**
 * `affectedKeys`: which reconcile keys a change of one object affects. The watcher calls it
 * for every event and enqueues the keys; an empty answer means the event cannot matter (a
 * Service no route names, another controller's class) and is dropped. Pure: it reads the
 * snapshot (the store's current state) and the object's old and new versions.
 */
import { isServiceRef } from './backends.ts';
import { caSecretServices, configMapServices, policyServices } from './backendtls-affected.ts';
import { frontendConfigMaps, type FrontendTlsSpec } from './frontend-tls.ts';
import { gatewayTlsSecrets, type GatewayTlsSpec } from './gateway-tls.ts';
import { normalizeParentRef } from './httproute.ts';
import {
  gatewaysOfSetGrant,
  gatewaysOfSetNamespace,
  gatewaysOfSetSecret,
  gatewaysViaListenerSets,
  keysOfListenerSet,
} from './listenerset-affected.ts';
import {
  compareStrings,
  GATEWAY_GROUP,
  gatewayClassKey,
  gatewayKey,
  namespaceOf,
  nsName,
} from './keys.ts';
import { SERVICE_NAME_LABEL } from './lookup.ts';
import type { BackendObjectReference, Gateway, HTTPRoute } from './resources.ts';
import type { Snapshot, SnapshotObject } from './snapshot.ts';

export interface AffectedDeps {
  /** Only classes naming this controller, and their Gateways, produce keys. */
  controllerName: string;
}

/** Sorted, de-duplicated reconcile keys (`gatewayclass/<name>`, `gateway/<ns>/<name>`). */
export function affectedKeys(
  snapshot: Snapshot,
  before: SnapshotObject | null,
  after: SnapshotObject | null,
  deps: AffectedDeps,
): string[] {
  if (isLabelOnlyNoop(before, after)) return [];
  const versions = [before, after].filter((v): v is SnapshotObject => v !== null);
  const keys = new Set<string>();
  for (const version of versions) {
    for (const key of keysFor(snapshot, version, deps.controllerName)) keys.add(key);
  }
  return [...keys].sort(compareStrings);
}

function keysFor(snapshot: Snapshot, object: SnapshotObject, controllerName: string): string[] {
  const ours = ourGateways(snapshot, controllerName);
  switch (object.kind) {
    case 'GatewayClass':
      if (object.spec.controllerName !== controllerName) return [];
      return [
        gatewayClassKey(object.metadata.name),
        ...snapshot.gateways
          .filter((g) => g.spec.gatewayClassName === object.metadata.name)
          .map(keyOfGateway),
      ];
    case 'Gateway':
      return ourClassNames(snapshot, controllerName).has(object.spec.gatewayClassName)
        ? [keyOfGateway(object)]
        : [];
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TCPRoute':
    case 'UDPRoute':
    case 'TLSRoute':
      return parentGateways(object, ours, snapshot);
    case 'ReferenceGrant': {
      const target = namespaceOf(object.metadata);
      const fromNamespaces = (kind: string): Set<string> =>
        new Set(object.spec.from.filter((f) => f.kind === kind).map((f) => f.namespace));
      const fromGateways = fromNamespaces('Gateway');
      const routeKeys = gatewaysOfRoutes(snapshot, ours, (route, kind) => {
        const ns = namespaceOf(route.metadata);
        return (
          fromNamespaces(kind).has(ns) && serviceRefs(route).some((s) => s.startsWith(`${target}/`))
        );
      });
      // A grant from Gateways decides their cross-namespace certificateRefs.
      const gatewayKeys = snapshot.gateways
        .filter(
          (g) =>
            ours.has(keyOfGateway(g)) &&
            fromGateways.has(namespaceOf(g.metadata)) &&
            secretRefs(g).some((s) => s.startsWith(`${target}/`)),
        )
        .map(keyOfGateway);
      const setKeys = gatewaysOfSetGrant(snapshot, ours, fromNamespaces('ListenerSet'), target);
      return [...routeKeys, ...gatewayKeys, ...setKeys];
    }
    case 'Service':
      return gatewaysOfService(snapshot, ours, nsName(object.metadata));
    case 'EndpointSlice': {
      const service = object.metadata.labels?.[SERVICE_NAME_LABEL];
      if (service === undefined) return [];
      return gatewaysOfService(snapshot, ours, `${namespaceOf(object.metadata)}/${service}`);
    }
    case 'Namespace':
      // Labels decide `Selector` listeners, which only look at routes living in this namespace.
      return [
        ...gatewaysOfRoutes(
          snapshot,
          ours,
          (r) => namespaceOf(r.metadata) === object.metadata.name,
        ),
        ...gatewaysOfSetNamespace(snapshot, ours, object.metadata.name),
      ];
    case 'Secret':
      return [
        ...snapshot.gateways
          .filter((g) => ours.has(keyOfGateway(g)) && referencesSecret(g, nsName(object.metadata)))
          .map(keyOfGateway),
        ...gatewaysOfSetSecret(snapshot, ours, nsName(object.metadata)),
        ...caSecretServices(snapshot, object).flatMap((s) => gatewaysOfService(snapshot, ours, s)),
      ];
    case 'GatewayParameters':
      return parametersUsers(snapshot, ours, controllerName, object.metadata);
    case 'ListenerSet':
      return keysOfListenerSet(object, ours);
    case 'BackendTLSPolicy':
      return policyServices(object).flatMap((s) => gatewaysOfService(snapshot, ours, s));
    case 'ConfigMap':
      return [
        ...configMapServices(snapshot, object).flatMap((s) => gatewaysOfService(snapshot, ours, s)),
        ...snapshot.gateways
          .filter(
            (g) =>
              ours.has(keyOfGateway(g)) &&
              frontendConfigMaps(
                (g.spec as { tls?: { frontend?: FrontendTlsSpec } }).tls?.frontend,
                namespaceOf(g.metadata),
              ).includes(nsName(object.metadata)),
          )
          .map(keyOfGateway),
      ];
  }
}

/** Our classes (and their Gateways) and Gateways whose `parametersRef` names these parameters. */
function parametersUsers(
  snapshot: Snapshot,
  ours: ReadonlySet<string>,
  controllerName: string,
  target: { name: string; namespace?: string },
): string[] {
  const named = (ref: { group: string; kind: string; name: string } | undefined) =>
    ref?.group === 'portico.dev' && ref.kind === 'GatewayParameters' && ref.name === target.name;
  const classes = snapshot.gatewayClasses.filter(
    (c) =>
      c.spec.controllerName === controllerName &&
      named(c.spec.parametersRef) &&
      c.spec.parametersRef?.namespace === target.namespace,
  );
  const classNames = new Set(classes.map((c) => c.metadata.name));
  const gateways = snapshot.gateways.filter(
    (g) =>
      ours.has(keyOfGateway(g)) &&
      (classNames.has(g.spec.gatewayClassName) ||
        (namespaceOf(g.metadata) === target.namespace &&
          named(g.spec.infrastructure?.parametersRef))),
  );
  return [...classes.map((c) => gatewayClassKey(c.metadata.name)), ...gateways.map(keyOfGateway)];
}

/** A Namespace whose labels did not change cannot change any attachment. */
function isLabelOnlyNoop(before: SnapshotObject | null, after: SnapshotObject | null): boolean {
  if (before?.kind !== 'Namespace' || after?.kind !== 'Namespace') return false;
  const labels = (o: SnapshotObject): string =>
    JSON.stringify(
      Object.entries(o.metadata.labels ?? {}).sort(([a], [b]) => compareStrings(a, b)),
    );
  return labels(before) === labels(after);
}

function keyOfGateway(g: Gateway): string {
  return gatewayKey(namespaceOf(g.metadata), g.metadata.name);
}

function ourClassNames(snapshot: Snapshot, controllerName: string): Set<string> {
  return new Set(
    snapshot.gatewayClasses
      .filter((c) => c.spec.controllerName === controllerName)
      .map((c) => c.metadata.name),
  );
}

function ourGateways(snapshot: Snapshot, controllerName: string): Set<string> {
  const classes = ourClassNames(snapshot, controllerName);
  return new Set(
    snapshot.gateways.filter((g) => classes.has(g.spec.gatewayClassName)).map(keyOfGateway),
  );
}

/** What the key functions read of any route kind (HTTPRoute, TCPRoute, UDPRoute, TLSRoute). */
type AnyRoute = Pick<HTTPRoute, 'metadata'> & {
  spec: {
    parentRefs?: HTTPRoute['spec']['parentRefs'];
    rules?: { backendRefs?: BackendObjectReference[] }[];
  };
};

function parentGateways(route: AnyRoute, ours: ReadonlySet<string>, snapshot: Snapshot): string[] {
  const namespace = namespaceOf(route.metadata);
  const viaSets = gatewaysViaListenerSets(snapshot, namespace, route.spec.parentRefs ?? [], ours);
  return (route.spec.parentRefs ?? [])
    .map((raw) => normalizeParentRef(raw, namespaceOf(route.metadata)))
    .filter((ref) => ref.group === GATEWAY_GROUP && ref.kind === 'Gateway')
    .map((ref) => gatewayKey(ref.namespace, ref.name))
    .filter((key) => ours.has(key))
    .concat(viaSets);
}

/** `<ns>/<name>` of every Service a route's backendRefs name. */
function serviceRefs(route: AnyRoute): string[] {
  return (route.spec.rules ?? []).flatMap((rule) =>
    (rule.backendRefs ?? [])
      .filter(isServiceRef)
      .map((ref) => `${ref.namespace ?? namespaceOf(route.metadata)}/${ref.name}`),
  );
}

function gatewaysOfRoutes(
  snapshot: Snapshot,
  ours: ReadonlySet<string>,
  matches: (route: AnyRoute, kind: string) => boolean,
): string[] {
  const kinds: [string, readonly AnyRoute[]][] = [
    ['HTTPRoute', snapshot.httpRoutes],
    ['GRPCRoute', snapshot.grpcRoutes ?? []],
    ['TCPRoute', snapshot.tcpRoutes ?? []],
    ['UDPRoute', snapshot.udpRoutes ?? []],
    ['TLSRoute', snapshot.tlsRoutes ?? []],
  ];
  return kinds.flatMap(([kind, routes]) =>
    routes
      .filter((r) => matches(r, kind))
      .flatMap((route) => parentGateways(route, ours, snapshot)),
  );
}

function gatewaysOfService(
  snapshot: Snapshot,
  ours: ReadonlySet<string>,
  service: string,
): string[] {
  return gatewaysOfRoutes(snapshot, ours, (route) => serviceRefs(route).includes(service));
}

/** `<ns>/<name>` of every Secret a Gateway's listeners name as a certificate. */
function secretRefs(gateway: Gateway): string[] {
  const namespace = namespaceOf(gateway.metadata);
  const own = gatewayTlsSecrets((gateway.spec as { tls?: GatewayTlsSpec }).tls, namespace);
  return gateway.spec.listeners
    .flatMap((l) =>
      (l.tls?.certificateRefs ?? [])
        .filter((ref) => (ref.kind ?? 'Secret') === 'Secret' && (ref.group ?? '') === '')
        .map((ref) => `${ref.namespace ?? namespace}/${ref.name}`),
    )
    .concat(own);
}

function referencesSecret(gateway: Gateway, secret: string): boolean {
  return secretRefs(gateway).includes(secret);
}
