import { describe, expect, it } from 'vitest';
import { affectedKeys, snapshotFromObjects, type SnapshotObject } from '../src/index.ts';

const deps = { controllerName: 'portico.dev/gateway-controller' };

function gateway(name: string, frontend: unknown): SnapshotObject {
  return {
    kind: 'Gateway',
    metadata: { name, namespace: 'infra' },
    spec: {
      gatewayClassName: 'portico',
      listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }],
      tls: { frontend },
    },
  } as SnapshotObject;
}

function configMap(name: string, namespace = 'infra'): SnapshotObject {
  return {
    kind: 'ConfigMap',
    metadata: { name, namespace },
    hasCaCertificate: true,
    contentHash: 'ab',
  };
}

const caRef = (name: string, namespace?: string) => ({
  group: '',
  kind: 'ConfigMap',
  name,
  ...(namespace === undefined ? {} : { namespace }),
});

describe('affectedKeys for the CA ConfigMaps of tls.frontend', () => {
  const snapshot = snapshotFromObjects([
    { kind: 'GatewayClass', metadata: { name: 'portico' }, spec: deps },
    gateway('by-default', { default: { validation: { caCertificateRefs: [caRef('ca')] } } }),
    gateway('by-port', {
      default: { validation: { caCertificateRefs: [caRef('ca')] } },
      perPort: [
        { port: 443, tls: { validation: { caCertificateRefs: [caRef('shared', 'cas')] } } },
      ],
    }),
  ]);
  it.each<{ name: string; object: SnapshotObject; keys: string[] }>([
    {
      name: 'the default CA names both Gateways',
      object: configMap('ca'),
      keys: ['gateway/infra/by-default', 'gateway/infra/by-port'],
    },
    {
      name: 'a per-port CA in another namespace',
      object: configMap('shared', 'cas'),
      keys: ['gateway/infra/by-port'],
    },
    { name: 'a ConfigMap of that name elsewhere', object: configMap('ca', 'cas'), keys: [] },
    { name: 'an unrelated ConfigMap', object: configMap('app-settings'), keys: [] },
  ])('$name', ({ object, keys }) => {
    expect([...affectedKeys(snapshot, null, object, deps)].sort()).toEqual(keys);
  });
});
