import { describe, expect, it } from 'vitest';
import { affectedKeys, snapshotFromObjects, type SnapshotObject } from '../src/index.ts';
import { CONTROLLER_NAME, ROUTE_TO_SECURE } from './support/route-to-secure.ts';

const deps = { controllerName: CONTROLLER_NAME };

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

function secret(name: string, namespace = 'default'): SnapshotObject {
  return {
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'Opaque',
    hasCertificate: false,
    hasKey: false,
    hasCaCertificate: true,
    contentHash: 'cd',
  };
}

/** A policy whose CA is Secret `name`. */
function secretPolicy(service: string, name: string): SnapshotObject {
  const p = policy(service, name) as Extract<SnapshotObject, { kind: 'BackendTLSPolicy' }>;
  return {
    ...p,
    metadata: { ...p.metadata, name: `s-${service}` },
    spec: {
      ...p.spec,
      validation: {
        ...p.spec.validation,
        caCertificateRefs: [{ group: '', kind: 'Secret', name }],
      },
    },
  };
}

describe('affectedKeys for BackendTLSPolicy, ConfigMap and CA Secret', () => {
  const snapshot = snapshotFromObjects([
    ...ROUTE_TO_SECURE,
    policy('secure', 'ca'),
    policy('unused', 'other'),
    secretPolicy('secure', 'ca-secret'),
    secretPolicy('unused', 'unused-secret'),
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
    {
      name: 'the CA Secret of a used policy',
      object: secret('ca-secret'),
      keys: ['gateway/default/gw'],
    },
    { name: 'the CA Secret of a policy nothing uses', object: secret('unused-secret'), keys: [] },
    { name: 'a Secret of that name elsewhere', object: secret('ca-secret', 'elsewhere'), keys: [] },
    { name: 'a ConfigMap named like the CA Secret', object: configMap('ca-secret'), keys: [] },
    { name: 'a Secret named like the CA ConfigMap', object: secret('ca'), keys: [] },
  ])('$name', ({ object, keys }) => {
    expect(affectedKeys(snapshot, null, object, deps)).toEqual(keys);
  });
});
