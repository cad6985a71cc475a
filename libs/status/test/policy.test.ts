import { describe, expect, it } from 'vitest';
import type { PolicyAncestorStatus, SnapshotObject } from '@portico/graph';
import { backendTlsPolicyStatuses } from '../src/index.ts';
import { controllerName, gateway, graphOf, route, world } from './fixtures.ts';

const NOW = new Date('2026-11-27T06:00:00Z');
const KEY = 'gateway/default/gw';
const ref = (name: string) => ({
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  namespace: 'default',
  name,
});
const configMap: SnapshotObject = {
  kind: 'ConfigMap',
  metadata: { name: 'ca', namespace: 'default' },
  hasCaCertificate: true,
  contentHash: 'abcd',
};
const MESSAGES: Record<string, string> = {
  Accepted: 'Policy has been accepted',
  ResolvedRefs: 'All references resolved',
};
const condition = (type: string, reason: string, time = '2026-11-27T06:00:00Z') => ({
  type,
  status: 'True',
  reason,
  message: MESSAGES[reason] ?? '',
  observedGeneration: 3,
  lastTransitionTime: time,
});
const ours = (name: string, time?: string): PolicyAncestorStatus => ({
  ancestorRef: ref(name),
  controllerName,
  conditions: [
    condition('Accepted', 'Accepted', time),
    condition('ResolvedRefs', 'ResolvedRefs', time),
  ],
});
const foreign: PolicyAncestorStatus = {
  ancestorRef: ref('gw'),
  controllerName: 'example.com/other',
  conditions: [],
};

function policy(ancestors: PolicyAncestorStatus[]): SnapshotObject {
  return {
    kind: 'BackendTLSPolicy',
    metadata: { name: 'tls', namespace: 'default', generation: 3 },
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: 'web' }],
      validation: {
        caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }],
        hostname: 'web.example.com',
      },
    },
    status: { ancestors },
  };
}

const used = route([{ name: 'gw' }]);
const unused = route([{ name: 'other-gw' }]);

describe('backendTlsPolicyStatuses', () => {
  it.each<{
    name: string;
    route: SnapshotObject;
    current: PolicyAncestorStatus[];
    ancestors: PolicyAncestorStatus[];
    changed: boolean;
  }>([
    {
      name: 'a new entry goes after another controller’s entry for the same Gateway',
      route: used,
      current: [foreign],
      ancestors: [foreign, ours('gw')],
      changed: true,
    },
    {
      name: 'an unchanged entry keeps its transition time and is not written',
      route: used,
      current: [ours('gw', '2026-01-01T00:00:00Z')],
      ancestors: [ours('gw', '2026-01-01T00:00:00Z')],
      changed: false,
    },
    {
      name: 'no route of this Gateway uses the Service any more: only our entry for it goes',
      route: unused,
      current: [ours('other-gw'), foreign, ours('gw')],
      ancestors: [ours('other-gw'), foreign],
      changed: true,
    },
  ])('$name', ({ route: r, current, ancestors, changed }) => {
    const graph = graphOf(world(gateway(), r, configMap, policy(current)));
    const [result] = backendTlsPolicyStatuses(graph, KEY, NOW);
    expect(result).toEqual({ namespace: 'default', name: 'tls', status: { ancestors }, changed });
  });

  it('leaves policies alone that neither concern the Gateway nor hold an entry for it', () => {
    const graph = graphOf(world(gateway(), unused, configMap, policy([foreign])));
    expect(backendTlsPolicyStatuses(graph, KEY, NOW)).toEqual([]);
  });
});
