/**
 * Gateway `spec.tls.backend.clientCertificateRef` (GatewayBackendClientCertificate): the
 * Gateway presents this certificate to TLS backends. The backend here requires a client
 * certificate signed by it (an in-process HTTPS echo) and reports the subject it verified.
 */
import type { KubeObject } from '@portico/kube';
import { createTestCertificate } from '@portico/testing';
import {
  backend,
  gateway,
  http,
  httpRoute,
  INFRA,
  parent,
  ref,
  rule,
  SKIP_READINESS,
  WEB,
} from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import {
  backendTlsPolicy,
  caConfigMap,
  caValidation,
  policyCondition,
  startTlsBackend,
  tlsService,
} from './backend-tls-support.ts';
import { at, cond, reaches } from './expect.ts';

const HOST = 'abc.example.com';
const APP_NAME = 'backend-client-certificate-test';
const GW = ref(INFRA, 'gateway-tls-backend-client-certificate');
const ROUTE = ref(INFRA, 'gateway-tls-backend-client-certificate');
const POLICY = ref(INFRA, 'gateway-tls-backend-client-certificate-test');
const CLIENT_SECRET = 'tls-checks-client-certificate';
const CA = 'backend-client-certificate-ca';

/** A Gateway with one HTTP listener and a backend client certificate reference. */
function gatewayWithClientCert(name: string, certificateRef: Record<string, unknown>): KubeObject {
  return gateway(ref(INFRA, name), [http('http')], {
    annotations: SKIP_READINESS,
    spec: { tls: { backend: { clientCertificateRef: certificateRef } } },
  });
}

function tlsSecret(name: string, cert: string, key: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { namespace: INFRA, name },
    data: {
      'tls.crt': Buffer.from(cert).toString('base64'),
      'tls.key': Buffer.from(key).toString('base64'),
    },
  };
}

const presentsCertificate: Scenario = {
  shortName: 'GatewayTLSBackendClientCertificate',
  description:
    'A Gateway with a backend client certificate presents it to a TLS backend that requires one: ResolvedRefs True on the Gateway, 200 through it, and the backend saw that certificate.',
  manifests: [
    gateway(GW, [http('http')], {
      spec: { tls: { backend: { clientCertificateRef: { name: CLIENT_SECRET } } } },
    }),
    httpRoute(ROUTE, {
      parents: [parent(GW.name)],
      hostnames: [HOST],
      rules: [rule({ backends: [backend(APP_NAME, 443)] })],
    }),
    tlsService(ref(INFRA, APP_NAME), APP_NAME),
    backendTlsPolicy(POLICY, APP_NAME, caValidation(CA, HOST)),
  ],
  async run(t) {
    const [server, client] = await Promise.all([
      createTestCertificate([HOST]),
      createTestCertificate(['portico-gateway-client']),
    ]);
    const objects = [
      caConfigMap(ref(INFRA, CA), server),
      tlsSecret(CLIENT_SECRET, client.certPem, client.keyPem),
    ];
    await t.step('CA ConfigMap and client certificate Secret', () => t.cluster.apply(objects));
    const tls = await t.step('TLS backend requiring a client certificate', () =>
      startTlsBackend(t, ref(INFRA, APP_NAME), [APP_NAME], server, client.certPem),
    );
    try {
      const address = await t.step('gateway and route accepted', () =>
        t.cluster.gatewayAndRoutesAccepted(GW, [ROUTE]),
      );
      await t.step('route ResolvedRefs', () => t.cluster.routeResolvedRefs(ROUTE, GW));
      await t.step('policy Accepted', () =>
        policyCondition(t, POLICY, GW, cond('Accepted', 'True', 'Accepted')),
      );
      await t.step('Gateway ResolvedRefs', () =>
        t.cluster.gatewayCondition(GW, cond('ResolvedRefs', 'True', 'ResolvedRefs')),
      );
      await t.step('200 from the backend', () =>
        t.http.expect(address, reaches(at(HOST, '/'), APP_NAME, INFRA)),
      );
      await t.step('the backend verified the Gateway client certificate', async () => {
        const subjects = new Set(tls.echo.requests().map((r) => r.tls.clientCertificateSubject));
        if (subjects.size !== 1 || !subjects.has('CN=portico-gateway-client'))
          throw new Error(`client certificates seen: ${[...subjects].join(', ')}`);
      });
    } finally {
      await tls.stop();
      await t.cluster.remove(objects);
    }
  },
};

const invalidCases: Array<[string, Record<string, unknown>, string]> = [
  [
    'gateway-client-certificate-nonexistent-secret',
    { name: 'nonexistent-certificate' },
    'InvalidClientCertificateRef',
  ],
  [
    'gateway-client-certificate-unsupported-group',
    { group: 'wrong.group.company.io', kind: 'Secret', name: 'tls-validity-checks-certificate' },
    'InvalidClientCertificateRef',
  ],
  [
    'gateway-client-certificate-unsupported-kind',
    { group: '', kind: 'WrongKind', name: 'tls-validity-checks-certificate' },
    'InvalidClientCertificateRef',
  ],
  [
    'gateway-client-certificate-malformed-secret',
    { name: 'malformed-client-certificate' },
    'InvalidClientCertificateRef',
  ],
  [
    'gateway-client-certificate-missing-reference-grant',
    { name: 'certificate', namespace: WEB },
    'RefNotPermitted',
  ],
];

const invalidConfiguration: Scenario = {
  shortName: 'GatewayInvalidTLSBackendConfiguration',
  description:
    'A missing, wrong-group, wrong-kind, malformed or not granted backend client certificate: the Gateway stays Accepted with ResolvedRefs False and the matching reason.',
  manifests: [
    ...invalidCases.map(([name, certificateRef]) => gatewayWithClientCert(name, certificateRef)),
    tlsSecret('malformed-client-certificate', 'not a certificate\n', 'not a key\n'),
  ],
  async run(t) {
    for (const [name, , reason] of invalidCases) {
      const gw = ref(INFRA, name);
      await t.step(`${name} latest conditions`, () => t.cluster.gatewayLatestConditions(gw));
      await t.step(`${name} ResolvedRefs False ${reason}`, () =>
        t.cluster.gatewayCondition(gw, cond('ResolvedRefs', 'False', reason)),
      );
      await t.step(`${name} Accepted`, () =>
        t.cluster.gatewayCondition(gw, cond('Accepted', 'True', 'Accepted')),
      );
    }
  },
};

export const BACKEND_CLIENT_CERT_SCENARIOS: Scenario[] = [
  presentsCertificate,
  invalidConfiguration,
];
