/** `affectedKeys` for TCPRoute, UDPRoute and TLSRoute changes and what they reference. */
import { describe, expect, it } from 'vitest';
import type { SnapshotObject } from '../src/index.ts';
import { affectedKeys, snapshotFromObjects } from '../src/index.ts';

const deps = { controllerName: 'portico.dev/gateway-controller' };
const objects = [
  {
    kind: 'GatewayClass',
    metadata: { name: 'portico' },
    spec: { controllerName: deps.controllerName },
  },
  {
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'infra' },
    spec: {
      gatewayClassName: 'portico',
      listeners: [{ name: 'tcp', port: 9000, protocol: 'TCP' }],
    },
  },
  {
    kind: 'TCPRoute',
    metadata: { name: 'tcp', namespace: 'apps' },
    spec: {
      parentRefs: [{ name: 'gw', namespace: 'infra' }],
      rules: [{ backendRefs: [{ name: 'db', namespace: 'data', port: 5432 }] }],
    },
  },
  {
    kind: 'UDPRoute',
    metadata: { name: 'dns', namespace: 'infra' },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'dns', port: 53 }] }] },
  },
] as unknown as SnapshotObject[];
const snapshot = snapshotFromObjects(objects);

const grant = (fromKind: string) =>
  ({
    kind: 'ReferenceGrant',
    metadata: { name: 'g', namespace: 'data' },
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: fromKind, namespace: 'apps' }],
      to: [{ group: '', kind: 'Service' }],
    },
  }) as unknown as SnapshotObject;
const service = (namespace: string, name: string) =>
  ({ kind: 'Service', metadata: { name, namespace }, spec: {} }) as unknown as SnapshotObject;

describe('affectedKeys for stream routes', () => {
  it.each([
    ['a TCPRoute naming our Gateway', objects[2] ?? null, ['gateway/infra/gw']],
    ['a UDPRoute naming our Gateway', objects[3] ?? null, ['gateway/infra/gw']],
    ['a Service a TCPRoute uses across namespaces', service('data', 'db'), ['gateway/infra/gw']],
    ['a Service a UDPRoute uses', service('infra', 'dns'), ['gateway/infra/gw']],
    ['a Service nothing uses', service('infra', 'other'), []],
    [
      'a ReferenceGrant from TCPRoutes of the route namespace',
      grant('TCPRoute'),
      ['gateway/infra/gw'],
    ],
    ['a ReferenceGrant from HTTPRoutes only', grant('HTTPRoute'), []],
  ] as const)('%s', (_, object, keys) => {
    expect(affectedKeys(snapshot, null, object, deps)).toEqual(keys);
  });
});
