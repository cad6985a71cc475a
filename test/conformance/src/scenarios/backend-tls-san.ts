/**
 * BackendTLSPolicySANValidation (GATEWAY-HTTP, extended): policies with `subjectAltNames`.
 * The TLS backend serves a throwaway certificate carrying DNS abc.example.com and URI
 * spiffe://abc.example.com/test-identity; each policy keeps abc.example.com as its hostname
 * (the SNI) and lists SANs that the certificate does or does not carry. Matching lists answer
 * 200 with that SNI seen by the backend; the others fail (NGINX answers 502).
 */
import type { KubeObject } from '@portico/kube';
import { createTestCertificate } from '@portico/testing';
import { backend, exact, httpRoute, INFRA, parent, ref, rule } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import {
  backendTlsPolicy,
  caConfigMap,
  policyCondition,
  startTlsBackend,
  tlsService,
  type TlsBackend,
} from './backend-tls-support.ts';
import { answers, at, cond, reaches } from './expect.ts';

const SAME = ref(INFRA, 'same-namespace');
const HOST = 'abc.example.com';
const IDENTITY = 'spiffe://abc.example.com/test-identity';
const OTHER_IDENTITY = 'spiffe://def.example.com/test-identity';
const APP_NAME = 'backendtlspolicy-san';
const CA = 'backend-tls-san-ca';
const ROUTE = ref(INFRA, 'backendtlspolicy-san');
const ACCEPTED = cond('Accepted', 'True', 'Accepted');

type San = { type: 'Hostname'; hostname: string } | { type: 'URI'; uri: string };
const dns = (hostname: string): San => ({ type: 'Hostname', hostname });
const uri = (value: string): San => ({ type: 'URI', uri: value });

interface Case {
  /** Policy name; its Service is `<name>-svc`, its path `/backendtlspolicy-<name>`. */
  name: string;
  sans: San[];
  /** Whether the certificate carries one of `sans`. */
  matches: boolean;
  /** Upstream declares `appProtocol: HTTPS` on every Service but the first. */
  https: boolean;
}

/** The six sub-cases of upstream's test, in its order. */
const CASES: Case[] = [
  { name: 'san-dns', sans: [dns(HOST)], matches: true, https: false },
  { name: 'san-dns-mismatch', sans: [dns('dce.example.com')], matches: false, https: true },
  { name: 'san-uri', sans: [uri(IDENTITY)], matches: true, https: true },
  { name: 'san-uri-mismatch', sans: [uri(OTHER_IDENTITY)], matches: false, https: true },
  { name: 'multiple-sans', sans: [uri(IDENTITY), dns(HOST)], matches: true, https: true },
  {
    name: 'multiple-mismatch-sans',
    sans: [uri(OTHER_IDENTITY), dns('def.example.com')],
    matches: false,
    https: true,
  },
];

const serviceOf = (c: Case): string => `${c.name}-svc`;
const pathOf = (c: Case): string => `/backendtlspolicy-${c.name}`;

function manifests(): KubeObject[] {
  return [
    httpRoute(ROUTE, {
      parents: [parent(SAME.name)],
      hostnames: [HOST],
      rules: CASES.map((c) =>
        rule({ matches: [exact(pathOf(c))], backends: [backend(serviceOf(c), 443)] }),
      ),
    }),
    ...CASES.map((c) =>
      tlsService(ref(INFRA, serviceOf(c)), APP_NAME, c.https ? 'HTTPS' : undefined),
    ),
    ...CASES.map((c) =>
      backendTlsPolicy(ref(INFRA, c.name), serviceOf(c), {
        caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: CA }],
        hostname: HOST,
        subjectAltNames: c.sans,
      }),
    ),
  ];
}

/** The SNI of every request the backend answered for `path`. */
function sniSeen(tls: TlsBackend, path: string): string[] {
  return [
    ...new Set(
      tls.echo
        .requests()
        .filter((r) => r.path === path)
        .map((r) => r.tls.serverName),
    ),
  ];
}

export const backendTlsSanValidation: Scenario = {
  shortName: 'BackendTLSPolicySANValidation',
  description:
    'Policies with subjectAltNames (DNS, URI, several): the backend is reached only when its certificate carries one of the listed names, always with the policy hostname as SNI; the others fail.',
  manifests: manifests(),
  run: async (t) => {
    const certificate = await createTestCertificate([HOST], { uris: [IDENTITY] });
    const configMap = caConfigMap(ref(INFRA, CA), certificate);
    await t.step('CA ConfigMap', () => t.cluster.apply([configMap]));
    const tls = await t.step('TLS backend', () =>
      startTlsBackend(t, ref(INFRA, APP_NAME), CASES.map(serviceOf), certificate),
    );
    try {
      const address = await t.step('gateway and route accepted', () =>
        t.cluster.gatewayAndRoutesAccepted(SAME, [ROUTE]),
      );
      await t.step('route ResolvedRefs', () => t.cluster.routeResolvedRefs(ROUTE, SAME));
      for (const c of CASES) {
        await t.step(`${c.name} Accepted`, () =>
          policyCondition(t, ref(INFRA, c.name), SAME, ACCEPTED),
        );
        const request = at(HOST, pathOf(c));
        if (c.matches) {
          await t.step(`${c.name}: 200 from the TLS backend`, () =>
            t.http.expect(address, reaches(request, APP_NAME, INFRA)),
          );
          await t.step(`${c.name}: the backend saw SNI ${HOST}`, async () => {
            const seen = sniSeen(tls, pathOf(c));
            if (seen.length !== 1 || seen[0] !== HOST) {
              throw new Error(`SNI seen by the backend: ${seen.join(', ') || '(no request)'}`);
            }
          });
        } else {
          await t.step(`${c.name}: refused (502)`, () =>
            t.http.expect(address, answers(request, 502)),
          );
          await t.step(`${c.name}: never answered by the backend`, async () => {
            if (sniSeen(tls, pathOf(c)).length > 0) throw new Error('the backend answered');
          });
        }
      }
    } finally {
      await tls.stop();
      await t.cluster.remove([configMap]);
    }
  },
};
