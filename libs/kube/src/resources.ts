/**
 * The resource types Portico reads or writes, and the REST paths of their collections and
 * objects. One table, so a new kind is one entry.
 */
export interface ResourceType {
  kind: string;
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export const RESOURCES = {
  GatewayClass: {
    kind: 'GatewayClass',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'gatewayclasses',
    namespaced: false,
  },
  Gateway: {
    kind: 'Gateway',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'gateways',
    namespaced: true,
  },
  HTTPRoute: {
    kind: 'HTTPRoute',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'httproutes',
    namespaced: true,
  },
  GRPCRoute: {
    kind: 'GRPCRoute',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'grpcroutes',
    namespaced: true,
  },
  TCPRoute: {
    kind: 'TCPRoute',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'tcproutes',
    namespaced: true,
  },
  UDPRoute: {
    kind: 'UDPRoute',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'udproutes',
    namespaced: true,
  },
  TLSRoute: {
    kind: 'TLSRoute',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'tlsroutes',
    namespaced: true,
  },
  ListenerSet: {
    kind: 'ListenerSet',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'listenersets',
    namespaced: true,
  },
  BackendTLSPolicy: {
    kind: 'BackendTLSPolicy',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'backendtlspolicies',
    namespaced: true,
  },
  ConfigMap: {
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    plural: 'configmaps',
    namespaced: true,
  },
  ReferenceGrant: {
    kind: 'ReferenceGrant',
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'referencegrants',
    namespaced: true,
  },
  Namespace: {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    namespaced: false,
  },
  Service: { kind: 'Service', group: '', version: 'v1', plural: 'services', namespaced: true },
  Secret: { kind: 'Secret', group: '', version: 'v1', plural: 'secrets', namespaced: true },
  EndpointSlice: {
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    namespaced: true,
  },
  Deployment: {
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    namespaced: true,
  },
  GatewayParameters: {
    kind: 'GatewayParameters',
    group: 'portico.dev',
    version: 'v1alpha1',
    plural: 'gatewayparameters',
    namespaced: true,
  },
  Lease: {
    kind: 'Lease',
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    namespaced: true,
  },
} as const satisfies Record<string, ResourceType>;

export type ResourceKind = keyof typeof RESOURCES;

export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

function groupVersionPath(type: ResourceType): string {
  return type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
}

/** The collection path; all namespaces when `namespace` is absent. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(type)}${ns}/${type.plural}`;
}

export function objectPath(
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource?: 'status',
): string {
  const base = `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${base}/${subresource}` : base;
}
