import { describe, expect, it } from 'vitest';
import type { SnapshotObject } from '../src/index.ts';
import { affectedKeys } from '../src/index.ts';
import { loadSnapshot } from './load-snapshot.ts';

const snapshot = loadSnapshot(`
kind: GatewayClass
metadata: { name: portico }
spec: { controllerName: portico.dev/gateway-controller }
---
kind: GatewayClass
metadata: { name: other }
spec: { controllerName: example.com/other }
---
kind: Gateway
metadata: { name: a, namespace: infra }
spec:
  gatewayClassName: portico
  listeners: [{ name: https, port: 443, protocol: HTTPS, tls: { certificateRefs: [{ name: cert }] } }]
---
kind: Gateway
metadata: { name: b, namespace: infra }
spec: { gatewayClassName: portico, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
kind: Gateway
metadata: { name: c, namespace: infra }
spec:
  gatewayClassName: portico
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      tls: { certificateRefs: [{ name: wild, namespace: certs }] }
---
kind: Gateway
metadata: { name: theirs, namespace: infra }
spec: { gatewayClassName: other, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
kind: HTTPRoute
metadata: { name: web, namespace: apps }
spec:
  parentRefs: [{ name: a, namespace: infra }, { name: theirs, namespace: infra }]
  rules: [{ backendRefs: [{ name: web, port: 80 }, { name: shared, namespace: backends, port: 80 }] }]
---
kind: HTTPRoute
metadata: { name: api, namespace: team }
spec:
  parentRefs: [{ name: b, namespace: infra }]
  rules: [{ backendRefs: [{ name: api, port: 80 }] }]
`);

const route = (parents: string[]): SnapshotObject => ({
  kind: 'HTTPRoute',
  metadata: { name: 'moving', namespace: 'infra' },
  spec: { parentRefs: parents.map((name) => ({ name })) },
});
const svc = (namespace: string, name: string): SnapshotObject => ({
  kind: 'Service',
  metadata: { name, namespace },
  spec: {},
});
const ns = (name: string, labels: Record<string, string>): SnapshotObject => ({
  kind: 'Namespace',
  metadata: { name, labels },
});
const grant = (from: string): SnapshotObject => ({
  kind: 'ReferenceGrant',
  metadata: { name: 'g', namespace: 'backends' },
  spec: {
    from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: from }],
    to: [{ group: '', kind: 'Service' }],
  },
});

const gatewayGrant = (from: string): SnapshotObject => ({
  kind: 'ReferenceGrant',
  metadata: { name: 'certs', namespace: 'certs' },
  spec: {
    from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: from }],
    to: [{ group: '', kind: 'Secret' }],
  },
});

