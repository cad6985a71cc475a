import { describe, expect, it } from 'vitest';
import { affectedKeys, snapshotFromObjects, type SnapshotObject } from '../src/index.ts';

const deps = { controllerName: 'portico.dev/gateway-controller' };
const objects: SnapshotObject[] = [
  { kind: 'GatewayClass', metadata: { name: 'portico' }, spec: deps },
  {
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'default' },
    spec: {
      gatewayClassName: 'portico',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
    },
  },
  {
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'gw' }],
      rules: [{ backendRefs: [{ name: 'secure', port: 443 }] }],
    },
  },
];

function policy(service: string, configMap: string): SnapshotObject {
  return {
    kind: 'BackendTLSPolicy',
    metadata: { name: `p-${service}`, namespace: 'default' },
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: service }],
      validation: {
        caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: configMap }],
        hostname: 'x.example.com',
      },
    },
  };
}

function configMap(name: string, namespace = 'default'): SnapshotObject {
  return {
    kind: 'ConfigMap',
    metadata: { name, namespace },
    hasCaCertificate: true,
    contentHash: 'ab',
  };
}

describe('affectedKeys for BackendTLSPolicy and ConfigMap', () => {
  const snapshot = snapshotFromObjects([
    ...objects,
    policy('secure', 'ca'),
    policy('unused', 'other'),
  ]);
  it.each<{ name: string; object: SnapshotObject; keys: string[] }>([
    {
      name: 'a policy for a Service a route uses',
      object: policy('secure', 'ca'),
      keys: ['gateway/default/gw'],
    },
    { name: 'a policy for a Service no route uses', object: policy('unused', 'ca'), keys: [] },
    {
      name: 'the CA ConfigMap of a used policy',
      object: configMap('ca'),
      keys: ['gateway/default/gw'],
    },
    { name: 'the CA of a policy nothing uses', object: configMap('other'), keys: [] },
    { name: 'a ConfigMap of that name elsewhere', object: configMap('ca', 'elsewhere'), keys: [] },
    { name: 'an unrelated ConfigMap', object: configMap('app-settings'), keys: [] },
  ])('$name', ({ object, keys }) => {
    expect(affectedKeys(snapshot, null, object, deps)).toEqual(keys);
  });
});
