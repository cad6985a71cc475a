import { describe, expect, it } from 'vitest';
import {
  affectedKeys,
  buildGatewayIR,
  buildGraph,
  defaultValidators,
  snapshotFromObjects,
  type Graph,
  type SnapshotObject,
} from '../src/index.ts';

const controllerName = 'portico.dev/gateway-controller';
const GROUP = 'gateway.networking.k8s.io';
type Json = Record<string, unknown>;

const cls: SnapshotObject = {
  kind: 'GatewayClass',
  metadata: { name: 'portico' },
  spec: { controllerName },
  status: { conditions: [] },
} as unknown as SnapshotObject;

function listener(name: string, hostname?: string, extra: Json = {}): Json {
  return {
    name,
    port: 80,
    protocol: 'HTTP',
    ...(hostname ? { hostname } : {}),
    allowedRoutes: { namespaces: { from: 'All' } },
    ...extra,
  };
}

function gateway(allowed?: Json, listeners = [listener('gw', 'gw.example.com')]): SnapshotObject {
  return {
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'infra', generation: 1 },
    spec: {
      gatewayClassName: 'portico',
      listeners,
      ...(allowed ? { allowedListeners: { namespaces: allowed } } : {}),
    },
  } as unknown as SnapshotObject;
}

function listenerSet(
  namespace: string,
  name: string,
  listeners: Json[],
  created = '2026-01-01T00:00:00Z',
): SnapshotObject {
  return {
    kind: 'ListenerSet',
    metadata: { name, namespace, generation: 1, creationTimestamp: created },
    spec: {
      parentRef: { group: GROUP, kind: 'Gateway', name: 'gw', namespace: 'infra' },
      listeners,
    },
  } as unknown as SnapshotObject;
}

function ns(name: string, labels: Record<string, string> = {}): SnapshotObject {
  return { kind: 'Namespace', metadata: { name, labels } } as unknown as SnapshotObject;
}

function route(namespace: string, name: string, parentRefs: Json[], path = '/'): SnapshotObject {
  return {
    kind: 'HTTPRoute',
    metadata: { name, namespace, generation: 1 },
    spec: { parentRefs, rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }] }] },
  } as unknown as SnapshotObject;
}

const setRef = (namespace: string, name: string, sectionName?: string): Json => ({
  group: GROUP,
  kind: 'ListenerSet',
  namespace,
  name,
  ...(sectionName ? { sectionName } : {}),
});
const gwRef = (sectionName?: string): Json => ({
  name: 'gw',
  namespace: 'infra',
  ...(sectionName ? { sectionName } : {}),
});

function build(objects: SnapshotObject[]): Graph {
  return buildGraph(snapshotFromObjects([cls, ...objects]), {
    controllerName,
    validators: defaultValidators,
  });
}

const gatewayOf = (graph: Graph) => graph.gateways.get('gateway/infra/gw');
const setOf = (graph: Graph, key: string) =>
  gatewayOf(graph)?.listenerSets?.find((s) => s.key === key);
const acceptedOf = (graph: Graph, key: string) => {
  const c = setOf(graph, key)?.conditions.find((x) => x.type === 'Accepted');
  return c && `${c.status}/${c.reason}`;
};
const entry = (graph: Graph, key: string, name: string) =>
  setOf(graph, key)?.listeners.find((l) => l.source.name === name);
const conditionOf = (graph: Graph, key: string, name: string, type: string) => {
  const c = entry(graph, key, name)?.conditions.find((x) => x.type === type);
  return c && `${c.status}/${c.reason}`;
};