describe('affectedKeys', () => {
  it.each<{
    name: string;
    before: SnapshotObject | null;
    after: SnapshotObject | null;
    want: string[];
  }>([
    {
      name: 'route moving between Gateways: both, before ∪ after',
      before: route(['a']),
      after: route(['b']),
      want: ['gateway/infra/a', 'gateway/infra/b'],
    },
    { name: 'route created', before: null, after: route(['a']), want: ['gateway/infra/a'] },
    { name: 'route deleted', before: route(['b']), after: null, want: ['gateway/infra/b'] },
    {
      name: "route to another controller's Gateway",
      before: null,
      after: route(['theirs']),
      want: [],
    },
    {
      name: 'route to a Gateway that does not exist',
      before: null,
      after: route(['nope']),
      want: [],
    },
    {
      name: 'referenced Service',
      before: null,
      after: svc('apps', 'web'),
      want: ['gateway/infra/a'],
    },
    {
      name: 'cross-namespace referenced Service',
      before: svc('backends', 'shared'),
      after: null,
      want: ['gateway/infra/a'],
    },
    {
      name: 'unreferenced Service is dropped',
      before: null,
      after: svc('apps', 'unused'),
      want: [],
    },
    {
      name: 'EndpointSlice of a referenced Service',
      before: null,
      after: {
        kind: 'EndpointSlice',
        metadata: {
          name: 'api-x',
          namespace: 'team',
          labels: { 'kubernetes.io/service-name': 'api' },
        },
        addressType: 'IPv4',
      },
      want: ['gateway/infra/b'],
    },
    {
      name: 'EndpointSlice without a Service label',
      before: null,
      after: {
        kind: 'EndpointSlice',
        metadata: { name: 'x', namespace: 'team' },
        addressType: 'IPv4',
      },
      want: [],
    },
    {
      name: 'our GatewayClass: itself and its Gateways',
      before: null,
      after: {
        kind: 'GatewayClass',
        metadata: { name: 'portico' },
        spec: { controllerName: 'portico.dev/gateway-controller' },
      },
      want: ['gateway/infra/a', 'gateway/infra/b', 'gateway/infra/c', 'gatewayclass/portico'],
    },
    {
      name: "another controller's GatewayClass",
      before: null,
      after: {
        kind: 'GatewayClass',
        metadata: { name: 'other' },
        spec: { controllerName: 'example.com/other' },
      },
      want: [],
    },
    {
      name: 'GatewayClass handed to another controller: still ours before',
      before: {
        kind: 'GatewayClass',
        metadata: { name: 'portico' },
        spec: { controllerName: 'portico.dev/gateway-controller' },
      },
      after: {
        kind: 'GatewayClass',
        metadata: { name: 'portico' },
        spec: { controllerName: 'example.com/other' },
      },
      want: ['gateway/infra/a', 'gateway/infra/b', 'gateway/infra/c', 'gatewayclass/portico'],
    },
    {
      name: 'Gateway moving to another class',
      before: {
        kind: 'Gateway',
        metadata: { name: 'b', namespace: 'infra' },
        spec: { gatewayClassName: 'portico', listeners: [] },
      },
      after: {
        kind: 'Gateway',
        metadata: { name: 'b', namespace: 'infra' },
        spec: { gatewayClassName: 'other', listeners: [] },
      },
      want: ['gateway/infra/b'],
    },
    {
      name: "another controller's Gateway",
      before: null,
      after: {
        kind: 'Gateway',
        metadata: { name: 'theirs', namespace: 'infra' },
        spec: { gatewayClassName: 'other', listeners: [] },
      },
      want: [],
    },
    {
      name: 'Namespace label change: Gateways of its routes',
      before: ns('team', { a: '1' }),
      after: ns('team', { a: '2' }),
      want: ['gateway/infra/b'],
    },
    {
      name: 'Namespace change without label change',
      before: ns('team', { a: '1' }),
      after: ns('team', { a: '1' }),
      want: [],
    },
    { name: 'Namespace without routes', before: null, after: ns('empty', {}), want: [] },
    {
      name: 'ReferenceGrant to routes that use it',
      before: null,
      after: grant('apps'),
      want: ['gateway/infra/a'],
    },
    {
      name: 'ReferenceGrant for a namespace with no such routes',
      before: null,
      after: grant('team'),
      want: [],
    },
    {
      name: 'ReferenceGrant from Gateways to the Secrets they use',
      before: null,
      after: gatewayGrant('infra'),
      want: ['gateway/infra/c'],
    },
    {
      name: 'ReferenceGrant from Gateways of another namespace',
      before: gatewayGrant('apps'),
      after: null,
      want: [],
    },
    {
      name: 'cross-namespace Secret a listener references',
      before: null,
      after: {
        kind: 'Secret',
        metadata: { name: 'wild', namespace: 'certs' },
        type: 'kubernetes.io/tls',
        hasCertificate: true,
        hasKey: true,
        contentHash: 'z',
      },
      want: ['gateway/infra/c'],
    },
    {
      name: 'Secret a listener references',
      before: null,
      after: {
        kind: 'Secret',
        metadata: { name: 'cert', namespace: 'infra' },
        type: 'kubernetes.io/tls',
        hasCertificate: true,
        hasKey: true,
        contentHash: 'x',
      },
      want: ['gateway/infra/a'],
    },
    {
      name: 'Secret nothing references',
      before: null,
      after: {
        kind: 'Secret',
        metadata: { name: 'other', namespace: 'infra' },
        type: 'Opaque',
        hasCertificate: false,
        hasKey: false,
        contentHash: 'y',
      },
      want: [],
    },
    { name: 'nothing at all', before: null, after: null, want: [] },
  ])('$name', ({ before, after, want }) => {
    expect(
      affectedKeys(snapshot, before, after, { controllerName: 'portico.dev/gateway-controller' }),
    ).toEqual(want);
  });
});
