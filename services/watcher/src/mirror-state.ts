/**
 * The watcher's in-memory view of every watched kind (the stored forms), from which it builds
 * the snapshot that `affectedKeys` reads.
 */
import { emptySnapshot, type Snapshot, type SnapshotObject } from '@portico/graph';
import type { KubeObject } from '@portico/kube';
import { objectKey } from './mirror.ts';

/** The kinds the watcher mirrors, and the snapshot field each fills. */
export const MIRRORED_KINDS = {
  GatewayClass: 'gatewayClasses',
  Gateway: 'gateways',
  HTTPRoute: 'httpRoutes',
  GRPCRoute: 'grpcRoutes',
  TCPRoute: 'tcpRoutes',
  UDPRoute: 'udpRoutes',
  TLSRoute: 'tlsRoutes',
  ListenerSet: 'listenerSets',
  ReferenceGrant: 'referenceGrants',
  Service: 'services',
  EndpointSlice: 'endpointSlices',
  Namespace: 'namespaces',
  Secret: 'secrets',
  GatewayParameters: 'gatewayParameters',
  BackendTLSPolicy: 'backendTlsPolicies',
  ConfigMap: 'configMaps',
} as const satisfies Record<string, keyof Snapshot>;

export type MirroredKind = keyof typeof MIRRORED_KINDS;

export class MirrorState {
  private readonly objects = new Map<MirroredKind, Map<string, KubeObject>>(
    Object.keys(MIRRORED_KINDS).map((kind) => [kind as MirroredKind, new Map()]),
  );

  get(kind: MirroredKind, key: string): KubeObject | undefined {
    return this.objects.get(kind)?.get(key);
  }

  set(kind: MirroredKind, object: KubeObject): void {
    this.objects.get(kind)?.set(objectKey(object), object);
  }

  delete(kind: MirroredKind, key: string): void {
    this.objects.get(kind)?.delete(key);
  }

  list(kind: MirroredKind): KubeObject[] {
    return [...(this.objects.get(kind)?.values() ?? [])];
  }

  snapshot(): Snapshot {
    const snapshot = emptySnapshot() as unknown as Record<keyof Snapshot, KubeObject[]>;
    for (const [kind, field] of Object.entries(MIRRORED_KINDS)) {
      snapshot[field] = this.list(kind as MirroredKind);
    }
    return snapshot as unknown as Snapshot;
  }
}

/** The object as the graph's kind-tagged union (the stored form always carries its kind). */
export function asSnapshotObject(
  kind: MirroredKind,
  object: KubeObject | undefined,
): SnapshotObject | null {
  return object ? ({ ...object, kind } as unknown as SnapshotObject) : null;
}