describe('which ListenerSets a Gateway admits (spec.allowedListeners)', () => {
  const team = [listener('team', 'team.example.com')];
  it.each<[string, Json | undefined, string, string, number]>([
    ['no allowedListeners: None by default', undefined, 'infra', 'False/NotAllowed', 0],
    ['None', { from: 'None' }, 'infra', 'False/NotAllowed', 0],
    ['Same, set in the Gateway namespace', { from: 'Same' }, 'infra', 'True/Accepted', 1],
    ['Same, set in another namespace', { from: 'Same' }, 'apps', 'False/NotAllowed', 0],
    ['All, set in another namespace', { from: 'All' }, 'apps', 'True/Accepted', 1],
    [
      'Selector matching the set namespace labels',
      { from: 'Selector', selector: { matchLabels: { team: 'yes' } } },
      'labelled',
      'True/Accepted',
      1,
    ],
    [
      'Selector not matching',
      { from: 'Selector', selector: { matchLabels: { team: 'yes' } } },
      'apps',
      'False/NotAllowed',
      0,
    ],
  ])('%s', (_title, allowed, namespace, expected, attached) => {
    const graph = build([
      gateway(allowed),
      ns('labelled', { team: 'yes' }),
      ns('apps'),
      listenerSet(namespace, 'ls', team),
    ]);
    expect(acceptedOf(graph, `${namespace}/ls`)).toBe(expected);
    expect(gatewayOf(graph)?.attachedListenerSets).toBe(attached);
    const merged = gatewayOf(graph)?.listeners.filter((l) => l.listenerSet !== undefined) ?? [];
    expect(merged.map((l) => l.source.name)).toEqual(attached === 1 ? ['team'] : []);
  });

  it('refuses every set of a Gateway that is not accepted (ParentNotAccepted)', () => {
    const bad = [listener('bad', undefined, { protocol: 'NOPE' })];
    const graph = build([
      gateway({ from: 'All' }, bad),
      listenerSet('infra', 'ls', [listener('a')]),
    ]);
    expect(gatewayOf(graph)?.accepted).toBe(false);
    expect(acceptedOf(graph, 'infra/ls')).toBe('False/ParentNotAccepted');
  });

  it('leaves attachedListenerSets out for a Gateway that admits none and is named by none', () => {
    expect(gatewayOf(build([gateway()]))?.attachedListenerSets).toBeUndefined();
    expect(gatewayOf(build([gateway({ from: 'All' })]))?.attachedListenerSets).toBe(0);
  });
});

describe('conflicts across the merged listeners (the earlier listener wins)', () => {
  const allowed = { from: 'All' };
  it.each<[string, SnapshotObject[], string, string, string]>([
    [
      'a set hostname already used by the Gateway',
      [
        listenerSet('infra', 'a', [
          listener('x', 'gw.example.com'),
          listener('ok', 'ok.example.com'),
        ]),
      ],
      'infra/a',
      'x',
      'False/HostnameConflict',
    ],
    [
      'a TCP listener on the Gateway HTTP port',
      [listenerSet('infra', 'a', [listener('tcp', undefined, { protocol: 'TCP' })])],
      'infra/a',
      'tcp',
      'False/ProtocolConflict',
    ],
    [
      'the same hostname in two sets: the older set keeps it, whatever the names',
      [
        listenerSet('infra', 'a-newer', [listener('x', 'x.example.com')], '2026-01-02T00:00:00Z'),
        listenerSet('infra', 'z-older', [listener('x', 'x.example.com')], '2026-01-01T00:00:00Z'),
      ],
      'infra/a-newer',
      'x',
      'False/HostnameConflict',
    ],
    [
      'the same hostname in two sets of one age: the first by namespace/name keeps it',
      [
        listenerSet('infra', 'b', [listener('x', 'x.example.com')]),
        listenerSet('infra', 'a', [listener('x', 'x.example.com')]),
      ],
      'infra/b',
      'x',
      'False/HostnameConflict',
    ],
  ])('%s', (_title, sets, key, name, expected) => {
    const graph = build([gateway(allowed), ...sets]);
    expect(conditionOf(graph, key, name, 'Accepted')).toBe(expected);
    expect(conditionOf(graph, key, name, 'Conflicted')).toBe(`True/${expected.split('/')[1]}`);
    expect(entry(graph, key, name)?.served).toBe(false);
    // The Gateway's own listener is untouched.
    const own = gatewayOf(graph)?.listeners.find((l) => l.listenerSet === undefined);
    expect(own?.accepted).toBe(true);
  });

  it('orders listeners of one set by their spec order: the first of a clashing pair wins', () => {
    const graph = build([
      gateway(allowed),
      listenerSet('infra', 'a', [
        listener('web', 'web.example.com'),
        listener('tcp', undefined, { protocol: 'TCP' }),
      ]),
    ]);
    expect(conditionOf(graph, 'infra/a', 'web', 'Accepted')).toBe('True/Accepted');
    expect(conditionOf(graph, 'infra/a', 'tcp', 'Accepted')).toBe('False/ProtocolConflict');
    expect(acceptedOf(graph, 'infra/a')).toBe('True/ListenersNotValid');
  });

  it('keeps a set Accepted (ListenersNotValid) while one listener is valid, refuses it when none is', () => {
    const graph = build([
      gateway(allowed),
      listenerSet('infra', 'partly', [
        listener('x', 'gw.example.com'),
        listener('ok', 'ok.example.com'),
      ]),
      listenerSet('infra', 'wholly', [listener('x', 'gw.example.com')]),
    ]);
    expect(acceptedOf(graph, 'infra/partly')).toBe('True/ListenersNotValid');
    expect(acceptedOf(graph, 'infra/wholly')).toBe('False/ListenersNotValid');
    expect(gatewayOf(graph)?.attachedListenerSets).toBe(1);
  });
});

