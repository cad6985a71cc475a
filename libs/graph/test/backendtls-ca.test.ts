/**
 * Where a BackendTLSPolicy's CAs come from: `ca.crt` of ConfigMaps or Secrets
 * (`caCertificateRefs`), or the data plane's system bundle (`wellKnownCACertificates:
 * System`). Each case builds the graph and the IR from a snapshot and reads the policy's
 * conditions and the TLS its upstream gets (none: the share answers 500).
 */
import { describe, expect, it } from 'vitest';
import {
  buildGatewayIR,
  buildGraph,
  defaultValidators,
  snapshotFromObjects,
  type SnapshotObject,
} from '../src/index.ts';
import { CONTROLLER_NAME, ROUTE_TO_SECURE } from './support/route-to-secure.ts';

const deps = { controllerName: CONTROLLER_NAME, validators: defaultValidators };
const base: SnapshotObject[] = [
  ...ROUTE_TO_SECURE,
  {
    kind: 'Service',
    metadata: { name: 'secure', namespace: 'default' },
    spec: { ports: [{ name: 'https', port: 443 }] },
  },
  {
    kind: 'EndpointSlice',
    metadata: {
      name: 'secure-1',
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': 'secure' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 8443, protocol: 'TCP' }],
  },
];

/** A Secret summary as the watcher stores it (no data). */
function secret(name: string, ca: { has: boolean; error?: string }, namespace = 'default') {
  return {
    kind: 'Secret' as const,
    metadata: { name, namespace },
    type: 'Opaque',
    hasCertificate: false,
    hasKey: false,
    hasCaCertificate: ca.has,
    ...(ca.error === undefined ? {} : { caCertificateError: ca.error }),
    contentHash: `${name.length}abc`,
  };
}

const objects: SnapshotObject[] = [
  secret('ca-secret', { has: true }),
  secret('tls-only', { has: false }),
  secret('broken-ca', { has: true, error: 'ca.crt holds no PEM certificate' }),
  secret('elsewhere', { has: true }, 'other'),
  {
    kind: 'ConfigMap',
    metadata: { name: 'ca-map', namespace: 'default' },
    hasCaCertificate: true,
    contentHash: 'c0ffee',
  },
];

type Ref = { group: string; kind: string; name: string };
const ref = (kind: string, name: string, group = ''): Ref => ({ group, kind, name });

function policy(validation: {
  caCertificateRefs?: Ref[];
  wellKnownCACertificates?: string;
}): SnapshotObject {
  return {
    kind: 'BackendTLSPolicy',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: 'secure' }],
      validation: { ...validation, hostname: 'secure.example.com' },
    },
  };
}

interface Case {
  name: string;
  validation: { caCertificateRefs?: Ref[]; wellKnownCACertificates?: string };
  accepted: [string, string];
  resolvedRefs: [string, string];
  /** Substring of the first problem's message, when there is one. */
  message?: string;
  /** The upstream's TLS in the IR; undefined: the share answers 500. */
  tls?: { trustedCertificates: { kind: string; name: string }[]; wellKnownCACertificates?: string };
}

