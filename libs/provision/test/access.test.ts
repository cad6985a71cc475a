import { describe, expect, it } from 'vitest';
import type { GatewayIR } from '@portico/ir';
import {
  certificateAccessName,
  DEFAULT_SETTINGS,
  desiredDataPlane,
  managedFor,
  readableObjects,
  type DataPlaneEnvironment,
  type GatewayInfo,
  type ProvisionedObject,
} from '../src/index.ts';

const gateway: GatewayInfo = {
  namespace: 'shop',
  name: 'edge',
  uid: 'uid-1',
  listeners: [{ port: 443, protocol: 'HTTPS' }],
  infrastructure: { labels: { team: 'payments' }, annotations: { 'cloud.example/x': 'y' } },
  certificates: [
    { namespace: 'shop', name: 'www' },
    { namespace: 'certs', name: 'wildcard' },
    { namespace: 'shop', name: 'api' },
    { namespace: 'shop', name: 'www' },
  ],
};
const env: DataPlaneEnvironment = {
  image: 'portico-dataplane:test',
  redisUrl: 'redis://redis:6379',
  redisPrefix: 'portico',
  portOffset: 8000,
  logLevel: 'info',
};

function objects(g: GatewayInfo = gateway, replicas = 1) {
  const result = desiredDataPlane(g, { ...DEFAULT_SETTINGS, replicas }, env);
  if (!result.ok) throw new Error(result.message);
  return result.objects;
}

// Untyped navigation of the generated JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const summary = (o: ProvisionedObject) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;

describe('certificate access', () => {
  it('gives the data plane pods their own ServiceAccount, owned by the Gateway', () => {
    const { serviceAccount, deployment } = objects();
    expect(summary(serviceAccount)).toBe('ServiceAccount shop/portico-edge');
    expect(serviceAccount.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Gateway', name: 'edge', uid: 'uid-1', controller: true }),
    ]);
    expect(serviceAccount.metadata.labels.team).toBe('payments');
    const pod = (deployment.spec as Json).template.spec;
    expect(pod.serviceAccountName).toBe('portico-edge');
    expect(pod.automountServiceAccountToken).toBe(true);
  });

  it('grants get on exactly the referenced Secrets, one Role and RoleBinding per namespace', () => {
    const grants = objects().certificateAccess;
    const foreign = certificateAccessName('shop', 'edge', 'certs');
    expect(grants.map(summary)).toEqual([
      `Role certs/${foreign}`,
      `RoleBinding certs/${foreign}`,
      'Role shop/portico-edge-certificates',
      'RoleBinding shop/portico-edge-certificates',
    ]);
    const [certsRole, certsBinding, shopRole] = grants as [Json, Json, Json];
    expect(shopRole.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['api', 'www'] },
    ]);
    expect(certsRole.rules[0].resourceNames).toEqual(['wildcard']);
    expect(certsBinding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: foreign,
    });
    expect(certsBinding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'portico-edge', namespace: 'shop' },
    ]);
  });

  it('owns what lives in the Gateway namespace and labels what cannot be owned', () => {
    const [certsRole, , shopRole] = objects().certificateAccess as [Json, Json, Json];
    expect(shopRole.metadata.ownerReferences).toHaveLength(1);
    expect(certsRole.metadata.ownerReferences).toEqual([]);
    for (const role of [certsRole, shopRole]) {
      expect(role.metadata.labels['portico.dev/gateway-namespace']).toBe('shop');
      expect(role.metadata.labels['gateway.networking.k8s.io/gateway-name']).toBe('edge');
      expect(role.metadata.annotations['portico.dev/gateway']).toBe('shop/edge');
    }
  });

  it.each([
    ['no certificates', undefined],
    ['an empty list', []],
  ])('grants nothing with %s, and keeps the ServiceAccount', (_title, certificates) => {
    const { certificateAccess, serviceAccount } = objects({
      ...gateway,
      ...(certificates ? { certificates } : { certificates: undefined }),
    });
    expect(certificateAccess).toEqual([]);
    expect(serviceAccount.kind).toBe('ServiceAccount');
  });

  it('keeps Gateways of one name in different namespaces apart in a shared namespace', () => {
    expect(certificateAccessName('a', 'edge', 'certs')).not.toBe(
      certificateAccessName('b', 'edge', 'certs'),
    );
    expect(certificateAccessName('a', 'edge', 'certs')).toMatch(
      /^portico-edge-[0-9a-f]{8}-certificates$/,
    );
  });

  it('gives the same objects whatever the order of the references', () => {
    const reversed = { ...gateway, certificates: [...(gateway.certificates ?? [])].reverse() };
    expect(objects(reversed).certificateAccess).toEqual(objects().certificateAccess);
  });

  it.each([
    ['its Role in the Gateway namespace', 'shop', 'shop', 'edge', true],
    ['its Role in another namespace', 'certs', 'shop', 'edge', true],
    ['a Gateway of the same name in another namespace', 'certs', 'other', 'edge', false],
    ['another Gateway of the namespace', 'shop', 'shop', 'other', false],
    ['another Gateway, across namespaces', 'certs', 'shop', 'other', false],
  ] as const)('managedFor tells %s', (_title, roleNamespace, namespace, name, expected) => {
    const role = objects().certificateAccess.find(
      (o) => o.kind === 'Role' && o.metadata.namespace === roleNamespace,
    ) as ProvisionedObject;
    expect(managedFor(role, namespace, name)).toBe(expected);
  });

  it('does not recognise an object without our labels', () => {
    const [certsRole] = objects().certificateAccess as [ProvisionedObject];
    expect(managedFor({ metadata: { ...certsRole.metadata, labels: {} } }, 'shop', 'edge')).toBe(
      false,
    );
  });
});