describe('routes and ListenerSets', () => {
  const objects = [
    gateway({ from: 'All' }),
    ns('apps'),
    listenerSet('apps', 'ls', [
      listener('one', 'one.example.com'),
      listener('same', 'same.example.com', { allowedRoutes: { namespaces: { from: 'Same' } } }),
    ]),
  ];
  const parentOf = (graph: Graph, key: string) => graph.routes.get(key)?.parents[0];

  it.each<[string, SnapshotObject, string, string[]]>([
    [
      'a Gateway parentRef sees only the Gateway listeners',
      route('infra', 'r', [gwRef()]),
      'True/Accepted',
      ['gw'],
    ],
    [
      'a Gateway parentRef naming a set listener is NoMatchingParent',
      route('infra', 'r', [gwRef('one')]),
      'False/NoMatchingParent',
      [],
    ],
    [
      'a set parentRef reaches every set listener that allows the route',
      route('apps', 'r', [setRef('apps', 'ls')]),
      'True/Accepted',
      ['one', 'same'],
    ],
    [
      'Same on a set listener means the set namespace, not the Gateway one',
      route('infra', 'r', [setRef('apps', 'ls', 'same')]),
      'False/NotAllowedByListeners',
      [],
    ],
    [
      'a set parentRef with sectionName binds that listener only',
      route('infra', 'r', [setRef('apps', 'ls', 'one')]),
      'True/Accepted',
      ['one'],
    ],
  ])('%s', (_title, r, accepted, listeners) => {
    const graph = build([...objects, r]);
    const key = `${(r.metadata as { namespace: string }).namespace}/r`;
    const parent = parentOf(graph, key);
    expect(parent && `${parent.accepted.status}/${parent.accepted.reason}`).toBe(accepted);
    const gw = gatewayOf(graph);
    const bound = (parent?.bindings ?? []).map(
      (b) => gw?.listeners.find((l) => l.name === b.listenerName)?.source.name,
    );
    expect(bound).toEqual(listeners);
  });

  it('counts attached routes on set listeners and serves their hostnames', () => {
    const graph = build([...objects, route('apps', 'r', [setRef('apps', 'ls')], '/team')]);
    expect(entry(graph, 'apps/ls', 'one')?.attachedRoutes).toBe(1);
    expect(gatewayOf(graph)?.listeners.find((l) => l.name === 'gw')?.attachedRoutes).toBe(0);
    const hosts = buildGatewayIR(graph, 'gateway/infra/gw')?.httpServers.flatMap((s) =>
      s.virtualHosts.map((v) => v.hostname),
    );
    expect(hosts).toEqual(expect.arrayContaining(['one.example.com', 'same.example.com']));
  });
});