const cases: Case[] = [
  {
    name: 'a Secret with a PEM ca.crt is trusted',
    validation: { caCertificateRefs: [ref('Secret', 'ca-secret')] },
    accepted: ['True', 'Accepted'],
    resolvedRefs: ['True', 'ResolvedRefs'],
    tls: { trustedCertificates: [{ kind: 'Secret', name: 'ca-secret' }] },
  },
  {
    name: 'a Secret in group "core" counts as core',
    validation: { caCertificateRefs: [ref('Secret', 'ca-secret', 'core')] },
    accepted: ['True', 'Accepted'],
    resolvedRefs: ['True', 'ResolvedRefs'],
    tls: { trustedCertificates: [{ kind: 'Secret', name: 'ca-secret' }] },
  },
  {
    name: 'a ConfigMap then a Secret are trusted together, in order',
    validation: { caCertificateRefs: [ref('ConfigMap', 'ca-map'), ref('Secret', 'ca-secret')] },
    accepted: ['True', 'Accepted'],
    resolvedRefs: ['True', 'ResolvedRefs'],
    tls: {
      trustedCertificates: [
        { kind: 'ConfigMap', name: 'ca-map' },
        { kind: 'Secret', name: 'ca-secret' },
      ],
    },
  },
  {
    name: 'a missing Secret',
    validation: { caCertificateRefs: [ref('Secret', 'absent')] },
    accepted: ['False', 'NoValidCACertificate'],
    resolvedRefs: ['False', 'InvalidCACertificateRef'],
    message: 'validation.caCertificateRefs[0]: Secret default/absent not found',
  },
  {
    name: 'a Secret of that name in another namespace',
    validation: { caCertificateRefs: [ref('Secret', 'elsewhere')] },
    accepted: ['False', 'NoValidCACertificate'],
    resolvedRefs: ['False', 'InvalidCACertificateRef'],
    message: 'Secret default/elsewhere not found',
  },
  {
    name: 'a Secret without ca.crt',
    validation: { caCertificateRefs: [ref('Secret', 'tls-only')] },
    accepted: ['False', 'NoValidCACertificate'],
    resolvedRefs: ['False', 'InvalidCACertificateRef'],
    message: 'Secret default/tls-only has no ca.crt',
  },
  {
    name: 'a Secret whose ca.crt is not PEM',
    validation: { caCertificateRefs: [ref('Secret', 'broken-ca')] },
    accepted: ['False', 'NoValidCACertificate'],
    resolvedRefs: ['False', 'InvalidCACertificateRef'],
    message: 'Secret default/broken-ca ca.crt holds no PEM certificate',
  },
  {
    name: 'a usable ConfigMap beside a Secret without ca.crt (accepted, but connections fail)',
    validation: { caCertificateRefs: [ref('ConfigMap', 'ca-map'), ref('Secret', 'tls-only')] },
    accepted: ['True', 'Accepted'],
    resolvedRefs: ['False', 'InvalidCACertificateRef'],
    message: 'caCertificateRefs[1]: Secret default/tls-only has no ca.crt',
  },
  {
    name: 'a Secret of another group',
    validation: { caCertificateRefs: [ref('Secret', 'ca-secret', 'example.com')] },
    accepted: ['False', 'NoValidCACertificate'],
    resolvedRefs: ['False', 'InvalidKind'],
    message: 'example.com/Secret is not supported: reference a ConfigMap or a Secret',
  },
  {
    name: 'wellKnownCACertificates System trusts the system bundle',
    validation: { wellKnownCACertificates: 'System' },
    accepted: ['True', 'Accepted'],
    resolvedRefs: ['True', 'ResolvedRefs'],
    tls: { trustedCertificates: [], wellKnownCACertificates: 'System' },
  },
  {
    name: 'an implementation-specific CA set we do not know',
    validation: { wellKnownCACertificates: 'example.com/corporate' },
    accepted: ['False', 'Invalid'],
    resolvedRefs: ['True', 'ResolvedRefs'],
    message: 'wellKnownCACertificates example.com/corporate is not supported',
  },
  {
    name: 'both CA sources (the CEL rule forbids it)',
    validation: {
      caCertificateRefs: [ref('Secret', 'ca-secret')],
      wellKnownCACertificates: 'System',
    },
    accepted: ['False', 'Invalid'],
    resolvedRefs: ['True', 'ResolvedRefs'],
    message: 'must not both be set',
  },
  {
    name: 'neither CA source (the CEL rule forbids it)',
    validation: { caCertificateRefs: [] },
    accepted: ['False', 'Invalid'],
    resolvedRefs: ['True', 'ResolvedRefs'],
    message: 'set caCertificateRefs or wellKnownCACertificates',
  },
];

describe('BackendTLSPolicy CA sources', () => {
  it.each(cases)('$name', ({ validation, accepted, resolvedRefs, message, tls }) => {
    const snapshot = snapshotFromObjects([...base, ...objects, policy(validation)]);
    const graph = buildGraph(snapshot, deps);
    const node = graph.backendTlsPolicies?.get('default/p');
    const [acc, refs] = node?.conditions ?? [];
    expect([acc?.status, acc?.reason]).toEqual(accepted);
    expect([refs?.status, refs?.reason]).toEqual(resolvedRefs);
    if (message !== undefined) {
      const problem = acc?.status === 'False' ? acc : refs;
      expect(problem?.message).toContain(message);
    }
    const ir = buildGatewayIR(graph, 'gateway/default/gw');
    const upstream = ir?.upstreams.find((u) => u.service.name === 'secure');
    const share = ir?.httpServers[0]?.virtualHosts[0]?.rules[0]?.backends[0];
    if (tls === undefined) {
      expect(upstream?.tls).toBeUndefined();
      expect(share?.upstream ?? null).toBeNull();
      return;
    }
    expect(share?.upstream).toBe(upstream?.name);
    expect({
      trustedCertificates: upstream?.tls?.trustedCertificates.map((c) => ({
        kind: c.kind,
        name: c.name,
      })),
      ...(upstream?.tls?.wellKnownCACertificates === undefined
        ? {}
        : { wellKnownCACertificates: upstream.tls.wellKnownCACertificates }),
    }).toEqual(tls);
    for (const ca of upstream?.tls?.trustedCertificates ?? []) {
      expect(ca.namespace).toBe('default');
      expect(ca.contentHash).toMatch(/^[0-9a-f]+$/);
    }
  });
});
