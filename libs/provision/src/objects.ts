/**
 * What every provisioned object shares: the Gateway facts it is made from, its metadata
 * (labels, propagated infrastructure annotations, the Gateway as owner) and the hash stamp
 * that lets the applier skip an unchanged object.
 */
import { contentHash } from '@portico/ir';
import {
  COMPONENT,
  dataPlaneName,
  DESIRED_HASH_ANNOTATION,
  gatewayNameLabel,
  LABEL_COMPONENT,
  LABEL_GATEWAY_NAME,
  LABEL_INSTANCE,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  MANAGED_BY,
} from './names.ts';

/** A Secret or ConfigMap the data plane reads, by namespace and name. */
export interface ObjectRef {
  namespace: string;
  name: string;
}

/** What the desired objects need to know about the Gateway. */
export interface GatewayInfo {
  namespace: string;
  name: string;
  uid: string;
  listeners: ReadonlyArray<{ port: number; protocol: string }>;
  /** `spec.infrastructure` labels and annotations, propagated to every object. */
  infrastructure?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /**
   * The Secrets the data plane reads (certificates, keys, CA bundles): only those the graph
   * found usable and permitted (ReferenceGrant), i.e. what its IR names (`readableObjects`),
   * never a raw `certificateRefs` entry, or a Gateway owner could grant their data plane any
   * Secret of the cluster by naming it.
   */
  certificates?: readonly ObjectRef[];
  /** The ConfigMaps the data plane reads (CA bundles of BackendTLSPolicies), the same way. */
  configMaps?: readonly ObjectRef[];
}

/** The kinds provisioning writes. */
export type ProvisionedKind =
  | 'Deployment'
  | 'Service'
  | 'Secret'
  | 'ServiceAccount'
  | 'Role'
  | 'RoleBinding'
  | 'PodDisruptionBudget';

export interface ProvisionedObject {
  apiVersion: string;
  kind: ProvisionedKind;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    ownerReferences: Array<Record<string, unknown>>;
  };
  [field: string]: unknown;
}

/** The labels that select a Gateway's data plane pods (Deployment, Service, PDB). */
export function selectorLabels(gateway: GatewayInfo): Record<string, string> {
  return {
    [LABEL_NAME]: 'portico',
    [LABEL_COMPONENT]: COMPONENT,
    [LABEL_INSTANCE]: dataPlaneName(gateway.name),
  };
}

/** Infrastructure labels first, ours over them: a user label must not break the selector. */
export function labelsOf(gateway: GatewayInfo): Record<string, string> {
  return sorted({
    ...gateway.infrastructure?.labels,
    ...selectorLabels(gateway),
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_GATEWAY_NAME]: gatewayNameLabel(gateway.name),
  });
}

export function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The Gateway as controlling owner: deleting the Gateway deletes the object. */
export function ownerReferences(gateway: GatewayInfo): Array<Record<string, unknown>> {
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      name: gateway.name,
      uid: gateway.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
}

/** Metadata of an object in the Gateway's namespace, owned by the Gateway. */
export function metadata(gateway: GatewayInfo, name: string): ProvisionedObject['metadata'] {
  return {
    name,
    namespace: gateway.namespace,
    labels: labelsOf(gateway),
    annotations: sorted({ ...gateway.infrastructure?.annotations }),
    ownerReferences: ownerReferences(gateway),
  };
}

/** Stamps the desired-hash annotation, computed over the object without it. */
export function stamped(object: ProvisionedObject): ProvisionedObject {
  const hash = contentHash(object);
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: { ...object.metadata.annotations, [DESIRED_HASH_ANNOTATION]: hash },
    },
  };
}
