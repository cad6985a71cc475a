import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStore, type StoredObject } from '@portico/store';
import { loadSnapshot } from '../src/reconcile.ts';
import { redisPerFile } from './helpers.ts';

const redis = redisPerFile();

const object = (kind: string, name: string, namespace?: string): StoredObject =>
  ({ kind, metadata: { name, ...(namespace ? { namespace } : {}) } }) as StoredObject;

describe('loadSnapshot', () => {
  it('reads every kind from the store into its snapshot field, sorted by key', async () => {
    const store = createStore({ connection: redis.url, prefix: `t-${randomUUID().slice(0, 8)}` });
    try {
      await store.putObject('GatewayClass', object('GatewayClass', 'portico'));
      await store.putObject('Gateway', object('Gateway', 'b', 'default'));
      await store.putObject('Gateway', object('Gateway', 'a', 'default'));
      await store.putObject('HTTPRoute', object('HTTPRoute', 'r', 'team'));
      await store.putObject('GRPCRoute', object('GRPCRoute', 'g', 'team'));
      await store.putObject('TCPRoute', object('TCPRoute', 'tcp', 'team'));
      await store.putObject('UDPRoute', object('UDPRoute', 'udp', 'team'));
      await store.putObject('TLSRoute', object('TLSRoute', 'tls', 'team'));
      await store.putObject('ListenerSet', object('ListenerSet', 'ls', 'team'));
      await store.putObject('Service', object('Service', 's', 'default'));
      await store.putObject('EndpointSlice', object('EndpointSlice', 's-1', 'default'));
      await store.putObject('Namespace', object('Namespace', 'team'));
      await store.putObject('Secret', object('Secret', 'cert', 'default'));
      await store.putObject('ConfigMap', object('ConfigMap', 'ca', 'default'));
      await store.putObject('BackendTLSPolicy', object('BackendTLSPolicy', 'p', 'default'));
      await store.putObject('Deployment', object('Deployment', 'not-in-the-snapshot', 'default'));

      const snapshot = await loadSnapshot(store);
      const names = Object.fromEntries(
        Object.entries(snapshot).map(([field, objects]) => [
          field,
          (objects as StoredObject[]).map((o) => o.metadata.name),
        ]),
      );
      expect(names).toEqual({
        gatewayClasses: ['portico'],
        gateways: ['a', 'b'],
        httpRoutes: ['r'],
        grpcRoutes: ['g'],
        tcpRoutes: ['tcp'],
        udpRoutes: ['udp'],
        tlsRoutes: ['tls'],
        listenerSets: ['ls'],
        referenceGrants: [],
        services: ['s'],
        endpointSlices: ['s-1'],
        namespaces: ['team'],
        secrets: ['cert'],
        gatewayParameters: [],
        backendTlsPolicies: ['p'],
        configMaps: ['ca'],
      });
    } finally {
      await store.close();
    }
  });
});