describe('certificates of set listeners', () => {
  const https = listener('secure', 'secure.example.com', {
    port: 443,
    protocol: 'HTTPS',
    tls: { certificateRefs: [{ group: '', kind: 'Secret', name: 'cert', namespace: 'certs' }] },
  });
  const secret = {
    kind: 'Secret',
    metadata: { name: 'cert', namespace: 'certs' },
    type: 'kubernetes.io/tls',
    hasCertificate: true,
    hasKey: true,
    contentHash: 'abc',
  } as unknown as SnapshotObject;
  const grant = (kind: string): SnapshotObject =>
    ({
      kind: 'ReferenceGrant',
      metadata: { name: `from-${kind}`, namespace: 'certs' },
      spec: {
        from: [{ group: GROUP, kind, namespace: 'infra' }],
        to: [{ group: '', kind: 'Secret' }],
      },
    }) as unknown as SnapshotObject;

  it.each<[string, SnapshotObject[], string]>([
    ['no grant: RefNotPermitted', [], 'False/RefNotPermitted'],
    [
      'a grant from Gateways does not cover ListenerSets',
      [grant('Gateway')],
      'False/RefNotPermitted',
    ],
    ['a grant from ListenerSets', [grant('ListenerSet')], 'True/ResolvedRefs'],
  ])('%s', (_title, grants, expected) => {
    const graph = build([
      gateway({ from: 'Same' }),
      secret,
      ...grants,
      listenerSet('infra', 'ls', [https]),
    ]);
    expect(conditionOf(graph, 'infra/ls', 'secure', 'ResolvedRefs')).toBe(expected);
    expect(acceptedOf(graph, 'infra/ls')).toBe(
      expected.startsWith('True') ? 'True/Accepted' : 'False/ListenersNotValid',
    );
  });
});

describe('affectedKeys through ListenerSets', () => {
  const state = snapshotFromObjects([
    cls,
    gateway({ from: 'All' }),
    listenerSet('apps', 'ls', [
      listener('secure', 's.example.com', {
        port: 443,
        protocol: 'HTTPS',
        tls: { certificateRefs: [{ name: 'cert', namespace: 'certs' }] },
      }),
    ]),
  ]);
  const key = ['gateway/infra/gw'];
  it.each<[string, SnapshotObject, string[]]>([
    ['a ListenerSet change: its Gateway', listenerSet('apps', 'ls', []), key],
    [
      'a set of a Gateway that is not ours: nothing',
      {
        ...listenerSet('apps', 'other', []),
        spec: { parentRef: { name: 'elsewhere', namespace: 'infra' }, listeners: [] },
      } as unknown as SnapshotObject,
      [],
    ],
    ['a route naming the set: its Gateway', route('apps', 'r', [setRef('apps', 'ls')]), key],
    [
      'a Secret a set listener uses',
      {
        kind: 'Secret',
        metadata: { name: 'cert', namespace: 'certs' },
      } as unknown as SnapshotObject,
      key,
    ],
    [
      'a ReferenceGrant from ListenerSets of the set namespace',
      {
        kind: 'ReferenceGrant',
        metadata: { name: 'g', namespace: 'certs' },
        spec: { from: [{ group: GROUP, kind: 'ListenerSet', namespace: 'apps' }], to: [] },
      } as unknown as SnapshotObject,
      key,
    ],
  ])('%s', (_title, object, expected) => {
    expect(affectedKeys(state, null, object, { controllerName })).toEqual(expected);
  });
});
