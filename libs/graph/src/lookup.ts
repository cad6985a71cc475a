/**
 * Lookups over a snapshot, built once per `buildGraph` so that each step reads by key
 * instead of scanning arrays.
 */
import { namespaceOf, nsName } from './keys.ts';
import type { ConfigMapSummary } from './backendtls-types.ts';
import type { EndpointSlice, ReferenceGrant, SecretSummary, Service } from './resources.ts';
import type { Snapshot } from './snapshot.ts';

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** The label the API server puts on every Namespace, so selectors can name one. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface SnapshotLookup {
  /** By `<ns>/<name>`. */
  services: Map<string, Service>;
  /** By the `<ns>/<name>` of the Service they belong to. */
  endpointSlices: Map<string, EndpointSlice[]>;
  /** Secret summaries by `<ns>/<name>`. */
  secrets: Map<string, SecretSummary>;
  /** ConfigMap summaries by `<ns>/<name>` (CA bundles of `tls.frontend`). */
  configMaps: Map<string, ConfigMapSummary>;
  /** By the namespace they live in (the target namespace of the grant). */
  referenceGrants: Map<string, ReferenceGrant[]>;
  /** Labels of a namespace, with the API server's `kubernetes.io/metadata.name`. */
  namespaceLabels(namespace: string): Record<string, string>;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/** Indexes the snapshot by the keys the graph steps look up. */
export function indexSnapshot(snapshot: Snapshot): SnapshotLookup {
  const namespaces = new Map(snapshot.namespaces.map((ns) => [ns.metadata.name, ns]));
  return {
    services: new Map(snapshot.services.map((s) => [nsName(s.metadata), s])),
    endpointSlices: groupBy(snapshot.endpointSlices, (slice) => {
      const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      return service === undefined ? undefined : `${namespaceOf(slice.metadata)}/${service}`;
    }),
    secrets: new Map(snapshot.secrets.map((s) => [nsName(s.metadata), s])),
    configMaps: new Map((snapshot.configMaps ?? []).map((c) => [nsName(c.metadata), c])),
    referenceGrants: groupBy(snapshot.referenceGrants, (g) => namespaceOf(g.metadata)),
    namespaceLabels: (namespace) => ({
      ...namespaces.get(namespace)?.metadata.labels,
      [NAMESPACE_NAME_LABEL]: namespace,
    }),
  };
}