describe('disruption budget', () => {
  it.each([
    [1, undefined],
    [2, 1],
    [5, 1],
  ])('with %i replicas: maxUnavailable %s', (replicas, maxUnavailable) => {
    const budget = objects(gateway, replicas).disruptionBudget as Json;
    if (maxUnavailable === undefined) {
      expect(budget).toBeUndefined();
      return;
    }
    expect(budget.apiVersion).toBe('policy/v1');
    expect(budget.metadata.name).toBe('portico-edge');
    expect(budget.spec.maxUnavailable).toBe(maxUnavailable);
    const { deployment } = objects(gateway, replicas);
    expect(budget.spec.selector.matchLabels).toEqual(
      (deployment.spec as Json).selector.matchLabels,
    );
  });
});

describe('readableObjects', () => {
  const cert = (namespace: string, name: string) => ({ namespace, name, contentHash: 'ab' });
  const ir: GatewayIR = {
    schemaVersion: 2,
    gateway: { namespace: 'shop', name: 'edge' },
    httpServers: [
      {
        port: 443,
        protocol: 'HTTPS',
        listeners: [
          {
            name: 'https',
            hostname: '*',
            certificates: [cert('shop', 'www')],
            clientValidation: {
              mode: 'AllowValidOnly',
              trustedCertificates: [
                { kind: 'ConfigMap', namespace: 'clients', name: 'client-ca', contentHash: 'aa' },
              ],
            },
          },
        ],
        virtualHosts: [],
      },
    ],
    streamServers: [
      {
        port: 8443,
        transport: 'tcp',
        protocol: 'TLS',
        routes: [
          {
            hostname: 'db.example',
            source: { kind: 'TLSRoute', namespace: 'shop', name: 'db' },
            backends: [],
            terminate: [cert('certs', 'db')],
          },
        ],
      },
    ],
    upstreams: [
      {
        name: 'shop__api__443',
        service: { namespace: 'shop', name: 'api', port: 443 },
        endpoints: [],
        tls: {
          serverName: 'api.internal',
          trustedCertificates: [
            { kind: 'ConfigMap', namespace: 'shop', name: 'ca', contentHash: 'cd' },
            { kind: 'Secret', namespace: 'pki', name: 'root', contentHash: 'ef' },
          ],
          clientCertificate: cert('shop', 'client'),
          policy: 'shop/api',
        },
      },
    ],
  };

  it('names every Secret and ConfigMap the renderer reads for the IR', () => {
    expect(readableObjects(ir)).toEqual({
      secrets: [
        { namespace: 'shop', name: 'www' },
        { namespace: 'certs', name: 'db' },
        { namespace: 'pki', name: 'root' },
        { namespace: 'shop', name: 'client' },
      ],
      configMaps: [
        { namespace: 'clients', name: 'client-ca' },
        { namespace: 'shop', name: 'ca' },
      ],
    });
    expect(readableObjects(undefined)).toEqual({ secrets: [], configMaps: [] });
  });

  it('becomes one Role per namespace with a rule per kind', () => {
    const { secrets, configMaps } = readableObjects(ir);
    const grants = objects({ ...gateway, certificates: secrets, configMaps }).certificateAccess;
    const shopRole = grants.find((o) => o.kind === 'Role' && o.metadata.namespace === 'shop');
    expect((shopRole as Json).rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['client', 'www'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['ca'] },
    ]);
    expect(grants.filter((o) => o.kind === 'Role').map((o) => o.metadata.namespace)).toEqual([
      'certs',
      'clients',
      'pki',
      'shop',
    ]);
  });

  it('grants get on a CA Secret of a BackendTLSPolicy by name, and nothing for System CAs', () => {
    const upstream = (name: string, tls: GatewayIR['upstreams'][number]['tls']) => ({
      name,
      service: { namespace: 'shop', name, port: 443 },
      endpoints: [],
      ...(tls === undefined ? {} : { tls }),
    });
    const backendsOnly: GatewayIR = {
      ...ir,
      httpServers: [],
      streamServers: [],
      upstreams: [
        upstream('private', {
          serverName: 'private.internal',
          trustedCertificates: [
            { kind: 'Secret', namespace: 'shop', name: 'backend-ca', contentHash: 'aa' },
          ],
          policy: 'shop/private',
        }),
        upstream('public', {
          serverName: 'public.example.com',
          trustedCertificates: [],
          wellKnownCACertificates: 'System',
          policy: 'shop/public',
        }),
      ],
    };
    const readable = readableObjects(backendsOnly);
    expect(readable).toEqual({
      secrets: [{ namespace: 'shop', name: 'backend-ca' }],
      configMaps: [],
    });
    const grants = objects({
      ...gateway,
      certificates: readable.secrets,
      configMaps: readable.configMaps,
    }).certificateAccess;
    const roles = grants.filter((o) => o.kind === 'Role');
    expect(roles.map((o) => [o.metadata.namespace, (o as Json).rules])).toEqual([
      [
        'shop',
        [
          {
            apiGroups: [''],
            resources: ['secrets'],
            verbs: ['get'],
            resourceNames: ['backend-ca'],
          },
        ],
      ],
    ]);
  });
});
