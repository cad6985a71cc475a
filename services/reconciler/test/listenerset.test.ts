/**
 * ListenerSets through reconcile() on the emulator and Redis, applied with the real kubectl:
 * the Gateway's reconcile writes the sets' status (admitted or NotAllowed), counts
 * attachedListenerSets, writes the route parent of kind ListenerSet, and serves the set
 * listener's hostname in the published IR.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, defaultValidators } from '@portico/graph';
import { dataPlaneListeners } from '../src/data-plane.ts';
import { loadSnapshot, reconcile } from '../src/reconcile.ts';
import { condition, worldPerTest, type Json } from './helpers.ts';

const MANIFEST = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: shared, namespace: default }
spec:
  gatewayClassName: portico
  allowedListeners: { namespaces: { from: Same } }
  listeners:
    - { name: http, port: 80, protocol: HTTP, hostname: shared.example.com }
---
apiVersion: v1
kind: Namespace
metadata: { name: elsewhere }
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: { name: team, namespace: default }
spec:
  parentRef: { name: shared }
  listeners:
    - { name: web, port: 80, protocol: HTTP, hostname: team.example.com }
    - { name: alt, port: 8080, protocol: HTTP, hostname: alt.example.com }
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: { name: outsider, namespace: elsewhere }
spec:
  parentRef: { name: shared, namespace: default }
  listeners:
    - { name: web, port: 9090, protocol: HTTP, hostname: outsider.example.com }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: team-route, namespace: default }
spec:
  parentRefs: [{ group: gateway.networking.k8s.io, kind: ListenerSet, name: team, sectionName: web }]
  rules: [{ backendRefs: [{ name: httpbin, port: 80 }] }]
`;

const ctx = worldPerTest({
  prepare: async (world) => {
    await world.apply(MANIFEST);
    await world.mirror();
  },
});

describe('reconcile with ListenerSets', () => {
  it('writes set, Gateway and route status and serves the set listener', async () => {
    const key = 'gateway/default/shared';
    expect(await reconcile(key, ctx.world.context, ctx.world.deps)).toEqual({ kind: 'done' });

    const team = (await ctx.world.get('ListenerSet', 'team', 'default')) as Json;
    expect(condition(team.status.conditions, 'Accepted')).toMatchObject({
      status: 'True',
      reason: 'Accepted',
      observedGeneration: 1,
    });
    expect(team.status.listeners).toMatchObject([
      { name: 'web', attachedRoutes: 1 },
      { name: 'alt', attachedRoutes: 0 },
    ]);

    const outsider = (await ctx.world.get('ListenerSet', 'outsider', 'elsewhere')) as Json;
    for (const type of ['Accepted', 'Programmed']) {
      expect(condition(outsider.status.conditions, type)).toMatchObject({
        status: 'False',
        reason: 'NotAllowed',
      });
    }

    const gateway = (await ctx.world.get('Gateway', 'shared', 'default')) as Json;
    expect(gateway.status.attachedListenerSets).toBe(1);
    expect((gateway.status.listeners as Json[]).map((l) => l.name)).toEqual(['http']);

    const route = (await ctx.world.get('HTTPRoute', 'team-route', 'default')) as Json;
    expect(route.status.parents).toHaveLength(1);
    expect(route.status.parents[0].parentRef).toMatchObject({
      group: 'gateway.networking.k8s.io',
      kind: 'ListenerSet',
      name: 'team',
      namespace: 'default',
      sectionName: 'web',
    });
    expect(condition(route.status.parents[0].conditions, 'Accepted')).toMatchObject({
      status: 'True',
    });

    const stored = await ctx.world.deps.store.getIR(key);
    const hosts = stored?.ir.httpServers.flatMap((s) => s.virtualHosts.map((v) => v.hostname));
    expect(hosts).toContain('team.example.com');
    expect(hosts).not.toContain('outsider.example.com');
  });

  it('exposes the ports of admitted set listeners on the data plane Service', async () => {
    const snapshot = await loadSnapshot(ctx.world.deps.store);
    const graph = buildGraph(snapshot, {
      controllerName: ctx.world.deps.controllerName,
      validators: defaultValidators,
    });
    const node = graph.gateways.get('gateway/default/shared');
    if (node === undefined) throw new Error('expected the Gateway in the graph');
    // The Gateway's own port, then the admitted set's; the refused set's 9090 is not opened.
    expect(dataPlaneListeners(node)).toEqual([
      { port: 80, protocol: 'HTTP' },
      { port: 80, protocol: 'HTTP' },
      { port: 8080, protocol: 'HTTP' },
    ]);
  });
});
