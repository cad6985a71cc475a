import type { GatewayParametersObject } from '@portico/provision';
import type {
  EndpointSlice,
  Gateway,
  GatewayClass,
  HTTPRoute,
  Namespace,
  ReferenceGrant,
  SecretSummary,
  Service,
} from './resources.ts';
import type { GRPCRoute } from './grpcroute.ts';
import type { StreamRoute } from './streamroute.ts';
import type { ListenerSet } from './listenerset.ts';
import type { BackendTLSPolicy, ConfigMapSummary } from './backendtls-types.ts';

/**
 * Everything the graph reads, as plain objects: what the watcher mirrors into Redis and the
 * reconciler reads back. Array order does not matter; the graph sorts what it emits.
 * HTTPRoutes carry their `status.parents`, needed to clean up entries for parents a route left.
 */
export interface Snapshot {
  gatewayClasses: GatewayClass[];
  gateways: Gateway[];
  httpRoutes: HTTPRoute[];
  referenceGrants: ReferenceGrant[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  namespaces: Namespace[];
  secrets: SecretSummary[];
  /** Portico's own settings kind (`portico.dev` GatewayParameters), for `parametersRef`s. */
  gatewayParameters: GatewayParametersObject[];
  /** GRPCRoutes (v1), with their `status.parents`; absent: none. */
  grpcRoutes?: GRPCRoute[];
  /** TCPRoutes, UDPRoutes and TLSRoutes (v1), with their `status.parents`; absent: none. */
  tcpRoutes?: StreamRoute[];
  udpRoutes?: StreamRoute[];
  tlsRoutes?: StreamRoute[];
  /** ListenerSets (v1), with their status; absent: none. */
  listenerSets?: ListenerSet[];
  /** BackendTLSPolicies (v1), with their `status.ancestors`; absent: none. */
  backendTlsPolicies?: BackendTLSPolicy[];
  /** ConfigMap summaries (no data: whether `ca.crt` is usable, and a hash); absent: none. */
  configMaps?: ConfigMapSummary[];
}

/** A snapshot with nothing in it, to spread test or partial inputs over. */
export function emptySnapshot(): Snapshot {
  return {
    gatewayClasses: [],
    gateways: [],
    httpRoutes: [],
    referenceGrants: [],
    services: [],
    endpointSlices: [],
    namespaces: [],
    secrets: [],
    gatewayParameters: [],
  };
}

/** Any object the snapshot holds, tagged with its kind (the watcher knows which informer). */
export type SnapshotObject =
  | (GatewayClass & { kind: 'GatewayClass' })
  | (Gateway & { kind: 'Gateway' })
  | (HTTPRoute & { kind: 'HTTPRoute' })
  | (ReferenceGrant & { kind: 'ReferenceGrant' })
  | (Service & { kind: 'Service' })
  | (EndpointSlice & { kind: 'EndpointSlice' })
  | (Namespace & { kind: 'Namespace' })
  | (SecretSummary & { kind: 'Secret' })
  | (GatewayParametersObject & { kind: 'GatewayParameters' })
  | (StreamRoute & { kind: 'TCPRoute' | 'UDPRoute' | 'TLSRoute' })
  | (GRPCRoute & { kind: 'GRPCRoute' })
  | (ListenerSet & { kind: 'ListenerSet' })
  | (BackendTLSPolicy & { kind: 'BackendTLSPolicy' })
  | (ConfigMapSummary & { kind: 'ConfigMap' });

/**
 * Sorts kind-tagged objects into a snapshot: how a list read back from the store, or the
 * documents of a YAML file, become the graph's input.
 */
export function snapshotFromObjects(objects: readonly SnapshotObject[]): Snapshot {
  const snapshot = emptySnapshot();
  for (const o of objects) {
    switch (o.kind) {
      case 'GatewayClass':
        snapshot.gatewayClasses.push(o);
        break;
      case 'Gateway':
        snapshot.gateways.push(o);
        break;
      case 'HTTPRoute':
        snapshot.httpRoutes.push(o);
        break;
      case 'ReferenceGrant':
        snapshot.referenceGrants.push(o);
        break;
      case 'Service':
        snapshot.services.push(o);
        break;
      case 'EndpointSlice':
        snapshot.endpointSlices.push(o);
        break;
      case 'Namespace':
        snapshot.namespaces.push(o);
        break;
      case 'Secret':
        snapshot.secrets.push(o);
        break;
      case 'GatewayParameters':
        snapshot.gatewayParameters.push(o);
        break;
      case 'GRPCRoute':
        (snapshot.grpcRoutes ??= []).push(o);
        break;
      case 'TCPRoute':
        (snapshot.tcpRoutes ??= []).push(o);
        break;
      case 'UDPRoute':
        (snapshot.udpRoutes ??= []).push(o);
        break;
      case 'TLSRoute':
        (snapshot.tlsRoutes ??= []).push(o);
        break;
      case 'ListenerSet':
        (snapshot.listenerSets ??= []).push(o);
        break;
      case 'BackendTLSPolicy':
        (snapshot.backendTlsPolicies ??= []).push(o);
        break;
      case 'ConfigMap':
        (snapshot.configMaps ??= []).push(o);
        break;
    }
  }
  return snapshot;
}
