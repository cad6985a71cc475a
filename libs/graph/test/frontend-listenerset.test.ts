/**
 * The Gateway's `spec.tls.frontend` covers the HTTPS listeners a ListenerSet adds on its
 * ports: CA references are the Gateway's (its namespace, its ReferenceGrants), and the IR
 * carries the validation for the set's listener as for the Gateway's own.
 */
import { describe, expect, it } from 'vitest';
import {
  buildGatewayIR,
  buildGraph,
  defaultValidators,
  snapshotFromObjects,
  type SnapshotObject,
} from '../src/index.ts';

const controllerName = 'portico.dev/gateway-controller';
const GROUP = 'gateway.networking.k8s.io';
const as = (o: unknown): SnapshotObject => o as SnapshotObject;

const httpsListener = (name: string, port: number) => ({
  name,
  port,
  protocol: 'HTTPS',
  hostname: `${name}.example.com`,
  tls: { certificateRefs: [{ group: '', kind: 'Secret', name: 'cert' }] },
  allowedRoutes: { namespaces: { from: 'Same' } },
});

const objects = (caName: string): SnapshotObject[] => [
  as({ kind: 'GatewayClass', metadata: { name: 'portico' }, spec: { controllerName } }),
  as({
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'infra', generation: 1 },
    spec: {
      gatewayClassName: 'portico',
      allowedListeners: { namespaces: { from: 'All' } },
      // The HTTP listener keeps the Gateway accepted (and its sets attached) when 443 is not.
      listeners: [
        {
          name: 'http',
          port: 80,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'Same' } },
        },
        httpsListener('own', 443),
      ],
      tls: {
        frontend: {
          default: {
            validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: caName }] },
          },
        },
      },
    },
  }),
  as({
    kind: 'ListenerSet',
    metadata: {
      name: 'ls',
      namespace: 'apps',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      parentRef: { group: GROUP, kind: 'Gateway', name: 'gw', namespace: 'infra' },
      listeners: [httpsListener('set', 443)],
    },
  }),
  ...['infra', 'apps'].map((namespace) =>
    as({
      kind: 'Secret',
      metadata: { name: 'cert', namespace },
      type: 'kubernetes.io/tls',
      hasCertificate: true,
      hasKey: true,
      contentHash: 'abc',
    }),
  ),
  // Only the Gateway's namespace holds the CA: a set listener must not look in its own.
  as({
    kind: 'ConfigMap',
    metadata: { name: 'ca', namespace: 'infra' },
    hasCaCertificate: true,
    contentHash: 'c0',
  }),
  as({
    kind: 'ConfigMap',
    metadata: { name: 'apps-only', namespace: 'apps' },
    hasCaCertificate: true,
    contentHash: 'c1',
  }),
];

function listeners(caName: string) {
  const graph = buildGraph(snapshotFromObjects(objects(caName)), {
    controllerName,
    validators: defaultValidators,
  });
  const gateway = graph.gateways.get('gateway/infra/gw');
  const state = (source: string) => {
    const node = gateway?.listeners.find((l) => l.source.name === source);
    const condition = (type: string) => {
      const c = node?.conditions.find((x) => x.type === type);
      return c && `${c.status}/${c.reason}`;
    };
    return {
      accepted: condition('Accepted'),
      resolvedRefs: condition('ResolvedRefs'),
      ca: node?.clientValidation?.caCertificates.map((c) => `${c.namespace}/${c.name}`),
    };
  };
  return { graph, own: state('own'), set: state('set') };
}

describe('tls.frontend and ListenerSet listeners', () => {
  it.each([
    {
      title: "the Gateway's CA covers the set's listener",
      ca: 'ca',
      expected: { accepted: 'True/Accepted', resolvedRefs: 'True/ResolvedRefs', ca: ['infra/ca'] },
    },
    {
      title: "a CA only in the set's namespace is not found for either",
      ca: 'apps-only',
      expected: {
        accepted: 'False/NoValidCACertificate',
        resolvedRefs: 'False/InvalidCACertificateRef',
        ca: undefined,
      },
    },
  ])('$title', ({ ca, expected }) => {
    const { own, set } = listeners(ca);
    expect(own).toEqual(expected);
    expect(set).toEqual(expected);
  });

  it('puts the validation on the set listener in the IR', () => {
    const { graph } = listeners('ca');
    const ir = buildGatewayIR(graph, 'gateway/infra/gw');
    const server = ir?.httpServers.find((s) => s.port === 443);
    expect(server?.listeners?.map((l) => [l.name, l.clientValidation?.mode])).toEqual([
      ['own', 'AllowValidOnly'],
      [expect.stringContaining('set'), 'AllowValidOnly'],
    ]);
  });
});
