/**
 * BackendTLSPolicy scenarios (GATEWAY-HTTP, extended): TLS from the Gateway to Services. The
 * TLS backend is an in-process HTTPS echo with a throwaway certificate for abc.example.com
 * (and other.example.com); the CA ConfigMaps are made from it, or from an unrelated one.
 */
import type { KubeObject } from '@portico/kube';

import { createTestCertificate, type TestCertificate } from '@portico/testing';
import { backend, exact, httpRoute, INFRA, parent, ref, rule, type Ref } from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';
import {
  backendTlsPolicy,
  caConfigMap,
  caValidation,
  policyCondition,
  startTlsBackend,
  tlsService,
  type TlsBackend,
} from './backend-tls-support.ts';
import { answers, at, cond, reaches } from './expect.ts';

const SAME = ref(INFRA, 'same-namespace');
const HOST = 'abc.example.com';
/** The TLS backend app; every Service below selects it. */
const APP_NAME = 'backendtlspolicy-test';
const CA = 'backend-tls-checks-certificate';
const OTHER_CA = 'backend-tls-mismatch-certificate';
const ACCEPTED = cond('Accepted', 'True', 'Accepted');
const RESOLVED = cond('ResolvedRefs', 'True', 'ResolvedRefs');

/** A route on the shared HTTP Gateway: `/backendtlspolicy-<name>` to Service `<name>`. */
function routeTo(at: Ref, services: string[]): KubeObject {
  return httpRoute(at, {
    parents: [parent(SAME.name)],
    hostnames: [HOST],
    rules: services.map((s) =>
      rule({ matches: [exact(`/backendtlspolicy-${s}`)], backends: [backend(s, 443)] }),
    ),
  });
}

const request = (service: string): ReturnType<typeof at> =>
  at(HOST, `/backendtlspolicy-${service}`);

/**
 * Runs `body` with the TLS backend serving every Service of the scenario, the good CA in
 * ConfigMap `backend-tls-checks-certificate` and an unrelated one in
 * `backend-tls-mismatch-certificate`; undoes all of it afterwards.
 */
async function withTlsBackend(
  t: ScenarioContext,
  services: string[],
  body: (backend: TlsBackend, address: string) => Promise<void>,
  route: Ref,
): Promise<void> {
  const [server, unrelated] = await Promise.all([
    createTestCertificate([HOST, 'other.example.com']),
    createTestCertificate(['unrelated.example.com']),
  ]);
  const configMaps = [
    caConfigMap(ref(INFRA, CA), server),
    caConfigMap(ref(INFRA, OTHER_CA), unrelated as TestCertificate),
  ];
  await t.step('CA ConfigMaps', () => t.cluster.apply(configMaps));
  const tls = await t.step('TLS backend', () =>
    startTlsBackend(t, ref(INFRA, APP_NAME), services, server),
  );
  try {
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('route ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await body(tls, address);
  } finally {
    await tls.stop();
    await t.cluster.remove(configMaps);
  }
}

const normativeRoute = ref(INFRA, 'backendtlspolicy');
const normative: Scenario = {
  shortName: 'BackendTLSPolicy',
  description:
    'A valid policy: requests reach the TLS backend, which sees the policy hostname as SNI; a policy whose hostname the certificate does not cover, and one with an unrelated CA, are accepted but their requests fail.',
  manifests: [
    routeTo(normativeRoute, ['normative', 'host-mismatch', 'cert-mismatch']),
    tlsService(ref(INFRA, 'normative'), APP_NAME),
    tlsService(ref(INFRA, 'host-mismatch'), APP_NAME),
    tlsService(ref(INFRA, 'cert-mismatch'), APP_NAME),
    backendTlsPolicy(ref(INFRA, 'normative-test'), 'normative', caValidation(CA, HOST)),
    backendTlsPolicy(
      ref(INFRA, 'host-mismatch'),
      'host-mismatch',
      caValidation(CA, 'mismatch.example.com'),
    ),
    backendTlsPolicy(ref(INFRA, 'cert-mismatch'), 'cert-mismatch', caValidation(OTHER_CA, HOST)),
  ],
  run: (t) =>
    withTlsBackend(
      t,
      ['normative', 'host-mismatch', 'cert-mismatch'],
      async (tls, address) => {
        for (const name of ['normative-test', 'host-mismatch', 'cert-mismatch']) {
          await t.step(`${name} Accepted`, () =>
            policyCondition(t, ref(INFRA, name), SAME, ACCEPTED),
          );
          await t.step(`${name} ResolvedRefs`, () =>
            policyCondition(t, ref(INFRA, name), SAME, RESOLVED),
          );
        }
        await t.step('valid policy: 200 from the TLS backend', () =>
          t.http.expect(address, reaches(request('normative'), APP_NAME, INFRA)),
        );
        await t.step('the backend saw the policy hostname as SNI', async () => {
          const names = new Set(tls.echo.requests().map((r) => r.tls.serverName));
          if (names.size !== 1 || !names.has(HOST))
            throw new Error(`SNI seen by the backend: ${[...names].join(', ') || '(none)'}`);
        });
        await t.step('hostname not in the certificate: 502', () =>
          t.http.expect(address, answers(request('host-mismatch'), 502)),
        );
        await t.step('unrelated CA: 502', () =>
          t.http.expect(address, answers(request('cert-mismatch'), 502)),
        );
      },
      normativeRoute,
    ),
};

/** A policy whose only CA reference is wrong: NoValidCACertificate, `reason`, and 5xx. */
function invalidCaScenario(
  shortName: string,
  description: string,
  name: string,
  caRef: Record<string, unknown>,
  reason: string,
): Scenario {
  const route = ref(INFRA, `backendtlspolicy-${name}-test`);
  return {
    shortName,
    description,
    manifests: [
      routeTo(route, [name]),
      tlsService(ref(INFRA, name), APP_NAME),
      backendTlsPolicy(ref(INFRA, name), name, { caCertificateRefs: [caRef], hostname: HOST }),
    ],
    run: (t) =>
      withTlsBackend(
        t,
        [name],
        async (_tls, address) => {
          const policy = ref(INFRA, name);
          await t.step('Accepted False NoValidCACertificate', () =>
            policyCondition(t, policy, SAME, cond('Accepted', 'False', 'NoValidCACertificate')),
          );
          await t.step(`ResolvedRefs False ${reason}`, () =>
            policyCondition(t, policy, SAME, cond('ResolvedRefs', 'False', reason)),
          );
          const expected: Expected = { request: request(name), status: [500, 502, 503] };
          await t.step('5xx', () => t.http.expect(address, expected));
        },
        route,
      ),
  };
}

const invalidKind = invalidCaScenario(
  'BackendTLSPolicyInvalidKind',
  'A CA reference of an unsupported kind: Accepted False NoValidCACertificate, ResolvedRefs False InvalidKind, requests get a 5xx.',
  'invalid-kind',
  { group: '', kind: 'NotAConfigMap', name: CA },
  'InvalidKind',
);

const invalidCaRef = invalidCaScenario(
  'BackendTLSPolicyInvalidCACertificateRef',
  'A CA reference to a ConfigMap that does not exist: Accepted False NoValidCACertificate, ResolvedRefs False InvalidCACertificateRef, requests get a 5xx.',
  'invalid-ca-ref',
  { group: '', kind: 'ConfigMap', name: 'no-such-ca-certificate' },
  'InvalidCACertificateRef',
);

export const BACKEND_TLS_SCENARIOS: Scenario[] = [normative, invalidKind, invalidCaRef];
