import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  defaultValidators,
  snapshotFromObjects,
  type SnapshotObject,
} from '@portico/graph';
import type { DataPlaneState } from '../src/index.ts';
import { gatewayStatuses, listenerSetStatuses } from '../src/index.ts';

const controllerName = 'portico.dev/gateway-controller';
const GROUP = 'gateway.networking.k8s.io';
const key = 'gateway/infra/gw';
const now = new Date('2026-05-01T10:00:00Z');
type Json = Record<string, unknown>;

const http = (name: string, hostname: string): Json => ({
  name,
  port: 80,
  protocol: 'HTTP',
  hostname,
  allowedRoutes: { namespaces: { from: 'All' } },
});

function objects(from: string, sets: Array<[string, Json[]]>): SnapshotObject[] {
  return [
    { kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName } },
    {
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: 'infra', generation: 1 },
      spec: {
        gatewayClassName: 'portico',
        listeners: [http('gw', 'gw.example.com')],
        allowedListeners: { namespaces: { from } },
      },
    },
    ...sets.map(([name, listeners]) => ({
      kind: 'ListenerSet',
      metadata: { name, namespace: 'infra', generation: 3 },
      spec: { parentRef: { name: 'gw', namespace: 'infra' }, listeners },
    })),
  ] as unknown as SnapshotObject[];
}

function statuses(from: string, sets: Array<[string, Json[]]>, dataPlane: DataPlaneState) {
  const graph = buildGraph(snapshotFromObjects(objects(from, sets)), {
    controllerName,
    validators: defaultValidators,
  });
  const options = { now, addresses: [{ value: '127.0.0.1' }], dataPlane, irHash: 'h1' };
  return {
    sets: listenerSetStatuses(graph, key, options),
    gateway: gatewayStatuses(graph, key, options).gateway,
  };
}

const pair = (
  conditions: Array<{ type: string; status: string; reason: string }> | undefined,
  type: string,
) => {
  const c = conditions?.find((x) => x.type === type);
  return c && `${c.status}/${c.reason}`;
};

describe('ListenerSet status', () => {
  it.each<[string, string, DataPlaneState, string, string]>([
    [
      'admitted, data plane applied the IR',
      'Same',
      { appliedHash: 'h1' },
      'True/Accepted',
      'True/Programmed',
    ],
    ['admitted, data plane not there yet', 'Same', {}, 'True/Accepted', 'False/Pending'],
    [
      'admitted, data plane refused the IR',
      'Same',
      { error: 'nginx -t failed' },
      'True/Accepted',
      'False/Invalid',
    ],
    [
      'not allowed: Programmed says NotAllowed too',
      'None',
      { appliedHash: 'h1' },
      'False/NotAllowed',
      'False/NotAllowed',
    ],
  ])('%s', (_title, from, dataPlane, accepted, programmed) => {
    const [set] = statuses(from, [['ls', [http('a', 'a.example.com')]]], dataPlane).sets;
    expect(pair(set?.status.conditions, 'Accepted')).toBe(accepted);
    expect(pair(set?.status.conditions, 'Programmed')).toBe(programmed);
    expect(set?.status.conditions.every((c) => c.observedGeneration === 3)).toBe(true);
    expect(set?.status.listeners?.length ?? 0).toBe(from === 'None' ? 0 : 1);
  });

  it('reports a conflicted entry on Accepted, Programmed and Conflicted, by its own name', () => {
    const { sets } = statuses(
      'Same',
      [['ls', [http('clash', 'gw.example.com'), http('ok', 'ok.example.com')]]],
      { appliedHash: 'h1' },
    );
    const entries = sets[0]?.status.listeners ?? [];
    expect(entries.map((e) => e.name)).toEqual(['clash', 'ok']);
    const clash = entries[0]?.conditions;
    expect(['Accepted', 'Programmed', 'Conflicted'].map((t) => pair(clash, t))).toEqual([
      'False/HostnameConflict',
      'False/HostnameConflict',
      'True/HostnameConflict',
    ]);
    expect(pair(entries[1]?.conditions, 'Programmed')).toBe('True/Programmed');
    expect(pair(sets[0]?.status.conditions, 'Accepted')).toBe('True/ListenersNotValid');
  });

  it('keeps set listeners out of the Gateway status and counts attached sets', () => {
    const { gateway } = statuses(
      'Same',
      [
        ['one', [http('a', 'a.example.com')]],
        ['two', [http('b', 'gw.example.com')]],
      ],
      { appliedHash: 'h1' },
    );
    expect(gateway?.status.listeners.map((l) => l.name)).toEqual(['gw']);
    expect(gateway?.status.attachedListenerSets).toBe(1);
  });

  it('removes our route entry for a ListenerSet that is gone, keeping the others', () => {
    const route = {
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'infra', generation: 1 },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{}] },
      status: {
        parents: [
          {
            parentRef: { group: GROUP, kind: 'ListenerSet', name: 'gone', namespace: 'infra' },
            controllerName,
            conditions: [],
          },
          {
            parentRef: { group: GROUP, kind: 'ListenerSet', name: 'gone', namespace: 'infra' },
            controllerName: 'other.dev/x',
            conditions: [],
          },
        ],
      },
    } as unknown as SnapshotObject;
    const graph = buildGraph(snapshotFromObjects([...objects('Same', []), route]), {
      controllerName,
      validators: defaultValidators,
    });
    const options = { now, addresses: [{ value: '127.0.0.1' }], dataPlane: {}, irHash: 'h1' };
    const [result] = gatewayStatuses(graph, key, options).routes;
    const parents = result?.status.parents ?? [];
    expect(
      parents.map(
        (p) => `${p.controllerName} ${p.parentRef.kind ?? 'Gateway'}/${p.parentRef.name}`,
      ),
    ).toEqual(['other.dev/x ListenerSet/gone', `${controllerName} Gateway/gw`]);
    expect(result?.changed).toBe(true);
  });
});
