/** A small world: our class, one Gateway on :80, one route, its Service with one endpoint. */
import type {
  Gateway,
  HTTPRoute,
  RouteParentStatus,
  Snapshot,
  SnapshotObject,
} from '@portico/graph';
import { buildGraph, defaultValidators, snapshotFromObjects } from '@portico/graph';

export const controllerName = 'portico.dev/gateway-controller';

export function gateway(
  over: Partial<Gateway['spec']> = {},
  status?: Gateway['status'],
): SnapshotObject {
  return {
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'default', generation: 4 },
    spec: {
      gatewayClassName: 'portico',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
      ...over,
    },
    ...(status === undefined ? {} : { status }),
  };
}

export function route(
  parents: HTTPRoute['spec']['parentRefs'],
  status: RouteParentStatus[] = [],
): SnapshotObject {
  return {
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'default', generation: 9 },
    spec: { parentRefs: parents, rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    status: { parents: status },
  };
}

export function world(...objects: SnapshotObject[]): Snapshot {
  return snapshotFromObjects([
    {
      kind: 'GatewayClass',
      metadata: { name: 'portico', generation: 2 },
      spec: { controllerName },
    },
    {
      kind: 'Gateway',
      metadata: { name: 'other-gw', namespace: 'default', generation: 1 },
      spec: {
        gatewayClassName: 'portico',
        listeners: [{ name: 'http', port: 8080, protocol: 'HTTP' }],
      },
    },
    {
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    },
    {
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-1',
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'web' },
      },
      addressType: 'IPv4',
      ports: [{ port: 3000 }],
      endpoints: [{ addresses: ['10.0.0.1'] }],
    },
    ...objects,
  ]);
}

export function graphOf(snapshot: Snapshot) {
  return buildGraph(snapshot, { controllerName, validators: defaultValidators });
}
