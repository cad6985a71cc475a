/**
 * Stream routes through reconcile() on the emulator and Redis, applied with the real kubectl:
 * a TCPRoute and a TLSRoute on a Gateway with TCP and TLS passthrough listeners get their
 * status.parents, the listeners count them, and the published IR carries the stream servers.
 */
import { describe, expect, it } from 'vitest';
import { reconcile } from '../src/reconcile.ts';
import { condition, worldPerTest, type Json } from './helpers.ts';

const MANIFEST = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: l4, namespace: default }
spec:
  gatewayClassName: portico
  listeners:
    - { name: tcp, port: 9000, protocol: TCP }
    - { name: tls, port: 443, protocol: TLS, tls: { mode: Passthrough } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: { name: tcp, namespace: default }
spec:
  parentRefs: [{ name: l4, sectionName: tcp }]
  rules: [{ backendRefs: [{ name: httpbin, port: 80 }] }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: { name: tls, namespace: default }
spec:
  parentRefs: [{ name: l4, sectionName: tls }]
  hostnames: [secure.example.com]
  rules: [{ backendRefs: [{ name: missing, port: 443 }] }]
`;

const ctx = worldPerTest({
  prepare: async (world) => {
    await world.apply(MANIFEST);
    await world.mirror();
  },
});

describe('reconcile with stream routes', () => {
  it('writes TCPRoute and TLSRoute status, counts them, and publishes stream servers', async () => {
    expect(await reconcile('gateway/default/l4', ctx.world.context, ctx.world.deps)).toEqual({
      kind: 'done',
    });
    const tcp = (await ctx.world.get('TCPRoute', 'tcp', 'default')) as Json;
    const tcpParent = tcp.status.parents[0] as Json;
    expect(tcpParent.parentRef).toMatchObject({ kind: 'Gateway', name: 'l4', sectionName: 'tcp' });
    expect(condition(tcpParent.conditions, 'Accepted')).toMatchObject({ status: 'True' });
    expect(condition(tcpParent.conditions, 'ResolvedRefs')).toMatchObject({ status: 'True' });

    const tls = (await ctx.world.get('TLSRoute', 'tls', 'default')) as Json;
    expect(condition(tls.status.parents[0].conditions, 'Accepted')).toMatchObject({
      status: 'True',
    });
    expect(condition(tls.status.parents[0].conditions, 'ResolvedRefs')).toMatchObject({
      status: 'False',
      reason: 'BackendNotFound',
    });

    const gateway = (await ctx.world.get('Gateway', 'l4', 'default')) as Json;
    expect((gateway.status.listeners as Json[]).map((l) => [l.name, l.attachedRoutes])).toEqual([
      ['tcp', 1],
      ['tls', 1],
    ]);

    const stored = await ctx.world.store.getIR('gateway/default/l4');
    expect(stored?.ir.streamServers).toEqual([
      {
        port: 443,
        transport: 'tcp',
        protocol: 'TLS',
        routes: [
          {
            hostname: 'secure.example.com',
            source: { kind: 'TLSRoute', namespace: 'default', name: 'tls' },
            backends: [{ upstream: null, weight: 1 }],
          },
        ],
      },
      {
        port: 9000,
        transport: 'tcp',
        protocol: 'TCP',
        routes: [
          {
            hostname: '*',
            source: { kind: 'TCPRoute', namespace: 'default', name: 'tcp' },
            backends: [{ upstream: 'default__httpbin__80', weight: 1 }],
          },
        ],
      },
    ]);
    expect(stored?.ir.upstreams.map((u) => u.name)).toEqual(['default__httpbin__80']);
  });
});
