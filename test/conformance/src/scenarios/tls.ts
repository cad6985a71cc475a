/** Scenarios of HTTPS listeners: certificate references, grants for them, and TLS traffic. */
import {
  APP,
  backend,
  gateway,
  GATEWAY_GROUP,
  httpRoute,
  INFRA,
  listener,
  parent,
  ref,
  referenceGrant,
  rule,
  SKIP_READINESS,
  WEB,
} from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { nearMissGrants } from './httproute-invalid.ts';
import { answers, cond, listenerStatus, reaches } from './expect.ts';
import { serverCa } from './frontend-tls-support.ts';

/** An HTTPS listener named `https` on 443 with one certificate reference. */
const httpsWith = (certificateRef: Record<string, unknown>): Record<string, unknown> =>
  listener({
    name: 'https',
    port: 443,
    protocol: 'HTTPS',
    from: 'All',
    tls: { certificateRefs: [{ group: '', kind: 'Secret', ...certificateRef }] },
  });

const WEB_CERT = { name: 'certificate', namespace: WEB };

const invalidTlsConfiguration: Scenario = {
  shortName: 'GatewayInvalidTLSConfiguration',
  description:
    'A missing Secret, a wrong group, a wrong kind and a malformed certificate each give ResolvedRefs False InvalidCertificateRef.',
  manifests: [
    gateway(
      ref(INFRA, 'gateway-certificate-nonexistent-secret'),
      [httpsWith({ name: 'nonexistent-certificate' })],
      { annotations: SKIP_READINESS },
    ),
    gateway(
      ref(INFRA, 'gateway-certificate-unsupported-group'),
      [httpsWith({ group: 'wrong.group.company.io', name: 'tls-validity-checks-certificate' })],
      {
        annotations: SKIP_READINESS,
      },
    ),
    gateway(
      ref(INFRA, 'gateway-certificate-unsupported-kind'),
      [httpsWith({ kind: 'WrongKind', name: 'tls-validity-checks-certificate' })],
      {
        annotations: SKIP_READINESS,
      },
    ),
    gateway(
      ref(INFRA, 'gateway-certificate-malformed-secret'),
      [httpsWith({ name: 'malformed-certificate' })],
      { annotations: SKIP_READINESS },
    ),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'malformed-certificate', namespace: INFRA },
      // Not PEM at all ("not a certificate"), and key equal to certificate.
      data: {
        'tls.crt': Buffer.from('not a certificate\n').toString('base64'),
        'tls.key': Buffer.from('not a certificate\n').toString('base64'),
      },
    },
  ],
  async run(t) {
    const expected = [
      listenerStatus('https', 0, [cond('ResolvedRefs', 'False', 'InvalidCertificateRef')]),
    ];
    for (const name of [
      'nonexistent-secret',
      'unsupported-group',
      'unsupported-kind',
      'malformed-secret',
    ]) {
      await t.step(name, () =>
        t.cluster.gatewayListeners(ref(INFRA, `gateway-certificate-${name}`), expected),
      );
    }
  },
};

/** A Gateway whose https listener uses web-backend's certificate, with some grants around. */
function secretGrantScenario(
  shortName: string,
  description: string,
  gwName: string,
  grants: ReturnType<typeof referenceGrant>[],
  allowed: boolean,
): Scenario {
  return {
    shortName,
    description,
    manifests: [gateway(ref(INFRA, gwName), [httpsWith(WEB_CERT)]), ...grants],
    async run(t) {
      const conditions = allowed
        ? [cond('Programmed', 'True', 'Programmed'), cond('ResolvedRefs', 'True')]
        : [cond('ResolvedRefs', 'False', 'RefNotPermitted')];
      await t.step(allowed ? 'listener resolved and programmed' : 'listener RefNotPermitted', () =>
        t.cluster.gatewayListeners(ref(INFRA, gwName), [listenerStatus('https', 0, conditions)]),
      );
    },
  };
}

const fromGateways = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: INFRA };

const secretScenarios: Scenario[] = [
  secretGrantScenario(
    'GatewaySecretInvalidReferenceGrant',
    'Grants that each miss do not allow the cross-namespace certificate: RefNotPermitted.',
    'gateway-secret-invalid-reference-grant',
    nearMissGrants('Gateway', 'Secret', 'certificate', WEB, INFRA, APP),
    false,
  ),
  secretGrantScenario(
    'GatewaySecretMissingReferenceGrant',
    'No grant for the cross-namespace certificate: RefNotPermitted.',
    'gateway-secret-missing-reference-grant',
    [],
    false,
  ),
  secretGrantScenario(
    'GatewaySecretReferenceGrantAllInNamespace',
    'A grant for every Secret of the namespace allows the certificate.',
    'gateway-secret-reference-grant-all-in-namespace',
    [
      referenceGrant(ref(WEB, 'reference-grant-all-in-namespace'), fromGateways, {
        kind: 'Secret',
      }),
    ],
    true,
  ),
  secretGrantScenario(
    'GatewaySecretReferenceGrantSpecific',
    'A grant for this Secret by name allows the certificate.',
    'gateway-secret-reference-grant-specific',
    [
      referenceGrant(ref(WEB, 'reference-grant-specific'), fromGateways, {
        kind: 'Secret',
        name: 'certificate',
      }),
    ],
    true,
  ),
];

const httpsListener: Scenario = {
  shortName: 'HTTPRouteHTTPSListener',
  description:
    "HTTPS on the base Gateway: example.org reaches v1, second-example.org (listener with hostname) v2, unknown hosts 404; the server certificate is the Secret's.",
  manifests: [
    httpRoute(ref(INFRA, 'httproute-https-test'), {
      parents: [parent('same-namespace-with-https-listener')],
      hostnames: ['example.org'],
      rules: [rule({ backends: [backend('infra-backend-v1', 8080)] })],
    }),
    httpRoute(ref(INFRA, 'httproute-https-test-no-hostname'), {
      parents: [
        parent('same-namespace-with-https-listener', { sectionName: 'https-with-hostname' }),
      ],
      rules: [rule({ backends: [backend('infra-backend-v2', 8080)] })],
    }),
  ],
  async run(t) {
    const gw = ref(INFRA, 'same-namespace-with-https-listener');
    const routes = [
      ref(INFRA, 'httproute-https-test'),
      ref(INFRA, 'httproute-https-test-no-hostname'),
    ];
    const address = await t.step('gateway and routes accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(gw, routes),
    );
    for (const route of routes)
      await t.step(`ResolvedRefs ${route.name}`, () => t.cluster.routeResolvedRefs(route, gw));
    const ca = await serverCa(t);
    const cases: Array<[string, string | undefined]> = [
      ['example.org', 'infra-backend-v1'],
      ['unknown-example.org', undefined],
      ['second-example.org', 'infra-backend-v2'],
    ];
    for (const [host, svc] of cases) {
      const request = { host, path: '/' };
      const expected = svc ? reaches(request, svc, INFRA) : answers(request, 404);
      await t.step(`https ${host}`, () =>
        t.http.expect(address, expected, { ca, serverName: host }),
      );
    }
  },
};

export const TLS_SCENARIOS: Scenario[] = [
  invalidTlsConfiguration,
  ...secretScenarios,
  httpsListener,
];
