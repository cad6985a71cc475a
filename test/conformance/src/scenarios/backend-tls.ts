/**
 * BackendTLSPolicy scenarios (GATEWAY-HTTP, extended): TLS from the Gateway to Services. The
 * TLS backend is an in-process HTTPS echo with a throwaway certificate for abc.example.com
 * (and other.example.com); the CA ConfigMaps are made from it, or from an unrelated one.
 */
import type { KubeObject } from '@portico/kube';

import { RESOURCES } from '@portico/kube';
import { createTestCertificate, type TestCertificate } from '@portico/testing';
import {
  backend,
  exact,
  httpRoute,
  INFRA,
  parent,
  ref,
  rule,
  service,
  type Ref,
} from '../builders.ts';
import type { Expected } from '../http-compare.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';
import {
  backendTlsPolicy,
  caConfigMap,
  caValidation,
  policyCondition,
  startTlsBackend,
  PORT_NAME,
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
  services: Array<string | { name: string; portName: string }>,
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
    tlsService(ref(INFRA, 'host-mismatch'), APP_NAME, 'HTTPS'),
    tlsService(ref(INFRA, 'cert-mismatch'), APP_NAME, 'HTTPS'),
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

/** The SNI the backend saw for requests to `path` (one value, or the list for the error). */
function sniFor(tls: TlsBackend, path: string): string {
  const names = [
    ...new Set(
      tls.echo
        .requests()
        .filter((r) => r.path === path)
        .map((r) => r.tls.serverName),
    ),
  ];
  return names.length === 1 ? (names[0] ?? '') : `(${names.join(', ') || 'no request'})`;
}

async function expectSni(
  t: ScenarioContext,
  tls: TlsBackend,
  path: string,
  sni: string,
): Promise<void> {
  await t.step(`${path} reached the backend with SNI ${sni}`, async () => {
    const seen = sniFor(tls, path);
    if (seen !== sni) throw new Error(`SNI seen by the backend: ${seen}`);
  });
}

const OTHER_HOST = 'other.example.com';
const conflictRoute = ref(INFRA, 'backendtlspolicy-conflict-resolution');
const conflictResolution: Scenario = {
  shortName: 'BackendTLSPolicyConflictResolution',
  description:
    'Two policies for one Service (with or without sectionName): the first by age then name is Accepted and used, the other Conflicted; a port policy and a Service-wide policy do not conflict, each used where it applies.',
  manifests: [
    httpRoute(conflictRoute, {
      parents: [parent(SAME.name)],
      hostnames: [HOST],
      rules: [
        ['conflicted-without-section-name', 'conflicted-without-section-name', 443],
        ['conflicted-with-section-name', 'conflicted-with-section-name', 443],
        ['not-conflicted-with-section-name', 'not-conflicted', 443],
        ['not-conflicted-without-section-name', 'not-conflicted', 8443],
      ].map(([path, svc, port]) =>
        rule({
          matches: [exact(`/backendtlspolicy-${String(path)}`)],
          backends: [backend(String(svc), Number(port))],
        }),
      ),
    }),
    tlsService(ref(INFRA, 'conflicted-without-section-name'), APP_NAME),
    tlsService(ref(INFRA, 'conflicted-with-section-name'), APP_NAME),
    service(
      ref(INFRA, 'not-conflicted'),
      [
        { name: PORT_NAME, port: 443, targetPort: 8443 },
        { name: 'btls-other', port: 8443, targetPort: 8443 },
      ],
      { selector: { app: APP_NAME } },
    ),
    backendTlsPolicy(
      ref(INFRA, 'conflicted-without-section-name-1'),
      'conflicted-without-section-name',
      caValidation(CA, OTHER_HOST),
      null,
    ),
    backendTlsPolicy(
      ref(INFRA, 'conflicted-without-section-name-2'),
      'conflicted-without-section-name',
      caValidation(CA, HOST),
      null,
    ),
    backendTlsPolicy(
      ref(INFRA, 'conflicted-with-section-name-1'),
      'conflicted-with-section-name',
      caValidation(CA, OTHER_HOST),
    ),
    backendTlsPolicy(
      ref(INFRA, 'conflicted-with-section-name-2'),
      'conflicted-with-section-name',
      caValidation(CA, HOST),
    ),
    backendTlsPolicy(
      ref(INFRA, 'not-conflicted-with-section-name'),
      'not-conflicted',
      caValidation(CA, OTHER_HOST),
    ),
    backendTlsPolicy(
      ref(INFRA, 'not-conflicted-without-section-name'),
      'not-conflicted',
      caValidation(CA, HOST),
      null,
    ),
  ],
  run: (t) =>
    withTlsBackend(
      t,
      [
        'conflicted-without-section-name',
        'conflicted-with-section-name',
        'not-conflicted',
        { name: 'not-conflicted', portName: 'btls-other' },
      ],
      async (tls, address) => {
        const conflicted = cond('Accepted', 'False', 'Conflicted');
        for (const [name, expected] of [
          ['conflicted-without-section-name-1', ACCEPTED],
          ['conflicted-without-section-name-2', conflicted],
          ['conflicted-with-section-name-1', ACCEPTED],
          ['conflicted-with-section-name-2', conflicted],
          ['not-conflicted-with-section-name', ACCEPTED],
          ['not-conflicted-without-section-name', ACCEPTED],
        ] as const) {
          await t.step(`${name} ${expected.reason}`, () =>
            policyCondition(t, ref(INFRA, name), SAME, expected),
          );
        }
        for (const [path, sni] of [
          ['conflicted-without-section-name', OTHER_HOST],
          ['conflicted-with-section-name', OTHER_HOST],
          ['not-conflicted-with-section-name', OTHER_HOST],
          ['not-conflicted-without-section-name', HOST],
        ] as const) {
          const full = `/backendtlspolicy-${path}`;
          await t.step(`${path}: 200`, () =>
            t.http.expect(address, reaches(at(HOST, full), APP_NAME, INFRA)),
          );
          await expectSni(t, tls, full, sni);
        }
      },
      conflictRoute,
    ),
};

const bumpRoute = ref(INFRA, 'backendtlspolicy-observed-generation-bump');
const bumpPolicy = ref(INFRA, 'observed-generation-bump');
const generationBump: Scenario = {
  shortName: 'BackendTLSPolicyObservedGenerationBump',
  description:
    'A spec change of a policy moves its generation; the ancestor conditions follow with the new observedGeneration, and traffic uses the new hostname.',
  manifests: [
    routeTo(bumpRoute, ['observed-generation-bump']),
    tlsService(ref(INFRA, 'observed-generation-bump'), APP_NAME),
    backendTlsPolicy(bumpPolicy, 'observed-generation-bump', caValidation(CA, HOST)),
  ],
  run: (t) =>
    withTlsBackend(
      t,
      ['observed-generation-bump'],
      async (tls, address) => {
        const path = '/backendtlspolicy-observed-generation-bump';
        await t.step('Accepted at the first generation', () =>
          policyCondition(t, bumpPolicy, SAME, ACCEPTED),
        );
        const before =
          (await t.cluster.get(RESOURCES.BackendTLSPolicy, bumpPolicy)).metadata.generation ?? 0;
        await t.step('spec change', () =>
          t.cluster.mergePatch(RESOURCES.BackendTLSPolicy, bumpPolicy, {
            spec: { validation: { hostname: OTHER_HOST } },
          }),
        );
        await t.step('generation moved', async () => {
          const after =
            (await t.cluster.get(RESOURCES.BackendTLSPolicy, bumpPolicy)).metadata.generation ?? 0;
          if (after <= before) throw new Error(`generation ${after}, was ${before}`);
        });
        await t.step('Accepted and ResolvedRefs at the new generation', async () => {
          await policyCondition(t, bumpPolicy, SAME, ACCEPTED);
          await policyCondition(t, bumpPolicy, SAME, RESOLVED);
        });
        await t.step('served with the new hostname', () =>
          t.cluster.until(`${path} with SNI ${OTHER_HOST}`, async () => {
            await t.http.expect(address, reaches(at(HOST, path), APP_NAME, INFRA));
            const last = tls.echo
              .requests()
              .filter((r) => r.path === path)
              .at(-1);
            return last?.tls.serverName === OTHER_HOST
              ? undefined
              : `last SNI ${last?.tls.serverName ?? '(none)'}`;
          }),
        );
      },
      bumpRoute,
    ),
};

export const BACKEND_TLS_SCENARIOS: Scenario[] = [
  normative,
  invalidKind,
  invalidCaRef,
  conflictResolution,
  generationBump,
];
